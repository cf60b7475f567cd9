"""The dashboard runs a fixed number of queries whatever the size of the portfolio."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, UserFactory
from openkam.web.selectors import add_months
from openkam.web.tests.builders import add_ledger

pytestmark = pytest.mark.django_db

# Session, user, tier counts, revenue totals, top 10 with their KAM, monthly series.
HOME_QUERIES = 6


def queries(world: World) -> int:
    client = client_for(world.executive)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    return len(captured.captured_queries)


def add_accounts(n: int) -> None:
    for i in range(n):
        account = AccountFactory.create(owner=UserFactory.create(username=f"home-{n}-{i}"))
        add_ledger(account, 3, last_month=add_months(timezone.localdate(), 0))


def test_the_dashboard_runs_the_same_queries_for_3_and_for_30_accounts(world: World) -> None:
    add_accounts(3)
    few = queries(world)
    add_accounts(27)
    many = queries(world)
    assert few == many == HOME_QUERIES
