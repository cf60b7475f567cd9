"""The list and the account page run a fixed number of queries, however many rows they show
(no N+1): measured with few and with many rows, and pinned."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Account, Tier
from openkam.common.months import add_months
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, MembershipFactory, TeamFactory, UserFactory
from openkam.portfolio.models import PortfolioRun, TierProposal
from openkam.web.tests.builders import (
    add_contacts,
    add_ledger,
    add_profile,
    add_snapshot,
    add_subsidiaries,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# Session, user, KAM choices, team choices, count, the page's keys in order, the page's rows
# (keyed_page: the latest snapshot's ABC class, churn level and CLV are subqueries of the rows
# of the page only).
LIST_QUERIES = 7
# The page: session, user, account with owner/team/industry/budget cycle, its number of
# contacts and of companies below it, parents, which parents the user may open (only when
# there are parents), the ledger summary (the monthly aggregates; receivables and last order in
# one), latest snapshot with its run. The other tabs load on demand (below; the scorecard's
# are pinned with the scorecard), and so do the side cards of the overview.
DETAIL_QUERIES = 8
# Each tab: session, user, the account with what the tab reads, whether the user may change
# it (asked only of a role that writes: these counts are a KAM's and an executive's), then
# (profile) shareholders, officers, business units, locations, events; (finance) financials,
# outlook notes; (needs)
# needs, wallet estimates, competitors, and the ledger summary's two for our share of wallet;
# (contacts) contacts; (analysis) the latest snapshot with its run; (group) parents, subtree,
# subtree revenue, subtree accounts, which of them the user may open; (cards) the relationship
# card: the last and the next contact, the open next steps, the key contacts, the cadence
# and the due day;
# the alerts card: the account's open alerts; the plan card: the current plan (and, when
# none is open, the latest), open and overdue actions, open and grave risks; the contracts
# card: the live contracts that apply to the account; the service card: the account's open
# cases, its latest trainings, its case ratings and survey service scores of the last year
# (service satisfaction); the pipeline card: the stage probabilities and the account's open
# opportunities;
# the account team card: its members with their users; the governance card: the tier's
# service level with its visit cadence; the survey card: the account's answers with their
# contacts.
TAB_QUERIES = {
    "profile": 9,
    "finance": 6,
    "needs": 9,
    "contacts": 5,
    "analysis": 5,
    "group": 9,
    "cards": 25,
}
# ... and, once analysed, the open tier proposal and the snapshot trend.
ANALYSED_TAB_QUERIES = TAB_QUERIES["analysis"] + 2


def count_queries(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


def add_accounts(world: World, n: int, *, snapshots: int = 0) -> None:
    """n accounts, each with its own KAM and team, so related rows differ per row, and
    `snapshots` dated snapshots each (a run per date, shared by the accounts)."""
    runs = [PortfolioRun.objects.get_or_create(as_of=day)[0] for day in snapshot_dates(snapshots)]
    for i in range(n):
        owner = UserFactory.create(username=f"owner-{n}-{i}")
        team = TeamFactory.create()
        MembershipFactory.create(team=team, user=owner)
        account = AccountFactory.create(owner=owner, team=team)
        add_ledger(account, 2, last_month=add_months(timezone.localdate(), 0))
        for run in runs:
            add_snapshot(account, as_of=run.as_of, run=run, churn_level="high", abc_revenue="A")
        TierProposal.objects.create(
            account=account, current_tier=Tier.GENERAL, proposed_tier=Tier.MAJOR
        )


def snapshot_dates(n: int) -> list[dt.date]:
    return [dt.date(2026, 6, 30) - dt.timedelta(days=30 * k) for k in range(n)]


def grow_account(account: Account, n: int) -> None:
    add_profile(account, n)
    add_contacts(account, n)
    add_ledger(account, n, last_month=add_months(timezone.localdate(), 0))
    for child in add_subsidiaries(account, n, team=account.team):
        add_subsidiaries(child, 1, team=account.team)


def test_the_list_runs_the_same_queries_for_3_and_for_30_accounts(world: World) -> None:
    client = client_for(world.executive)
    url = reverse("accounts:list")
    add_accounts(world, 3)
    few = count_queries(client, url)
    add_accounts(world, 27)
    many = count_queries(client, url)
    assert few == many == LIST_QUERIES


def test_filters_and_sorting_do_not_add_queries_per_row(world: World) -> None:
    client = client_for(world.executive)
    add_accounts(world, 30)
    params = {"q": "公司", "tier": "general", "region": "east", "sort": "-revenue", "page": "2"}
    assert count_queries(client, reverse("accounts:list"), params) == LIST_QUERIES


def test_the_account_page_runs_the_same_queries_for_3_and_for_30_facts(world: World) -> None:
    client = client_for(world.kam)
    small = AccountFactory.create(team=world.team, parent=world.other_account)
    large = AccountFactory.create(team=world.team, parent=world.other_account)
    grow_account(small, 3)
    grow_account(large, 30)
    few = count_queries(client, reverse("accounts:detail", args=[small.pk]))
    many = count_queries(client, reverse("accounts:detail", args=[large.pk]))
    assert few == many == DETAIL_QUERIES
    for tab, expected in TAB_QUERIES.items():
        few = count_queries(client, reverse("accounts:tab", args=[small.pk, tab]))
        many = count_queries(client, reverse("accounts:tab", args=[large.pk, tab]))
        assert few == many == expected, tab


def test_the_analysed_list_runs_the_same_queries_for_3_and_for_30_accounts(world: World) -> None:
    client = client_for(world.executive)
    url = reverse("accounts:list")
    params = {"churn": "high", "abc": "A", "proposal": "open", "sort": "-clv"}
    add_accounts(world, 3, snapshots=2)
    few = count_queries(client, url, params)
    add_accounts(world, 27, snapshots=2)
    many = count_queries(client, url, params)
    assert few == many == LIST_QUERIES
    for sort in ("churn", "abc", "clv"):
        assert count_queries(client, url, {"sort": sort, "page": "2"}) == LIST_QUERIES


def test_the_analysed_account_page_runs_the_same_queries_for_3_and_for_30_snapshots(
    world: World,
) -> None:
    client = client_for(world.kam)
    small = AccountFactory.create(team=world.team)
    large = AccountFactory.create(team=world.team)
    grow_account(small, 3)
    grow_account(large, 30)
    for account, n in ((small, 3), (large, 30)):
        for day in snapshot_dates(n):
            add_snapshot(account, as_of=day)
        TierProposal.objects.create(
            account=account, current_tier=Tier.GENERAL, proposed_tier=Tier.MAJOR
        )
    few = count_queries(client, reverse("accounts:detail", args=[small.pk]))
    many = count_queries(client, reverse("accounts:detail", args=[large.pk]))
    assert few == many == DETAIL_QUERIES - 1  # no parents
    few = count_queries(client, reverse("accounts:tab", args=[small.pk, "analysis"]))
    many = count_queries(client, reverse("accounts:tab", args=[large.pk, "analysis"]))
    assert few == many == ANALYSED_TAB_QUERIES


def test_the_account_page_queries_do_not_grow_with_the_depth_of_the_group(world: World) -> None:
    client = client_for(world.executive)
    parent = world.account
    for _ in range(6):
        parent = AccountFactory.create(parent=parent)
    assert count_queries(client, reverse("accounts:detail", args=[parent.pk])) == DETAIL_QUERIES
    group = reverse("accounts:tab", args=[parent.pk, "group"])
    assert count_queries(client, group) == TAB_QUERIES["group"]
