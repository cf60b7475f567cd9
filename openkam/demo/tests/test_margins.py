"""The demo's margins are an elevator-parts maker's: about a fifth of revenue overall, lower
(price pressure) but positive on the strategic accounts, and some accounts that lose money
once the cost to serve is counted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import QuerySet, Sum

from openkam.demo.services import DemoReport
from openkam.demo.tests.conftest import TODAY
from openkam.ledger.models import AccountMonth, CostToServe

pytestmark = pytest.mark.django_db
LAST_YEAR = TODAY.year - 1


def gross_margin(months: QuerySet[AccountMonth]) -> float:
    totals = months.aggregate(revenue=Sum("revenue"), cost=Sum("cost"))
    return float(1 - totals["cost"] / totals["revenue"])


def net_contribution_last_year() -> dict[int, Decimal]:
    """Revenue minus cost of goods minus cost to serve, per account that bought last year."""
    months = AccountMonth.objects.filter(month__year=LAST_YEAR).values("account_id")
    net = {
        row["account_id"]: row["revenue"] - row["cost"]
        for row in months.annotate(revenue=Sum("revenue"), cost=Sum("cost"))
    }
    costs = CostToServe.objects.filter(year=LAST_YEAR).values("account_id")
    for row in costs.annotate(total=Sum("amount")):
        if row["account_id"] in net:
            net[row["account_id"]] -= row["total"]
    return net


def test_gross_margin_is_about_a_fifth_of_revenue(demo: DemoReport) -> None:
    assert 0.15 <= gross_margin(AccountMonth.objects.all()) <= 0.25


def test_strategic_accounts_earn_a_lower_but_positive_gross_margin(demo: DemoReport) -> None:
    overall = gross_margin(AccountMonth.objects.all())
    strategic = gross_margin(AccountMonth.objects.filter(account__tier="strategic"))
    general = gross_margin(AccountMonth.objects.filter(account__tier="general"))
    assert 0.05 <= strategic < overall < general


def test_some_accounts_lose_money_after_the_cost_to_serve(demo: DemoReport) -> None:
    net = net_contribution_last_year()
    losing = [account for account, amount in net.items() if amount < 0]
    assert 0.02 * len(net) <= len(losing) <= 0.2 * len(net)
    assert sum(net.values()) > 0
