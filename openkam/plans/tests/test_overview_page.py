"""The plans overview: directors and executives see every plan they oversee with counts by
status, what is behind and overdue, resources asked and granted, show stoppers and the stale
flag; a KAM sees the plans of their own accounts. Filters, sorting, pages, pinned queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.plans.figures import plan_figures_refresh
from openkam.plans.models import Action, Decision, PlanReview, PlanStatus, ResourceRequest, Risk
from openkam.plans.tests.builders import objective, plan

pytestmark = pytest.mark.django_db
URL = "/plans/"
# Session, user, counts by status (which give the pager its total), the page, the filters'
# teams and KAMs.
OVERVIEW_QUERIES = 6


def _plans(world: World) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE, year=2026)
    objective(active, progress="behind")
    Action.objects.create(plan=active, title="逾期", owner=world.kam, due_on=dt.date(2000, 1, 1))
    ResourceRequest.objects.create(
        plan=active,
        function="rnd",
        person_days=Decimal("10"),
        reason="研发",
        decision=Decision.PARTLY,
        granted_person_days=Decimal("4"),
    )
    Risk.objects.create(
        account=world.account,
        plan=active,
        source="ours",
        category="quality",
        description="质量",
        probability="high",
        impact="high",
        rating="show_stopper",
        owner=world.kam,
    )
    AccountPlan = type(active)
    AccountPlan.objects.filter(pk=active.pk).update(
        approved_at=timezone.now() - dt.timedelta(days=200)
    )
    plan(world.account, status=PlanStatus.DRAFT, year=2025)
    plan(world.other_account, status=PlanStatus.SUBMITTED, year=2026)
    # The parts above were written straight to the tables, not through the services that
    # keep each plan's figures: recompute them as the refresh would.
    plan_figures_refresh()


def test_the_url_is_plans() -> None:
    assert reverse("plans:overview") == URL


def test_the_director_sees_the_teams_plans_with_their_figures(world: World) -> None:
    _plans(world)
    content = client_for(world.director).get(URL).content.decode()
    assert content.count('data-testid="overview-row"') == 2
    assert 'data-testid="overview-stale"' in content
    assert "10.0 / 4.0" in content
    assert 'data-testid="count-active">' in content


def test_the_executive_sees_every_plan_and_counts_by_status(world: World, english: None) -> None:
    _plans(world)
    content = client_for(world.executive).get(URL).content.decode()
    assert content.count('data-testid="overview-row"') == 3
    assert 'data-testid="count-submitted">Submitted: 1<' in content
    assert 'data-testid="count-draft">Draft: 1<' in content


def test_a_plan_with_several_parts_counts_once(world: World, english: None) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE, year=2026)
    for _n in range(3):
        objective(active)
        Action.objects.create(plan=active, title="x", owner=world.kam, due_on=dt.date(2000, 1, 1))
    content = client_for(world.executive).get(URL).content.decode()
    assert 'data-testid="count-active">Active: 1<' in content


@pytest.mark.parametrize(("persona", "rows"), [("kam", 2), ("other_kam", 1), ("viewer", 2)])
def test_others_see_their_own_accounts_plans(world: World, persona: str, rows: int) -> None:
    _plans(world)
    content = client_for(getattr(world, persona)).get(URL).content.decode()
    assert content.count('data-testid="overview-row"') == rows


def test_the_analyst_sees_all_without_the_portfolio_link(world: World) -> None:
    _plans(world)
    content = client_for(world.analyst).get(URL).content.decode()
    assert content.count('data-testid="overview-row"') == 3
    assert 'data-testid="link-portfolio-risks"' not in content


def test_anonymous_goes_to_login() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize(
    ("query", "rows"),
    [
        ({"status": "draft"}, 1),
        ({"year": "2026"}, 2),
        ({"tier": "general"}, 0),
        ({"sort": "-stoppers"}, 3),
    ],
)
def test_filters_and_sorting(world: World, query: dict[str, str], rows: int) -> None:
    _plans(world)
    world.account.tier = "key"
    world.account.save()
    world.other_account.tier = "key"
    world.other_account.save()
    content = client_for(world.executive).get(URL, query).content.decode()
    assert content.count('data-testid="overview-row"') == rows


def test_filter_by_team_and_kam(world: World) -> None:
    _plans(world)
    client = client_for(world.executive)
    by_team = client.get(URL, {"team": world.other_team.pk}).content.decode()
    assert by_team.count('data-testid="overview-row"') == 1
    by_kam = client.get(URL, {"kam": world.kam.pk}).content.decode()
    assert by_kam.count('data-testid="overview-row"') == 2


def test_an_empty_overview_says_so(world: World, english: None) -> None:
    content = client_for(world.executive).get(URL).content.decode()
    assert "No plans match" in content


def test_the_overview_runs_in_a_fixed_number_of_queries(
    world: World, settings: Any, django_assert_num_queries: Any
) -> None:
    settings.OPENKAM_PAGE_SIZE = 5
    _plans(world)
    client = client_for(world.executive)
    client.get(URL)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        client.get(URL)
    for year in range(2010, 2022):
        account = AccountFactory.create(team=world.team, owner=world.kam)
        plan(account, status=PlanStatus.ACTIVE, year=year)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(URL)
    assert response.content.decode().count('data-testid="overview-row"') == 5


@pytest.mark.parametrize(
    ("sort", "first"),
    [("-overdue", "2026"), ("overdue", "2025"), ("-review", "2026"), ("-behind", "2026")],
)
def test_sorting_by_the_figures(world: World, sort: str, first: str) -> None:
    active = plan(world.account, status=PlanStatus.ACTIVE, year=2026)
    objective(active, progress="behind")
    Action.objects.create(plan=active, title="逾期", owner=world.kam, due_on=dt.date(2000, 1, 1))
    PlanReview.objects.create(plan=active, held_on=dt.date(2026, 3, 1), since=dt.date(2026, 1, 1))
    plan(world.account, status=PlanStatus.DRAFT, year=2025)
    plan_figures_refresh()
    content = client_for(world.executive).get(URL, {"sort": sort}).content.decode()
    rows = content.split('data-testid="overview-row"')[1:]
    assert f"{first}-01 – {first}-12" in rows[0]
