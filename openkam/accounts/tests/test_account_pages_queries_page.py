"""The list and the account page run a fixed number of queries, however many rows they show
(no N+1): measured with few and with many rows, and pinned."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, MembershipFactory, TeamFactory, UserFactory
from openkam.web.selectors import add_months
from openkam.web.tests.builders import add_contacts, add_ledger, add_profile, add_subsidiaries

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# Session, user, KAM choices, team choices, count, page rows.
LIST_QUERIES = 6
# Session, user, account with owner/team/industry/budget cycle, 11 prefetches, ancestors,
# subtree, subtree revenue, subtree accounts, visible subtree, years, months, invoices,
# payments, last order.
DETAIL_QUERIES = 24


def count_queries(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


def add_accounts(world: World, n: int) -> None:
    """n accounts, each with its own KAM and team, so related rows differ per row."""
    for i in range(n):
        owner = UserFactory.create(username=f"owner-{n}-{i}")
        team = TeamFactory.create()
        MembershipFactory.create(team=team, user=owner)
        account = AccountFactory.create(owner=owner, team=team)
        add_ledger(account, 2, last_month=add_months(timezone.localdate(), 0))


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


def test_the_account_page_queries_do_not_grow_with_the_depth_of_the_group(world: World) -> None:
    client = client_for(world.executive)
    parent = world.account
    for _ in range(6):
        parent = AccountFactory.create(parent=parent)
    assert count_queries(client, reverse("accounts:detail", args=[parent.pk])) == DETAIL_QUERIES
