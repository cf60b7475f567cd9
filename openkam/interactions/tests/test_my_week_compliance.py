"""My week for those who oversee: an executive sees how each team keeps the contact cadence
(not every overdue account of the company), a director sees it per KAM beside the lists, a
KAM sees their own overdue accounts, the highest tier and the most revenue at stake first."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Account, LifecycleStage, Tier
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, ContactFactory
from openkam.interactions.selectors import cadence_compliance
from openkam.interactions.tests.builders import interaction
from openkam.web.tests.builders import add_run, add_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def build(world: World) -> dt.date:
    """Team one (world.kam): 4 live accounts, 1 met last week, 3 overdue (one with an
    overdue contact and a late next step), 1 lost and never met; team two: 2 accounts, both
    met last week; the unassigned account, recorded today and never met, is due today."""
    today = timezone.localdate()
    recent, long_ago = today - dt.timedelta(days=7), today - dt.timedelta(days=400)
    world.account.tier = Tier.KEY
    world.account.save()
    interaction(world.account, day=recent)
    for tier in (Tier.STRATEGIC, Tier.MAJOR, Tier.GENERAL):
        overdue = AccountFactory.create(team=world.team, owner=world.kam, tier=tier)
        interaction(overdue, day=long_ago)
    late = overdue
    contact = ContactFactory.create(account=late, contact_every_days=30)
    interaction(
        late,
        day=long_ago,
        theirs=[contact],
        next_step="报价",
        next_step_due=today - dt.timedelta(days=3),
    )
    AccountFactory.create(team=world.team, owner=world.kam, lifecycle_stage=LifecycleStage.LOST)
    interaction(world.other_account, day=recent)
    second = AccountFactory.create(team=world.other_team, owner=world.other_kam)
    interaction(second, day=recent)
    return today


def test_compliance_per_team_counts_accounts_contacts_and_late_steps(world: World) -> None:
    today = build(world)

    rows = {row.name: row for row in cadence_compliance(Account.objects.all(), today=today)}

    one, two, nobody = rows["华东大客户部"], rows["华南大客户部"], rows["No team"]
    assert (one.accounts, one.overdue_accounts, one.overdue_contacts, one.late_steps) == (
        4,
        3,
        1,
        1,
    )
    assert one.within_cadence == pytest.approx(0.25)
    assert (two.accounts, two.overdue_accounts, two.within_cadence) == (2, 0, 1.0)
    assert (nobody.accounts, nobody.overdue_accounts) == (1, 0)
    # the furthest behind first
    assert [row.name for row in cadence_compliance(Account.objects.all(), today=today)] == [
        "华东大客户部",
        "No team",
        "华南大客户部",
    ]


def test_an_executive_sees_the_teams_compliance_instead_of_the_lists(world: World) -> None:
    build(world)
    page = client_for(world.executive).get(reverse("interactions:my_week")).content.decode()

    assert page.count('data-testid="compliance-row"') == 3
    assert "Contact cadence by team" in page
    assert 'data-testid="week-overdue-accounts"' not in page
    assert 'data-testid="week-overdue-contacts"' not in page
    assert "25%" in page
    assert reverse("performance:team", args=[world.team.pk]) in page


def test_a_director_sees_it_per_kam_beside_the_lists(world: World) -> None:
    build(world)
    page = client_for(world.director).get(reverse("interactions:my_week")).content.decode()

    assert "Contact cadence by key account manager" in page
    assert page.count('data-testid="compliance-row"') == 1  # world.kam: their one team
    assert str(world.kam) in page.split('data-testid="compliance-row"')[1]
    assert 'data-testid="week-overdue-accounts"' in page


def test_a_kam_sees_their_overdue_accounts_highest_tier_and_most_at_stake_first(
    world: World,
) -> None:
    today = build(world)
    run = add_run(today)
    big_general = AccountFactory.create(team=world.team, owner=world.kam, tier=Tier.GENERAL)
    interaction(big_general, day=today - dt.timedelta(days=300))
    for account in Account.objects.filter(team=world.team):
        add_snapshot(
            account,
            as_of=today,
            run=run,
            tier=account.tier,
            revenue_12m=Decimal("900000") if account == big_general else Decimal("1000"),
        )

    response = client_for(world.kam).get(reverse("interactions:my_week"))
    rows = [account.tier for account in response.context["overdue_accounts"]]
    names = [account.pk for account in response.context["overdue_accounts"]]

    assert rows == [Tier.STRATEGIC, Tier.MAJOR, Tier.GENERAL, Tier.GENERAL]
    assert names[2] == big_general.pk  # the general account with more at stake first
    assert "compliance-row" not in response.content.decode()
