"""The needs-attention list puts the most money at stake first, weighted by tier: a general
account's large overdue bill can outrank a key account's small one, a strategic account's
likely loss outranks a larger one of a general account only by its weight, and an account
with nothing but a missing scorecard comes last."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from openkam.accounts.models import Account, Tier
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.web.tests.builders import add_run, add_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
AS_OF = dt.date(2026, 6, 30)


def snapshot(account: Account, run: Any, **fields: Any) -> None:
    values: dict[str, Any] = {
        "tier": account.tier,
        "abc_revenue": "B",
        "churn_level": "low",
        "churn_reasons": [],
        "revenue_12m": Decimal("100000"),
        "revenue_prev_12m": Decimal("100000"),
        "cost_12m": Decimal("60000"),
        "ar_overdue": Decimal("0"),
        "attractiveness": None,
        "attractiveness_coverage": 1.0,
        "clv": None,
        "p_alive": None,
    }
    add_snapshot(account, as_of=AS_OF, run=run, **(values | fields))


def test_the_list_is_ranked_by_value_at_risk_weighted_by_tier(world: World) -> None:
    run = add_run(AS_OF)

    def account(tier: str) -> Account:
        return AccountFactory.create(team=world.team, owner=world.kam, tier=tier)

    # key, 30,000 overdue: 30,000 at risk, x2 = 60,000
    key_small = account(Tier.KEY)
    snapshot(key_small, run, ar_overdue=Decimal("30000"))
    # general, 80,000 overdue: 80,000 x1 = 80,000, first
    general_big = account(Tier.GENERAL)
    snapshot(general_big, run, ar_overdue=Decimal("80000"))
    # strategic, high churn: CLV 50,000 x (1 - 0.6) = 20,000 at risk, x3 = 60,000; its rule
    # weighs more than an overdue bill, so it comes before the key account's equal 60,000
    strategic = account(Tier.STRATEGIC)
    snapshot(
        strategic,
        run,
        churn_level="high",
        churn_reasons=["p_alive_low"],
        clv=Decimal("50000"),
        p_alive=0.6,
    )
    # major, high churn and no model: the last 12 months' revenue (10,000) x1.5 = 15,000
    major = account(Tier.MAJOR)
    snapshot(major, run, churn_level="high", revenue_12m=Decimal("10000"))
    # key account with no scorecard: nothing at risk, last
    unscored = account(Tier.KEY)
    snapshot(unscored, run, attractiveness_coverage=0.0, revenue_12m=Decimal("900000"))
    # nothing to say: not listed
    account(Tier.GENERAL)

    response = client_for(world.kam).get(reverse("home"))
    items = response.context["dashboard"].figures["attention"]["items"]

    assert [item["id"] for item in items] == [
        general_big.pk,
        strategic.pk,
        key_small.pk,
        major.pk,
        unscored.pk,
    ]
    assert [item["value_at_risk"] for item in items] == pytest.approx(
        [80000, 20000, 30000, 10000, 0]
    )
    html = response.content.decode()
    assert "weighted by tier (strategic ×3, key ×2, major ×1.5)" in html
    assert html.count('data-testid="attention-at-risk"') == 5


def test_a_change_of_the_accounts_a_user_sees_is_a_new_scope(world: World) -> None:
    """The figures kept for a KAM's scope are not reused once an account joins or leaves
    their book (the scope's key is a fingerprint of the set, not the rule)."""
    from openkam.portfolio.models import DashboardCache

    run = add_run(AS_OF)
    snapshot(world.account, run, ar_overdue=Decimal("1000"))
    client = client_for(world.kam)
    client.get(reverse("home"))
    client.get(reverse("home"))
    assert DashboardCache.objects.filter(run=run).count() == 1
    moved = AccountFactory.create(team=world.other_team, owner=world.other_kam)
    snapshot(moved, run, ar_overdue=Decimal("5000"))
    client.get(reverse("home"))
    assert DashboardCache.objects.filter(run=run).count() == 1  # not theirs: same scope
    moved.team = world.team
    moved.save()
    items = client.get(reverse("home")).context["dashboard"].figures["attention"]["items"]
    assert DashboardCache.objects.filter(run=run).count() == 2
    assert [item["id"] for item in items] == [moved.pk, world.account.pk]
