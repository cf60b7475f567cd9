"""The group rule (README, Security): a member of the group the user may not see is counted,
never named, and its figures are left out; the same in the breadcrumb, the group tab, the
account list's export and the API's hierarchy."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.api.tests.conftest import api_for
from openkam.common.months import add_months
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, AccountMonthFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HIDDEN = ("别队集团", "别队子公司")


@pytest.fixture
def group(world: World) -> dict[str, Account]:
    """别队集团 (other team) -> world.account (the KAM's) -> 别队子公司 (other team) -> 本队孙公司
    (the KAM's team): two hidden members, one above and one between visible ones."""
    month = add_months(timezone.localdate(), 0)
    head = AccountFactory.create(legal_name=HIDDEN[0], short_name=HIDDEN[0], team=world.other_team)
    world.account.parent = head
    world.account.save()
    child = AccountFactory.create(
        legal_name=HIDDEN[1], short_name=HIDDEN[1], parent=world.account, team=world.other_team
    )
    grandchild = AccountFactory.create(legal_name="本队孙公司", parent=child, team=world.team)
    for account, revenue in ((world.account, 100), (child, 7000), (grandchild, 20), (head, 9)):
        AccountMonthFactory.create(account=account, month=month, revenue=revenue)
    return {"head": head, "child": child, "grandchild": grandchild}


def _tab(client: Client, account: Account) -> str:
    response = client.get(reverse("accounts:tab", args=[account.pk, "group"]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_group_tab_counts_hidden_members_without_naming_them(
    world: World, group: dict[str, Account]
) -> None:
    client = client_for(world.kam)
    html = _tab(client, world.account)
    assert not any(name in html for name in HIDDEN)
    assert "本队孙公司" in html
    assert 'data-testid="group-hidden-members"' in html
    assert 'data-testid="group-hidden-parents"' in html
    structure = client.get(reverse("accounts:tab", args=[world.account.pk, "group"])).context
    rows = structure["group"].rows
    assert [(row.account.pk, row.depth, row.parent_id) for row in rows] == [
        (world.account.pk, 0, None),
        (group["grandchild"].pk, 1, world.account.pk),
    ]
    assert rows[0].rolled_up_revenue == Decimal("120")  # the hidden 7,000 left out
    assert (structure["group"].hidden_parents, structure["group"].hidden_members) == (1, 1)


def test_the_breadcrumb_counts_a_hidden_parent_without_naming_it(
    world: World, group: dict[str, Account]
) -> None:
    response = client_for(world.kam).get(reverse("accounts:detail", args=[world.account.pk]))
    html = response.content.decode()
    assert HIDDEN[0] not in html
    assert 'data-testid="breadcrumb-hidden-parents"' in html
    assert response.context["group"].below == 2  # counted


def test_who_sees_the_whole_group_sees_every_name_and_figure(
    world: World, group: dict[str, Account]
) -> None:
    client = client_for(world.executive)
    html = _tab(client, world.account)
    assert all(name in html for name in HIDDEN)
    assert "group-hidden-members" not in html
    rows = client.get(reverse("accounts:tab", args=[world.account.pk, "group"])).context
    assert rows["group"].rows[0].rolled_up_revenue == Decimal("7120")


def test_the_export_does_not_name_a_hidden_parent(world: World, group: dict[str, Account]) -> None:
    response = client_for(world.kam).get(reverse("accounts:export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    header, *lines = list(csv.reader(io.StringIO(text)))
    rows = {row[0]: row for row in lines}
    parent = header.index("Parent account")
    assert not any(name in text for name in HIDDEN)
    assert rows[str(world.account.pk)][parent] == "Not visible to you"
    assert str(group["grandchild"].pk) in rows


def test_the_api_hierarchy_lists_visible_members_only(
    world: World, group: dict[str, Account]
) -> None:
    response = api_for(world.kam).get(f"/accounts/{world.account.pk}/hierarchy")
    assert response.status_code == 200
    body = response.json()
    assert not any(name in response.content.decode() for name in HIDDEN)
    assert body["ancestors"] == []
    members = {m["id"]: m for m in body["members"]}
    assert set(members) == {world.account.pk, group["grandchild"].pk}
    assert members[group["grandchild"].pk]["parent_id"] == world.account.pk
    assert members[world.account.pk]["rolled_up_revenue"] == "120.00"
