"""The KPI page and its drill-down, per persona: the executive reads the company with each
team against its targets; a director their team and its KAMs; a KAM their own figures and
their team's totals (not its rows); nobody another team's; the figures kept per refresh."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import AccountMonthFactory
from openkam.performance.models import KpiFigures, Level, Target
from openkam.portfolio.models import PortfolioRun

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
PAGE = reverse("performance:kpis")


def _sold(world: World) -> None:
    AccountMonthFactory.create(
        account=world.account, month=dt.date(2026, 3, 1), revenue=600, cost=400
    )
    AccountMonthFactory.create(
        account=world.other_account, month=dt.date(2026, 3, 1), revenue=300, cost=100
    )


def _value(html: str, key: str) -> str:
    row = html.split(f'data-kpi="{key}"', 1)[1]
    return row.split('data-testid="kpi-value">', 1)[1].split("</td>", 1)[0]


def test_the_executive_reads_the_company_with_each_team_against_its_targets(
    world: World,
) -> None:
    _sold(world)
    Target.objects.create(year=2026, level=Level.TEAM, metric="sales", team=world.team, amount=1200)
    Target.objects.create(year=2026, level=Level.COMPANY, metric="sales", amount=1800)
    response = client_for(world.executive).get(PAGE, {"period": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="kpi-row"') == 10
    assert "¥900" in _value(html, "sales")
    assert "44.4%" in _value(html, "margin_rate")  # (900 - 500) / 900, the company's
    team_row = html.split(f'data-team="{world.team.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "50.0%" in team_row  # 600 of 1,200
    company_row = html.split('data-testid="company-row"', 1)[1].split("</tr>", 1)[0]
    assert "50.0%" in company_row  # 900 of 1,800
    assert 'data-testid="kpi-glossary"' in html


def test_a_director_reads_their_team_by_default_and_not_the_company(world: World) -> None:
    _sold(world)
    director = client_for(world.director)
    html = director.get(PAGE, {"period": "2026"}).content.decode()
    assert "¥600" in _value(html, "sales")
    assert 'data-testid="company-teams"' not in html
    assert director.get(PAGE, {"scope": "company"}).status_code == 404
    assert director.get(PAGE, {"scope": f"team:{world.other_team.pk}"}).status_code == 404
    assert director.get(PAGE, {"scope": f"kam:{world.other_kam.pk}"}).status_code == 404
    assert director.get(PAGE, {"scope": f"kam:{world.kam.pk}"}).status_code == 200
    assert director.get(PAGE, {"scope": "nonsense"}).status_code == 404


def test_a_kam_reads_their_own_figures_and_the_teams_totals_not_its_rows(world: World) -> None:
    _sold(world)
    kam = client_for(world.kam)
    assert "¥600" in _value(kam.get(PAGE, {"period": "2026"}).content.decode(), "sales")
    assert kam.get(PAGE, {"scope": f"team:{world.team.pk}"}).status_code == 200
    assert kam.get(PAGE, {"scope": f"kam:{world.other_kam.pk}"}).status_code == 404
    rows = reverse("performance:kpi_rows", args=["sales"])
    assert kam.get(rows, {"scope": f"team:{world.team.pk}", "period": "2026"}).status_code == 404
    own = kam.get(rows, {"scope": f"kam:{world.kam.pk}", "period": "2026"})
    assert own.status_code == 200
    assert own.content.decode().count('data-testid="drill-row"') == 1
    viewer = client_for(world.viewer)
    assert viewer.get(rows, {"scope": f"team:{world.team.pk}"}).status_code == 404


def test_the_drill_down_lists_only_the_scopes_accounts(world: World) -> None:
    _sold(world)
    rows = reverse("performance:kpi_rows", args=["sales"])
    director = client_for(world.director)
    html = director.get(rows, {"scope": f"team:{world.team.pk}", "period": "2026"}).content.decode()
    assert f'data-account="{world.account.pk}"' in html
    assert f'data-account="{world.other_account.pk}"' not in html
    company = client_for(world.analyst).get(rows, {"scope": "company", "period": "2026-Q1"})
    assert company.content.decode().count('data-testid="drill-row"') == 2
    assert (
        client_for(world.analyst).get(reverse("performance:kpi_rows", args=["nope"])).status_code
        == 404
    )


def test_the_figures_are_kept_per_refresh_and_read_as_one_row(
    world: World, django_assert_max_num_queries: object
) -> None:
    _sold(world)
    run = PortfolioRun.objects.create(as_of=dt.date(2026, 3, 31), status=PortfolioRun.Status.DONE)
    executive = client_for(world.executive)
    executive.get(PAGE, {"period": "2026"})
    kept = KpiFigures.objects.get(run=run, scope="company", period="2026")
    assert kept.payload["kpis"]["sales"]["value"] == 900.0
    AccountMonthFactory.create(account=world.account, month=dt.date(2026, 4, 1), revenue=100)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        html = executive.get(PAGE, {"period": "2026"}).content.decode()
    assert "¥900" in _value(html, "sales")  # as of the refresh
    later = PortfolioRun.objects.create(as_of=dt.date(2026, 4, 30), status=PortfolioRun.Status.DONE)
    html = executive.get(PAGE, {"period": "2026"}).content.decode()
    assert "¥1,000" in _value(html, "sales")
    assert list(KpiFigures.objects.values_list("run_id", flat=True)) == [later.pk]


def test_anonymous_users_are_sent_to_log_in(world: World) -> None:
    from django.test import Client

    response = Client().get(PAGE)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_team_page_links_each_kams_kpis_for_the_director_not_the_kams(world: World) -> None:
    Target.objects.create(year=2026, level=Level.TEAM, metric="sales", team=world.team, amount=1)
    page = reverse("performance:team", args=[world.team.pk])
    shown = client_for(world.director).get(page, {"year": "2026"}).content.decode()
    assert f"?scope=kam:{world.kam.pk}&amp;period=2026" in shown
    seen_by_kam = client_for(world.kam).get(page, {"year": "2026"}).content.decode()
    assert 'data-testid="kam-kpis"' not in seen_by_kam


def test_the_executive_sets_the_companys_target_and_sees_what_teams_were_not_given(
    world: World,
) -> None:
    Target.objects.create(year=2026, level=Level.TEAM, metric="collections", team=world.team,
                          amount=700)  # fmt: skip
    executive = client_for(world.executive)
    response = executive.post(
        reverse("performance:company_target"),
        {"year": "2026", "metric": "collections", "amount": "1,000"},
    )
    assert response["Location"] == f"{PAGE}?scope=company&period=2026"
    target = Target.objects.get(level=Level.COMPANY, metric="collections")
    assert target.amount == Decimal("1000")
    assert target.team_id is None
    html = executive.get(PAGE, {"period": "2026"}).content.decode()
    company_row = html.split('data-testid="company-row"', 1)[1].split("</tr>", 1)[0]
    gap = company_row.split('data-testid="company-gap"', 1)[1].split("</div>", 1)[0]
    assert "¥300" in gap  # 1,000 less the team's 700
    assert 'data-testid="company-target-form"' in html


@pytest.mark.parametrize("who", ["director", "kam", "analyst", "viewer"])
def test_only_an_executive_sets_the_companys_target(world: World, who: str) -> None:
    response = client_for(getattr(world, who)).post(
        reverse("performance:company_target"), {"year": "2026", "metric": "sales", "amount": "9"}
    )
    assert response.status_code == 403
    assert not Target.objects.exists()


def test_a_bad_metric_or_amount_sets_no_company_target(world: World) -> None:
    executive = client_for(world.executive)
    url = reverse("performance:company_target")
    executive.post(url, {"year": "2026", "metric": "sales", "amount": "lots"})
    executive.post(url, {"year": "2026", "metric": "moon", "amount": "9"})
    assert not Target.objects.exists()
