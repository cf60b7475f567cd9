"""The account list downloads as CSV and XLSX with the list's filters, order and visibility."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Account, Tier
from openkam.common.months import add_months
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, AccountMonthFactory
from openkam.web.tests.builders import add_snapshot

pytestmark = pytest.mark.django_db
LIST = reverse("accounts:list")


def export(client: Client, fmt: str, **params: str) -> bytes:
    response = client.get(reverse("accounts:export", args=[fmt]), params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def csv_rows(client: Client, **params: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(export(client, "csv", **params).decode("utf-8-sig"))))


def xlsx_rows(client: Client, **params: str) -> list[list[object]]:
    sheet = openpyxl.load_workbook(io.BytesIO(export(client, "xlsx", **params))).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def listed_ids(client: Client, **params: str) -> list[int]:
    """Every row of the list page, all pages, in order."""
    ids: list[int] = []
    page = 1
    while True:
        response = client.get(LIST, {**params, "page": str(page)})
        ids += [account.pk for account in response.context["page"].object_list]
        if not response.context["page"].has_next():
            return ids
        page += 1


@pytest.fixture
def many(world: World, settings: object) -> list[Account]:
    """More accounts than a page, with revenue, a snapshot and mixed tiers."""
    settings.OPENKAM_PAGE_SIZE = 3  # type: ignore[attr-defined]
    this_month = add_months(timezone.localdate(), 0)
    accounts = []
    for i in range(9):
        account = AccountFactory.create(
            team=world.team if i % 3 else world.other_team,
            owner=world.kam if i % 3 else world.other_kam,
            tier=Tier.KEY if i % 2 else Tier.GENERAL,
            legal_name=f"第{i}号电梯有限公司",
        )
        AccountMonthFactory.create(account=account, month=this_month, revenue=1000 * (i + 1))
        add_snapshot(account, as_of=timezone.localdate(), churn_level="high", abc_revenue="A")
        accounts.append(account)
    return accounts


@pytest.mark.parametrize("params", [{}, {"tier": "key"}, {"q": "号电梯", "sort": "-revenue"}])
def test_exported_rows_equal_the_filtered_lists_rows(
    world: World, many: list[Account], params: dict[str, str]
) -> None:
    client = client_for(world.executive)
    expected = listed_ids(client, **params)
    assert len(expected) > 3  # more than one page of the list
    assert [int(row[0]) for row in csv_rows(client, **params)[1:]] == expected
    assert [row[0] for row in xlsx_rows(client, **params)[1:]] == expected


def test_a_page_parameter_does_not_cut_the_export(world: World, many: list[Account]) -> None:
    client = client_for(world.executive)
    assert len(csv_rows(client, page="2")) - 1 == Account.objects.count()


def test_a_viewer_exports_only_the_accounts_visible_to_them(
    world: World, many: list[Account]
) -> None:
    client = client_for(world.viewer)
    visible = set(Account.objects.filter(team=world.team).values_list("pk", flat=True))
    exported = {int(row[0]) for row in csv_rows(client)[1:]}
    assert exported == visible
    assert world.other_account.pk not in exported
    assert {row[0] for row in xlsx_rows(client)[1:]} == visible


def test_a_viewer_can_not_widen_the_export_with_another_teams_filter(
    world: World, many: list[Account]
) -> None:
    client = client_for(world.viewer)
    rows = csv_rows(client, team=str(world.other_team.pk))
    assert {int(row[0]) for row in rows[1:]} <= set(
        Account.objects.filter(team=world.team).values_list("pk", flat=True)
    )


def test_csv_has_a_bom_and_chinese_text(world: World, many: list[Account]) -> None:
    content = export(client_for(world.executive), "csv")
    assert content.startswith(b"\xef\xbb\xbf")
    assert "第1号电梯有限公司" in content.decode("utf-8-sig")


def test_headers_follow_the_language(world: World, many: list[Account]) -> None:
    client = client_for(world.executive)
    client.cookies["django_language"] = "en"
    english = xlsx_rows(client, tier="key")
    client.cookies["django_language"] = "zh-hans"
    chinese = xlsx_rows(client, tier="key")
    assert english[0][:5] == ["ID", "Legal name", "Short name", "Credit code", "Tier"]
    assert "Revenue 12m" in english[0]
    assert chinese[0][1:5] == ["企业全称", "简称", "信用代码", "客户级别"]
    assert "近 12 个月收入" in chinese[0]
    assert english[1][4] == "Key"
    assert chinese[1][4] != "Key"


def test_money_is_a_number_in_the_workbook(world: World, many: list[Account]) -> None:
    client = client_for(world.executive)
    client.cookies["django_language"] = "en"
    rows = xlsx_rows(client, sort="-revenue")
    assert rows[1][rows[0].index("Revenue 12m")] == 9000
    assert rows[1][0] == many[8].pk


def test_the_filename_carries_the_date(world: World, many: list[Account]) -> None:
    response = client_for(world.executive).get(reverse("accounts:export", args=["xlsx"]))
    assert f"{timezone.localdate():%Y-%m-%d}.xlsx" in response["Content-Disposition"]


def test_an_unknown_format_is_not_found(world: World) -> None:
    response = client_for(world.executive).get(reverse("accounts:export", args=["pdf"]))
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login(world: World) -> None:
    response = Client().get(reverse("accounts:export", args=["csv"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_list_page_links_the_downloads_with_its_filters(
    world: World, many: list[Account]
) -> None:
    html = client_for(world.executive).get(LIST, {"tier": "key", "page": "2"}).content.decode()
    assert f'href="{reverse("accounts:export", args=["csv"])}?tier=key"' in html
    assert f'href="{reverse("accounts:export", args=["xlsx"])}?tier=key"' in html


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_runs_a_fixed_number_of_queries(
    world: World, many: list[Account], fmt: str
) -> None:
    # Session, user, the rows (owner, team and parent joined, the snapshot figures as
    # subqueries); the form's KAM and team choices are not read when no filter names them.
    client = client_for(world.executive)
    with CaptureQueriesContext(connection) as captured:
        export(client, fmt)
    few = len(captured)
    for i in range(10):
        AccountFactory.create(team=world.team, owner=world.kam, legal_name=f"补充{i}")
    with CaptureQueriesContext(connection) as captured:
        export(client, fmt)
    assert len(captured) == few == 3
