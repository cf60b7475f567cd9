"""The dashboard runs a fixed number of queries whatever the size of the portfolio."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Tier
from openkam.common.months import add_months
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, UserFactory
from openkam.portfolio.models import DashboardCache, PortfolioRun, TierProposal
from openkam.team.models import Team, User
from openkam.web.tests.builders import add_ledger, add_run, add_snapshot

pytestmark = pytest.mark.django_db

# Before any refresh: session, user, latest refresh (none), tier counts, revenue totals, top
# 10 with their KAM, monthly series, and the filter's teams, KAMs and industries.
HOME_QUERIES = 10
# After a refresh, when the figures are kept: session, user, latest refresh, the kept figures,
# and the filter's teams, KAMs and industries.
KEPT_HOME_QUERIES = 7
# When they are computed (the first visit after a refresh, or with new filters): also the
# snapshots, the refresh a period before, counts by tier and stage, open proposals, the
# matrices' account names, the attention list's accounts and churn reasons, the top 10, the
# monthly series, the contact cadence per tier and the accounts overdue for a visit, deleting
# the figures of earlier refreshes and storing these.
COMPUTED_HOME_QUERIES = 20
# Who sees only some accounts: two more, the fingerprint of the accounts they see now summed
# over the two parts of visible_in_parts (their teams' accounts; those they own or sit on the
# team of elsewhere), which key the kept figures (a change of team or ownership is a new key).
VISIBLE_KEY_QUERIES = 2


def queries(world: World, user: User | None = None) -> int:
    client = client_for(user or world.executive)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured.captured_queries)


def add_accounts(n: int, *, run: PortfolioRun | None = None, team: Team | None = None) -> None:
    for i in range(n):
        account = AccountFactory.create(
            owner=UserFactory.create(username=f"home-{n}-{i}"), team=team
        )
        add_ledger(account, 3, last_month=add_months(timezone.localdate(), 0))
        if run is not None:
            add_snapshot(account, as_of=run.as_of, run=run, churn_level="high")
            TierProposal.objects.create(
                account=account, run=run, current_tier=Tier.GENERAL, proposed_tier=Tier.MAJOR
            )


def test_the_dashboard_runs_the_same_queries_for_3_and_for_30_accounts(world: World) -> None:
    add_accounts(3)
    few = queries(world)
    add_accounts(27)
    many = queries(world)
    assert few == many == HOME_QUERIES


def test_the_analysed_dashboard_runs_the_same_queries_for_3_and_for_30_snapshots(
    world: World,
) -> None:
    run = add_run(dt.date(2026, 6, 30))
    add_accounts(3, run=run, team=world.team)
    few, few_kam = queries(world), queries(world, world.kam)
    kept, kept_kam = queries(world), queries(world, world.kam)
    DashboardCache.objects.all().delete()
    add_accounts(27, run=run, team=world.team)
    many, many_kam = queries(world), queries(world, world.kam)
    assert few == many == COMPUTED_HOME_QUERIES
    assert few_kam == many_kam == COMPUTED_HOME_QUERIES + VISIBLE_KEY_QUERIES
    assert kept == KEPT_HOME_QUERIES
    assert kept_kam == KEPT_HOME_QUERIES + VISIBLE_KEY_QUERIES
