"""The dashboard runs a fixed number of queries whatever the size of the portfolio."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Tier
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, UserFactory
from openkam.portfolio.models import PortfolioRun, TierProposal
from openkam.team.models import Team, User
from openkam.web.selectors import add_months
from openkam.web.tests.builders import add_ledger, add_run, add_snapshot

pytestmark = pytest.mark.django_db

# Session, user, tier counts, revenue totals, top 10 with their KAM, monthly series, latest
# portfolio refresh.
HOME_QUERIES = 7
# ... and, once a refresh exists, the snapshot counts and the open tier proposals.
ANALYSED_HOME_QUERIES = HOME_QUERIES + 2
# ... and for a user who sees part of the portfolio, the revenue of their accounts (their
# concentration figures: the company's would describe accounts they may not see).
ANALYSED_HOME_QUERIES_PART = ANALYSED_HOME_QUERIES + 1


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


def test_the_analysis_card_runs_the_same_queries_for_3_and_for_30_snapshots(
    world: World,
) -> None:
    run = add_run(dt.date(2026, 6, 30))
    add_accounts(3, run=run, team=world.team)
    few, few_kam = queries(world), queries(world, world.kam)
    add_accounts(27, run=run, team=world.team)
    many, many_kam = queries(world), queries(world, world.kam)
    assert few == many == ANALYSED_HOME_QUERIES
    assert few_kam == many_kam == ANALYSED_HOME_QUERIES_PART
