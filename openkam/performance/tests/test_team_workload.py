"""The team page's workload section: per account owner (a KAM, an executive running an
account, or nobody) the accounts, key accounts, revenue, cadence kept, plan coverage,
sponsored key accounts and support seats, pinned on a hand-built team; the page's queries do
not grow with the team; who may open it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openkam.accounts.models import Account, AccountTeamMember, LifecycleStage, Tier
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, AccountMonthFactory, MembershipFactory, UserFactory
from openkam.interactions.tests.builders import interaction
from openkam.performance.workload import team_workload
from openkam.plans.models import PlanStatus
from openkam.plans.tests.builders import plan
from openkam.team.models import Role, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TODAY = dt.date(2026, 7, 15)


def account(world: World, owner: User | None, tier: str, **fields: Any) -> Account:
    return AccountFactory.create(team=world.team, owner=owner, tier=tier, **fields)


def sold(target: Account, *amounts: tuple[dt.date, int]) -> None:
    for month, revenue in amounts:
        AccountMonthFactory.create(account=target, month=month, revenue=Decimal(revenue))


@pytest.fixture
def built(world: World) -> dict[str, Any]:
    """Hand-built: the KAM owns four accounts, the executive runs one, one has no KAM, and a
    second KAM of the team owns none (cadence: strategic 30 days, key 42, major 90, general
    180; TODAY 2026-07-15)."""
    Account.objects.filter(pk=world.account.pk).update(tier=Tier.GENERAL)
    interaction(world.account, day=dt.date(2026, 7, 10))  # due 2027-01-06
    a1 = account(world, world.kam, Tier.STRATEGIC)
    interaction(a1, day=dt.date(2026, 7, 1))  # due 07-31: kept
    sold(a1, (dt.date(2026, 1, 1), 1000), (dt.date(2026, 6, 1), 2000), (dt.date(2025, 6, 1), 500))
    plan(a1, status=PlanStatus.ACTIVE)
    AccountTeamMember.objects.create(account=a1, user=world.executive, role="sponsor")
    AccountTeamMember.objects.create(account=a1, user=world.viewer, role="quality")
    a2 = account(world, world.kam, Tier.KEY)
    interaction(a2, day=dt.date(2026, 5, 1))  # due 06-12: overdue
    sold(a2, (dt.date(2026, 3, 1), 1000))
    AccountTeamMember.objects.create(account=a2, user=world.analyst, role="rnd")
    account(world, world.kam, Tier.GENERAL, lifecycle_stage=LifecycleStage.LOST)  # owed none
    b1 = account(world, world.executive, Tier.STRATEGIC)
    interaction(b1, day=dt.date(2026, 3, 1))  # due 03-31: overdue
    sold(b1, (dt.date(2026, 2, 1), 4000))
    plan(b1, status=PlanStatus.CLOSED)  # a closed plan covers nothing
    b2 = account(world, None, Tier.MAJOR)
    interaction(b2, day=dt.date(2026, 7, 1))
    sold(b2, (dt.date(2026, 4, 1), 1000))
    sold(world.other_account, (dt.date(2026, 4, 1), 99_000))  # another team's
    idle = UserFactory.create(username="kam3", role=Role.KAM, display_name="闲置")
    MembershipFactory.create(team=world.team, user=idle)
    return {"idle": idle}


def test_the_load_per_owner_is_pinned(world: World, built: dict[str, Any]) -> None:
    load = team_workload(world.team, year=2026, today=TODAY)
    rows = {row.owner_id: row for row in load.rows}
    kam, boss, nobody, idle = (
        rows[world.kam.pk], rows[world.executive.pk], rows[None], rows[built["idle"].pk]
    )  # fmt: skip
    assert (kam.accounts, kam.key_accounts, kam.revenue) == (4, 2, Decimal("4000"))
    assert (kam.due, kam.overdue, kam.cadence_rate) == (3, 1, pytest.approx(2 / 3))
    assert (kam.key_planned, kam.plan_coverage, kam.sponsored, kam.seats) == (1, 0.5, 1, 3)
    assert kam.share == pytest.approx(4000 / 9000)
    assert (boss.accounts, boss.key_accounts, boss.revenue, boss.overdue) == (1, 1, 4000, 1)
    assert (boss.cadence_rate, boss.plan_coverage, boss.run_by_executive) == (0.0, 0.0, True)
    assert (nobody.accounts, nobody.key_accounts, nobody.revenue) == (1, 0, Decimal("1000"))
    assert (nobody.cadence_rate, nobody.plan_coverage) == (1.0, None)
    assert (idle.accounts, idle.revenue, idle.cadence_rate, idle.share) == (0, 0, None, None)
    assert load.rows[-1].owner_id is None
    total = load.total
    assert (total.accounts, total.key_accounts, total.revenue) == (6, 3, Decimal("9000"))
    assert (total.due, total.overdue, total.key_planned, total.sponsored, total.seats) == (
        5, 2, 1, 1, 3,
    )  # fmt: skip
    assert {m.user_id for m in load.members} == {world.kam.pk, world.viewer.pk, built["idle"].pk}


def test_the_team_page_shows_the_workload_in_a_bounded_number_of_queries(
    world: World, built: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client = client_for(world.director)
    url = reverse("performance:team", args=[world.team.pk])
    client.get(url, {"year": 2026})
    # The team page's 26 (test_performance_pages pins their parts), the workload's 4 among them.
    with django_assert_num_queries(26):
        response = client.get(url, {"year": "2026"})
    html = response.content.decode()
    assert html.count('data-testid="workload-row"') == 4
    assert 'data-testid="workload-executive"' in html
    for n in range(5):  # five more KAMs with an account each: no more queries
        more = UserFactory.create(username=f"more{n}", role=Role.KAM)
        MembershipFactory.create(team=world.team, user=more)
        account(world, more, Tier.KEY)
    with django_assert_num_queries(26):
        response = client.get(url, {"year": "2026"})
    assert response.content.decode().count('data-testid="workload-row"') == 9


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("executive", 200),
        ("director", 200),
        ("kam", 200),
        ("analyst", 200),
        ("viewer", 200),
        ("other_kam", 404),
        ("engineer", 404),  # a seat on an account's team is not a place in the sales team
        ("anonymous", 302),
    ],
)
def test_who_opens_the_team_page(world: World, who: str, status: int) -> None:
    if who == "anonymous":
        client = Client()
    elif who == "engineer":
        engineer = UserFactory.create(username="qe", role=Role.VIEWER, function="quality")
        AccountTeamMember.objects.create(account=world.account, user=engineer, role="quality")
        client = client_for(engineer)
    else:
        client = client_for(getattr(world, who))
    response = client.get(reverse("performance:team", args=[world.team.pk]))
    assert response.status_code == status
    if status == 200:
        assert 'data-testid="team-workload"' in response.content.decode()
