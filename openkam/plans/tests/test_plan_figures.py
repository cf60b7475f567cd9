"""Figures a plan reads from the data: objective progress from the ledger aggregates and the
snapshots, whitespace on a hand-built ledger, the suggested revenue target, and what a review
computes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.accounts.models import Account, Industry, Tier
from openkam.conftest import World
from openkam.factories import AccountFactory, AccountMonthFactory, ProductFactory
from openkam.ledger.models import Order, OrderLine, Product
from openkam.plans import services
from openkam.plans.models import ActionStatus, Metric, PlanStatus, Progress, Risk
from openkam.plans.selectors import plan_suggestions, whitespace
from openkam.plans.tests.builders import objective, plan, snapshot

pytestmark = pytest.mark.django_db
MID_YEAR = dt.date(2026, 7, 2)  # 182 of 364 days of the plan year gone


def _months(account: Account, revenue: str, cost: str, months: range) -> None:
    for month in months:
        AccountMonthFactory.create(
            account=account,
            month=dt.date(2026, month, 1),
            revenue=Decimal(revenue),
            cost=Decimal(cost),
        )


def test_the_refresh_moves_objectives_from_the_ledger_and_the_snapshots(world: World) -> None:
    account = world.account
    _months(account, "100000", "70000", range(1, 7))  # Jan-Jun: 600,000 revenue, 30 % margin
    active = plan(account, status=PlanStatus.ACTIVE)
    revenue = objective(active, target=Decimal("1200000"))
    margin = objective(active, metric=Metric.GROSS_MARGIN, baseline=Decimal(25), target=Decimal(40))
    share = objective(
        active, metric=Metric.SHARE_OF_WALLET, baseline=Decimal(30), target=Decimal(40)
    )
    handwritten = objective(active, metric=Metric.FREE_TEXT, target=None, baseline=None)
    snapshot(account, dt.date(2026, 7, 1), share_of_wallet=0.33)

    assert services.objectives_measure(as_of=MID_YEAR) == 3

    revenue.refresh_from_db()
    margin.refresh_from_db()
    share.refresh_from_db()
    handwritten.refresh_from_db()
    # 600,000 of 1,200,000 at half time: on the path.
    assert (revenue.actual, revenue.progress) == (Decimal("600000.00"), Progress.ON_TRACK)
    # 30 % against a path at 25 + 15 x 0.5 = 32.5 %, slack 0.75: behind.
    assert (margin.actual, margin.progress) == (Decimal("30.00"), Progress.BEHIND)
    # 33 % against 35 %, slack 0.5: behind.
    assert (share.actual, share.progress) == (Decimal("33.00"), Progress.BEHIND)
    assert handwritten.progress == Progress.NOT_MEASURED
    assert revenue.measured_on == MID_YEAR


def test_a_later_refresh_moves_the_verdict(world: World) -> None:
    account = world.account
    _months(account, "100000", "70000", range(1, 7))
    active = plan(account, status=PlanStatus.ACTIVE)
    revenue = objective(active, target=Decimal("1200000"))
    services.objectives_measure(as_of=MID_YEAR)
    _months(account, "700000", "490000", range(7, 8))  # a big July order
    services.objectives_measure(as_of=dt.date(2026, 7, 31))
    revenue.refresh_from_db()
    assert (revenue.actual, revenue.progress) == (Decimal("1300000.00"), Progress.ACHIEVED)


def _line(account: Account, product: Product, day: dt.date, amount: str, n: int) -> None:
    order = Order.objects.create(account=account, order_no=f"SO{n}", order_date=day)
    OrderLine.objects.create(
        order=order,
        account=account,
        product=product,
        quantity=Decimal(1),
        unit_price=Decimal(amount),
        amount=Decimal(amount),
    )


def test_whitespace_lists_what_similar_accounts_buy_and_this_one_does_not() -> None:
    elevators = Industry.objects.create(code="C3435", name="电梯", name_en="Elevators")
    cranes = Industry.objects.create(code="C3434", name="起重机", name_en="Cranes")
    target = AccountFactory.create(industry=elevators, tier=Tier.KEY)
    peer_1 = AccountFactory.create(industry=elevators, tier=Tier.KEY)
    peer_2 = AccountFactory.create(industry=elevators, tier=Tier.KEY)
    other_tier = AccountFactory.create(industry=elevators, tier=Tier.GENERAL)
    other_industry = AccountFactory.create(industry=cranes, tier=Tier.KEY)
    family = {
        name: ProductFactory.create(family=name)
        for name in ("曳引机", "门机", "控制柜", "导轨", "钢丝绳")
    }
    day = dt.date(2026, 3, 1)
    _line(target, family["曳引机"], day, "500", 1)
    _line(peer_1, family["曳引机"], day, "400", 2)
    _line(peer_1, family["门机"], day, "300", 3)
    _line(peer_2, family["门机"], day, "500", 4)
    _line(peer_2, family["控制柜"], day, "900", 5)
    _line(other_tier, family["导轨"], day, "9000", 6)  # not similar: another tier
    _line(other_industry, family["钢丝绳"], day, "9000", 7)  # not similar: another industry
    _line(peer_1, family["导轨"], dt.date(2023, 1, 1), "9000", 8)  # too old
    cancelled = Order.objects.create(
        account=peer_1, order_no="SO9", order_date=day, status=Order.Status.CANCELLED
    )
    OrderLine.objects.create(
        order=cancelled, account=peer_1, product=family["钢丝绳"], quantity=1, amount=Decimal(99)
    )

    found = whitespace(target, as_of=dt.date(2026, 6, 30))

    assert [(w.family, w.accounts, w.peers, w.spend, w.spend_per_account) for w in found] == [
        ("控制柜", 1, 2, Decimal("900.00"), Decimal("900.00")),
        ("门机", 2, 2, Decimal("800.00"), Decimal("400.00")),
    ]


def test_the_suggested_target_is_the_forecast_plus_a_tenth_of_the_headroom(world: World) -> None:
    snapshot(
        world.account,
        dt.date(2026, 2, 1),
        forecast_year_1=Decimal("1000000"),
        share_of_wallet=0.25,
        portfolio_quadrant="key_development",
    )
    suggested = plan_suggestions(world.account, as_of=dt.date(2026, 3, 1))
    # At a 25 % share the customer buys 3,000,000 elsewhere; a tenth of it is 300,000.
    assert suggested.headroom == Decimal("3000000.00")
    assert suggested.revenue_target == Decimal("1300000")
    assert "selectively" in suggested.strategy or "有选择" in suggested.strategy


def test_accepted_suggestions_become_the_first_objective_and_strategy(world: World) -> None:
    snapshot(
        world.account,
        dt.date(2026, 2, 1),
        forecast_year_1=Decimal("1000000"),
        share_of_wallet=0.5,
        revenue_12m=Decimal("900000"),
        portfolio_quadrant="key_account",
    )
    created = services.plan_create(
        user=world.kam,
        account_id=world.account.pk,
        accept_revenue_target=True,
        accept_strategy=True,
        today=dt.date(2026, 3, 1),
    )
    first = created.objectives.get()
    assert (first.metric, first.target, first.baseline) == (
        Metric.REVENUE,
        Decimal("1100000.00"),
        Decimal("900000.00"),
    )
    assert created.strategies.count() == 1


def test_a_review_computes_what_changed_since_the_last_one(world: World) -> None:
    account = world.account
    active = plan(account, status=PlanStatus.ACTIVE)
    objective(active, target=Decimal("1200000"))
    snapshot(account, dt.date(2026, 1, 1), revenue_12m=Decimal("1000000"), churn_level="low")
    snapshot(account, dt.date(2026, 4, 1), revenue_12m=Decimal("1100000"), churn_level="medium")
    done = services.action_add(
        user=world.kam,
        plan=active,
        title="拜访采购总监",
        owner_id=world.kam.pk,
        due_on=dt.date(2026, 2, 1),
    )
    services.action_update(
        user=world.kam,
        action=done,
        changes={"status": ActionStatus.DONE},
        today=dt.date(2026, 2, 3),
    )
    services.action_add(
        user=world.kam,
        plan=active,
        title="技术交流",
        owner_id=world.kam.pk,
        due_on=dt.date(2026, 3, 1),
    )
    risk = services.risk_create(
        user=world.kam,
        account_id=account.pk,
        fields={
            "source": "customer",
            "category": "competition",
            "description": "竞品降价",
            "probability": "high",
            "impact": "high",
        },
    )
    opened = dt.datetime(2026, 3, 15, 10, tzinfo=dt.UTC)
    Risk.objects.filter(pk=risk.pk).update(created_at=opened)

    review = services.review_create(
        user=world.kam,
        plan=active,
        decisions="加派技术支持。",
        next_review_on=dt.date(2026, 7, 1),
        held_on=dt.date(2026, 4, 2),
    )

    figures = review.figures
    assert review.since == dt.date(
        2026, 1, 1
    )  # the period's start: no earlier review, not approved
    assert figures["before"]["revenue_12m"] == "1000000.00"
    assert figures["after"]["revenue_12m"] == "1100000.00"
    assert (figures["before"]["churn_level"], figures["after"]["churn_level"]) == ("low", "medium")
    assert (figures["actions_done"], figures["actions_overdue"]) == (1, 1)
    assert figures["risks_opened"] == 1
    assert figures["objectives"][0]["progress"] in Progress.values
    second = services.review_create(user=world.kam, plan=active, held_on=dt.date(2026, 7, 1))
    assert second.since == dt.date(2026, 4, 2)
