"""The on-time-in-full KPI, its trend and its drill-down totals read the delivery counts kept
per account and promised month (ledger.AccountDeliveryMonth); pinned equal to the row-level
rule (kpis.ON_TIME_IN_FULL over the order lines) on a hand-built ledger, through every way the
counts are rebuilt: the ledger's aggregates of a few accounts, of many accounts (a temporary
table of ids) and of every account."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import CharField, Count, F, QuerySet
from django.db.models.functions import Cast, Substr

from openkam.accounts.models import Account
from openkam.conftest import World
from openkam.factories import AccountFactory, ProductFactory
from openkam.ledger import services
from openkam.ledger.models import AccountDeliveryMonth, Order, OrderLine
from openkam.ledger.services import aggregates_rebuild
from openkam.performance.kpi_drill import drill
from openkam.performance.kpi_trends import trends
from openkam.performance.kpis import ON_TIME_IN_FULL, compute
from openkam.performance.periods import Period, period_parse

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


def _line(
    order: Order,
    no: int,
    promised: str | None,
    delivered: str | None,
    quantity: str = "10",
    shipped: str | None = "10",
) -> None:
    OrderLine.objects.create(
        order=order, account=order.account, product=ProductFactory.create(), line_no=no,
        quantity=Decimal(quantity), unit_price=1, unit_cost=1, amount=Decimal(quantity),
        cost=Decimal(quantity), promised_date=D(promised) if promised else None,
        delivered_date=D(delivered) if delivered else None,
        delivered_quantity=Decimal(shipped) if delivered and shipped else None,
    )  # fmt: skip


@pytest.fixture
def ledger(world: World) -> dict[str, Account]:
    """Two team accounts and another team's, every kind of line: on time in full, early,
    the same day, late, short, over-delivered, not delivered, delivered without a quantity, no
    promise at all, a cancelled order's line, a fractional quantity."""
    first, second = world.account, AccountFactory.create(team=world.team, owner=world.kam)
    a = Order.objects.create(account=first, order_no="A", order_date=D("2026-06-20"))
    _line(a, 1, "2026-07-10", "2026-07-09")  # on time, in full
    _line(a, 2, "2026-07-10", "2026-07-10")  # the same day
    _line(a, 3, "2026-07-31", "2026-08-01")  # a day late
    _line(a, 4, "2026-08-15", "2026-08-01", shipped="9.999")  # short by a fraction
    _line(a, 5, "2026-08-15", "2026-08-01", shipped="12")  # over-delivered: in full
    _line(a, 6, "2026-09-30", None)  # not delivered
    _line(a, 7, None, "2026-07-01")  # never promised: not counted
    _line(a, 8, "2026-09-01", "2026-08-31", shipped=None)  # no delivered quantity
    _line(a, 9, "2026-06-30", "2026-06-29")  # the month before the quarter
    _line(a, 10, "2026-10-01", "2026-09-01")  # the month after
    cancelled = Order.objects.create(
        account=second, order_no="C", order_date=D("2026-07-01"), status=Order.Status.CANCELLED
    )
    _line(cancelled, 1, "2026-07-05", None)  # counted as the row-level rule counts it
    b = Order.objects.create(account=second, order_no="B", order_date=D("2026-05-01"))
    _line(b, 1, "2026-09-15", "2026-09-15", quantity="2.5", shipped="2.5")
    _line(b, 2, "2025-07-15", "2025-07-01")  # a year before
    other = Order.objects.create(
        account=world.other_account, order_no="O", order_date=D("2026-07-01")
    )
    _line(other, 1, "2026-07-20", None)
    return {"first": first, "second": second}


def _row_level(accounts: QuerySet[Account], period: Period) -> dict[str, int]:
    """The figure as the KPI computed it before the counts were kept: every order line."""
    return OrderLine.objects.filter(
        account__in=accounts,
        promised_date__gte=period.start,
        promised_date__lte=period.last_day,
    ).aggregate(promised=Count("pk"), on_time=Count("pk", filter=ON_TIME_IN_FULL))


def _row_level_months(
    accounts: QuerySet[Account], first: str, last: str
) -> dict[str, tuple[int, int]]:
    rows = (
        OrderLine.objects.filter(
            account__in=accounts, promised_date__gte=D(first), promised_date__lte=D(last)
        )
        .annotate(m=Substr(Cast("promised_date", output_field=CharField()), 1, 7))
        .values("m")
        .annotate(promised=Count("pk"), on_time=Count("pk", filter=ON_TIME_IN_FULL))
    )
    return {row["m"]: (row["on_time"], row["promised"]) for row in rows}


def _kept() -> set[tuple[int, str, int, int]]:
    return {
        (row.account_id, f"{row.month:%Y-%m}", row.lines_due, row.lines_on_time)
        for row in AccountDeliveryMonth.objects.all()
    }


REBUILDS = ["few", "many", "all"]


def _rebuild(how: str, ids: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    AccountDeliveryMonth.objects.all().delete()
    if how == "many":  # past the inline ids: the ids go through a temporary table
        monkeypatch.setattr(services, "INLINE_IDS", 1)
    aggregates_rebuild(account_ids=None if how == "all" else ids)


@pytest.mark.parametrize("how", REBUILDS)
def test_the_ledger_rebuild_keeps_the_counts_per_account_and_promised_month(
    world: World, ledger: dict[str, Account], how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = ledger["first"].pk, ledger["second"].pk
    _rebuild(how, [first, second, world.other_account.pk], monkeypatch)
    # Hand-counted: (account, promised month, lines due, lines on time in full).
    assert _kept() == {
        (first, "2026-06", 1, 1),
        (first, "2026-07", 3, 2),
        (first, "2026-08", 2, 1),
        (first, "2026-09", 2, 0),
        (first, "2026-10", 1, 1),
        (second, "2025-07", 1, 1),
        (second, "2026-07", 1, 0),
        (second, "2026-09", 1, 1),
        (world.other_account.pk, "2026-07", 1, 0),
    }


def test_a_rebuild_of_some_accounts_leaves_the_others_counts(
    world: World, ledger: dict[str, Account]
) -> None:
    aggregates_rebuild(account_ids=None)
    OrderLine.objects.filter(account=ledger["second"]).update(delivered_date=None)
    aggregates_rebuild(account_ids=[ledger["first"].pk])
    assert (ledger["second"].pk, "2026-09", 1, 1) in _kept()  # not rebuilt: as it was
    aggregates_rebuild(account_ids=[ledger["second"].pk])
    assert (ledger["second"].pk, "2026-09", 1, 0) in _kept()
    assert (ledger["first"].pk, "2026-07", 3, 2) in _kept()


@pytest.mark.parametrize("label", ["2026-Q3", "2026-07", "2026-08", "2026-09", "2026", "2025"])
def test_the_kpi_equals_the_row_level_rule(
    world: World, ledger: dict[str, Account], label: str
) -> None:
    aggregates_rebuild(account_ids=None)
    period = period_parse(label)
    for accounts in (Account.objects.filter(team=world.team), Account.objects.all()):
        expected = _row_level(accounts, period)
        kpi = {k.key: k for k in compute(accounts, period)}["on_time_rate"]
        assert kpi.detail == expected
        assert kpi.value == (
            pytest.approx(expected["on_time"] / expected["promised"])
            if expected["promised"]
            else None
        )


def test_the_team_quarter_by_hand(world: World, ledger: dict[str, Account]) -> None:
    aggregates_rebuild(account_ids=None)
    team = Account.objects.filter(team=world.team)
    kpi = {k.key: k for k in compute(team, period_parse("2026-Q3"))}["on_time_rate"]
    # July 3 + 1 cancelled, August 2, September 2 + 1: 9 due; on time 2 + 1 + 1 = 4.
    assert kpi.detail == {"promised": 9, "on_time": 4}
    assert kpi.value == pytest.approx(4 / 9)


def test_the_trend_equals_the_row_level_rule_month_by_month(
    world: World, ledger: dict[str, Account]
) -> None:
    aggregates_rebuild(account_ids=None)
    team = Account.objects.filter(team=world.team)
    series = trends(team, period_parse("2026-Q3"))
    found = dict(zip(series["months"], series["on_time_rate"], strict=True))
    expected = _row_level_months(team, "2025-10-01", "2026-09-30")
    assert {m: v for m, v in found.items() if v is not None} == pytest.approx(
        {m: on_time / due for m, (on_time, due) in expected.items()}
    )
    assert found["2026-07"] == pytest.approx(2 / 4)  # by hand: the cancelled line is due
    assert found["2026-06"] == pytest.approx(1.0)
    assert found["2026-05"] is None


def test_the_drill_down_totals_equal_the_rows_behind_them(
    world: World, ledger: dict[str, Account]
) -> None:
    aggregates_rebuild(account_ids=None)
    team = Account.objects.filter(team=world.team)
    found = drill(team, period_parse("2026-Q3"), "on_time_rate")
    assert found.totals == {"promised": 9, "on_time": 4, "late": 5}
    assert len(found.rows) == found.totals["late"]  # every late line listed
    assert drill(team, period_parse("2026-Q3"), "sales").totals is None


def test_lines_written_without_a_rebuild_are_not_read(
    world: World, ledger: dict[str, Account]
) -> None:
    """The KPI reads the kept counts, not the lines: no rebuild, no figure (the writers of the
    ledger rebuild; this pins that the lines are no longer scanned)."""
    AccountDeliveryMonth.objects.all().delete()
    team = Account.objects.filter(team=world.team)
    kpi = {k.key: k for k in compute(team, period_parse("2026-Q3"))}["on_time_rate"]
    assert kpi.value is None
    assert kpi.detail == {"promised": 0, "on_time": 0}


def test_the_counts_stay_a_row_per_account_and_month(
    world: World, ledger: dict[str, Account]
) -> None:
    aggregates_rebuild(account_ids=None)
    aggregates_rebuild(account_ids=None)
    assert AccountDeliveryMonth.objects.count() == 9
    assert not AccountDeliveryMonth.objects.filter(lines_on_time__gt=F("lines_due"))
