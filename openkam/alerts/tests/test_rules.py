"""Each rule on hand-made figures: what raises it, at which level, with what value at risk,
and what does not (a rule evaluated alone, as `openkam alerts --rule` does)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from openkam.accounts.models import Account, Tier
from openkam.alerts.models import Alert, Level
from openkam.alerts.rules import RULES, message_of
from openkam.conftest import World
from openkam.factories import AccountFactory, ProductFactory
from openkam.ledger.models import AccountMonth, Order, OrderLine
from openkam.portfolio.models import AccountSnapshot, PortfolioRun

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def refresh(as_of: dt.date, rows: dict[Account, dict[str, Any]]) -> PortfolioRun:
    """A finished refresh with one snapshot per account (the figures given, the rest zero)."""
    run = PortfolioRun.objects.create(as_of=as_of, status=PortfolioRun.Status.DONE)
    for account, figures in rows.items():
        AccountSnapshot.objects.create(
            run=run, account=account, as_of=as_of, tier=account.tier, tier_proposed=account.tier,
            **figures,
        )  # fmt: skip
    return run


def raised(rule: str) -> dict[int, Alert]:
    call_command("alerts", "--as-of", TODAY.isoformat(), "--rule", rule)
    return {a.account_id: a for a in Alert.objects.filter(rule=rule)}


def key_account(world: World) -> Account:
    return AccountFactory.create(team=world.team, owner=world.kam, tier=Tier.KEY)


def test_churn_rising_compares_the_two_latest_refreshes(world: World) -> None:
    rising, steady = key_account(world), key_account(world)
    refresh(
        TODAY - dt.timedelta(days=30),
        {rising: {"churn_level": "low"}, steady: {"churn_level": "high"}},
    )
    figures = {"churn_level": "high", "clv": Decimal("100000"), "p_alive": 0.4}
    refresh(TODAY, {rising: figures, steady: {"churn_level": "high"}})
    found = raised("churn_rising")
    assert list(found) == [rising.pk]
    assert found[rising.pk].level == Level.HIGH
    assert found[rising.pk].value_at_risk == Decimal("60000.00")


def test_churn_rising_holds_while_the_level_stays_up(world: World) -> None:
    rising = key_account(world)
    refresh(TODAY - dt.timedelta(days=60), {rising: {"churn_level": "low"}})
    refresh(TODAY - dt.timedelta(days=30), {rising: {"churn_level": "medium"}})
    assert list(raised("churn_rising")) == [rising.pk]
    refresh(TODAY, {rising: {"churn_level": "medium"}})
    assert Alert.objects.get().resolved_at is None


def test_p_alive_below_the_cut(world: World) -> None:
    low, fine, general = key_account(world), key_account(world), world.account
    refresh(TODAY, {low: {"p_alive": 0.05}, fine: {"p_alive": 0.6}, general: {"p_alive": 0.05}})
    found = raised("p_alive_low")
    assert list(found) == [low.pk]
    assert found[low.pk].level == Level.HIGH


def test_purchase_gap_beyond_twice_the_usual_interval(world: World) -> None:
    late, on_time = key_account(world), key_account(world)
    usual = {"mean_gap_days": 30.0, "purchase_days": 8}
    refresh(TODAY, {late: {**usual, "days_since_last_purchase": 75},
                    on_time: {**usual, "days_since_last_purchase": 40}})  # fmt: skip
    found = raised("purchase_gap")
    assert list(found) == [late.pk]
    assert found[late.pk].params["ratio"] == 2.5


def test_revenue_down_against_the_same_months_last_year(world: World) -> None:
    down = key_account(world)
    for month, revenue in ((dt.date(2025, 4, 1), "40000"), (dt.date(2026, 4, 1), "10000")):
        AccountMonth.objects.create(account=down, month=month, revenue=Decimal(revenue))
    found = raised("revenue_decline")
    assert found[down.pk].level == Level.HIGH
    assert found[down.pk].value_at_risk == Decimal("30000.00")


def test_credit_limit_and_receivables_over_90_days(world: World) -> None:
    both, none = world.account, key_account(world)
    refresh(TODAY, {
        both: {"credit_limit_use": 1.3, "ar_open": Decimal("80000"),
               "ar_ageing": {"91-180": 20000.0, ">180": 5000.0}},
        none: {"credit_limit_use": 0.5, "ar_ageing": {"0-30": 9000.0}},
    })  # fmt: skip
    found = raised("credit_exposure")
    assert list(found) == [both.pk]
    assert (found[both.pk].level, found[both.pk].params["over_90"]) == (Level.HIGH, 25000.0)
    with translation.override("en"):
        assert "credit hold" in message_of("credit_exposure", found[both.pk].params)


def test_visit_overdue_watches_key_tiers_by_default(world: World) -> None:
    never_visited = key_account(world)
    Account.objects.filter(pk__in=[never_visited.pk, world.account.pk]).update(
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    assert list(raised("visit_overdue")) == [never_visited.pk]


def test_concentration_over_the_cut(world: World) -> None:
    big, small = key_account(world), world.account
    refresh(TODAY, {big: {"revenue_12m": Decimal("900")}, small: {"revenue_12m": Decimal("100")}})
    found = raised("concentration")
    assert list(found) == [big.pk]
    assert found[big.pk].params["share"] == 0.9


def test_order_lines_without_cost(world: World) -> None:
    order = Order.objects.create(account=world.account, order_no="SO-1", order_date=TODAY)
    product = ProductFactory.create()
    for n, unit_cost in ((1, "0"), (2, "3")):
        OrderLine.objects.create(
            order=order, account=world.account, product=product, line_no=n, quantity=1,
            unit_price=Decimal("10"), unit_cost=Decimal(unit_cost), amount=Decimal("10"),
            cost=Decimal(unit_cost),
        )  # fmt: skip
    found = raised("missing_cost")
    assert found[world.account.pk].params == {"lines": 1, "revenue": 10.0}


def test_accounts_without_an_owner(world: World) -> None:
    assert list(raised("no_owner")) == [world.unassigned_account.pk]


@pytest.mark.parametrize("key", sorted(RULES))
def test_every_rule_words_its_alert_in_both_languages(key: str) -> None:
    params = {"from": "low", "to": "high", "p_alive": 0.1, "cut": 0.3, "days": 60, "usual": 20,
              "ratio": 3, "now": 1, "before": 2, "change": -0.5, "months": 3, "share": 0.5,
              "overdue": 10, "over_limit": True, "limit_use": 1.2, "over_90": 5,
              "due_on": "2026-01-01", "days_late": 3, "every_days": 30, "revenue": 100,
              "lines": 2}  # fmt: skip
    with translation.override("en"):
        english = message_of(key, params)
    with translation.override("zh-hans"):
        chinese = message_of(key, params)
    assert english
    assert chinese != english


def test_money_in_a_message_reads_as_on_the_pages() -> None:
    """1,358,992 is "¥135.9万" to a Chinese reader and "¥1.4M" to an English one, as the pages
    say it (common.money.spoken), never the raw figure."""
    params: dict[str, object] = {"now": 1358992, "before": 2717984, "change": -0.5, "months": 3}
    with translation.override("zh-hans"):
        chinese = message_of("revenue_decline", params)
    with translation.override("en"):
        english = message_of("revenue_decline", params)
    assert "¥135.9万" in chinese, chinese
    assert "¥271.8万" in chinese, chinese
    assert "1,358,992" not in chinese
    assert "¥1.4M" in english, english
