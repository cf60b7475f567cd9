"""Commission gated on cash collected (回款), pinned on a hand-built ledger: the KAM's Q3 2026
sales target is 3,000; an invoice of 1,130 (1,000 net of VAT, cost 600) is half paid in
August and its second half in October; an invoice of 2,000 naming no order is paid in full in
September; another KAM's account is paid too and must not count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.accounts.models import Account
from openkam.common.errors import PermissionDenied, ValidationError
from openkam.conftest import World
from openkam.factories import AccountMonthFactory, ProductFactory
from openkam.ledger.models import Invoice, Order, OrderLine, Payment
from openkam.performance.commission import commission_statement, pay_plan_set, rate_for
from openkam.performance.models import Level, Metric, PayPlan, Target
from openkam.performance.periods import period_parse

pytestmark = pytest.mark.django_db

TIERS = [
    {"from": "0", "rate": "0.01"},
    {"from": "0.8", "rate": "0.02"},
    {"from": "1", "rate": "0.03"},
]


def target(world: World, metric: str, per_month: int) -> None:
    Target.objects.create(
        year=2026, level=Level.KAM, metric=metric, team=world.team, kam=world.kam,
        amount=Decimal(per_month * 12), months=[f"{per_month}.00"] * 12,
    )  # fmt: skip


def invoice(account: Account, number: str, amount: str, order: Order | None = None) -> Invoice:
    return Invoice.objects.create(
        account=account, order=order, invoice_no=number, invoice_date=dt.date(2026, 7, 1),
        due_date=dt.date(2026, 8, 1), amount=Decimal(amount),
    )  # fmt: skip


def pay(account: Account, inv: Invoice | None, day: str, amount: str) -> None:
    Payment.objects.create(
        account=account, invoice=inv, payment_date=dt.date.fromisoformat(day),
        amount=Decimal(amount), reference=f"R-{day}",
    )  # fmt: skip


@pytest.fixture
def ledger(world: World) -> World:
    order = Order.objects.create(
        account=world.account, order_no="SO-1", order_date=dt.date(2026, 6, 20)
    )
    OrderLine.objects.create(
        order=order, account=world.account, product=ProductFactory.create(), quantity=Decimal(10),
        unit_price=Decimal(100), unit_cost=Decimal(60), amount=Decimal(1000), cost=Decimal(600),
    )  # fmt: skip
    first = invoice(world.account, "INV-1", "1130", order)
    second = invoice(world.account, "INV-2", "2000")
    pay(world.account, first, "2026-08-10", "565")
    pay(world.account, first, "2026-10-05", "565")  # after the quarter
    pay(world.account, second, "2026-09-01", "2000")
    theirs = invoice(world.other_account, "INV-9", "5000")
    pay(world.other_account, theirs, "2026-08-01", "5000")
    return world


def plan(world: World, basis: str = "sales") -> PayPlan:
    return pay_plan_set(
        user=world.executive, kam=world.kam, year=2026, annual_salary=Decimal(240000),
        basis=basis, tiers=TIERS, accelerator=Decimal("1.5"), share_note="0.1% 期权",
    )  # fmt: skip


def test_a_half_paid_invoice_earns_half_its_commission_at_the_tier_rate(ledger: World) -> None:
    target(ledger, Metric.SALES, 1000)
    AccountMonthFactory.create(
        account=ledger.account, month=dt.date(2026, 7, 1), revenue=2700, cost=1800
    )
    plan(ledger)
    statement = commission_statement(ledger.kam, period_parse("2026-Q3"))
    assert statement.attainment == Decimal("0.9")
    assert statement.rate == Decimal("0.02")
    assert not statement.accelerated
    first, second = statement.lines
    assert (first.invoice_no, first.paid, first.paid_share, first.base) == (
        "INV-1",
        Decimal("565"),
        Decimal("0.5"),
        Decimal("500.00"),
    )
    assert first.commission == Decimal("10.00")  # half of 1,000 net × 2 %
    assert (second.invoice_no, second.base, second.commission) == (
        "INV-2",
        Decimal("2000.00"),
        Decimal("40.00"),
    )
    assert statement.commission == Decimal("50.00")
    assert statement.collected == Decimal("2565")
    assert statement.salary == Decimal("60000.00")  # a quarter of 240,000
    assert statement.total_pay == Decimal("60050.00")


def test_the_second_half_is_earned_in_the_quarter_it_is_paid(ledger: World) -> None:
    target(ledger, Metric.SALES, 1000)
    plan(ledger)
    statement = commission_statement(ledger.kam, period_parse("2026-Q4"))
    assert [(line.invoice_no, line.base) for line in statement.lines] == [
        ("INV-1", Decimal("500.00"))
    ]


def test_above_target_the_rate_is_accelerated(ledger: World) -> None:
    target(ledger, Metric.SALES, 1000)
    AccountMonthFactory.create(
        account=ledger.account, month=dt.date(2026, 7, 1), revenue=3600, cost=2400
    )
    plan(ledger)
    statement = commission_statement(ledger.kam, period_parse("2026-Q3"))
    assert statement.attainment == Decimal("1.2")
    assert statement.accelerated
    assert statement.rate == Decimal("0.045")  # 3 % × 1.5
    assert [line.commission for line in statement.lines] == [Decimal("22.50"), Decimal("90.00")]


def test_a_margin_plan_pays_on_the_collected_share_of_gross_margin(ledger: World) -> None:
    target(ledger, Metric.MARGIN, 300)
    AccountMonthFactory.create(
        account=ledger.account, month=dt.date(2026, 7, 1), revenue=3600, cost=2400
    )
    plan(ledger, basis="margin")
    statement = commission_statement(ledger.kam, period_parse("2026-Q3"))
    assert statement.actual == Decimal("1200")
    assert statement.target == Decimal("900.00")
    assert statement.rate == Decimal("0.045")
    first, second = statement.lines
    assert first.base == Decimal("200.00")  # half of the order's 400 margin
    assert second.base == Decimal("666.67")  # 2,000 × the account's 1/3 margin rate
    assert (first.commission, second.commission) == (Decimal("9.00"), Decimal("30.00"))


def test_without_a_target_the_lowest_tier_applies(ledger: World) -> None:
    plan(ledger)
    statement = commission_statement(ledger.kam, period_parse("2026-Q3"))
    assert statement.attainment is None
    assert statement.rate == Decimal("0.01")
    assert statement.commission == Decimal("25.00")


def test_without_a_pay_plan_nothing_is_earned(ledger: World) -> None:
    statement = commission_statement(ledger.kam, period_parse("2026-Q3"))
    assert statement.plan is None
    assert statement.lines == []
    assert statement.total_pay == 0


def test_the_tier_is_the_highest_reached(ledger: World) -> None:
    found = plan(ledger)
    assert [rate_for(found, Decimal(a)) for a in ("0", "0.79", "0.8", "1", "1.01")] == [
        Decimal("0.01"), Decimal("0.01"), Decimal("0.02"), Decimal("0.03"), Decimal("0.0450"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("tiers", {"tiers": []}),
        ("tiers", {"tiers": [{"from": "0", "rate": "2"}]}),
        ("tiers", {"tiers": [{"from": "0", "rate": "0.1"}, {"from": "0", "rate": "0.2"}]}),
        ("accelerator", {"accelerator": Decimal("9")}),
        ("basis", {"basis": "volume"}),
        ("annual_salary", {"annual_salary": Decimal(-1)}),
    ],
)
def test_a_bad_pay_plan_is_refused_naming_the_field(world: World, field: str, kwargs: dict) -> None:
    values = {"year": 2026, "annual_salary": Decimal(1), "basis": "sales", "tiers": TIERS} | kwargs
    with pytest.raises(ValidationError) as raised:
        pay_plan_set(user=world.executive, kam=world.kam, **values)
    assert field in raised.value.message_dict
    assert not PayPlan.objects.exists()


@pytest.mark.parametrize("who", ["director", "kam", "other_kam", "analyst", "viewer"])
def test_only_an_executive_sets_pay(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        pay_plan_set(user=getattr(world, who), kam=world.kam, year=2026,
                     annual_salary=Decimal(1), basis="sales", tiers=TIERS)  # fmt: skip
    assert not PayPlan.objects.exists()
