"""The per-account aggregates always equal the order lines they summarise."""

import datetime as dt
from decimal import Decimal

import pytest

from openkam.accounts.models import Account
from openkam.factories import AccountFactory, ProductFactory
from openkam.ledger.models import AccountMonth, AccountPurchaseDay, Order, OrderLine
from openkam.ledger.services import aggregates_rebuild

pytestmark = pytest.mark.django_db


def order(account: Account, day: dt.date, amounts: list[str], status: str = "delivered") -> Order:
    product = ProductFactory.create()
    new = Order.objects.create(account=account, order_no=f"SO-{day}-{len(amounts)}-{status}",
                               order_date=day, status=status)  # fmt: skip
    for number, amount in enumerate(amounts, 1):
        OrderLine.objects.create(
            order=new,
            account=account,
            product=product,
            line_no=number,
            quantity=Decimal("2"),
            unit_price=Decimal(amount) / 2,
            unit_cost=Decimal(amount) / 4,
            amount=Decimal(amount),
            cost=Decimal(amount) / 2,
        )
    return new


def test_months_and_days_are_summed_from_the_lines_of_valid_orders() -> None:
    account, other = AccountFactory.create(), AccountFactory.create()
    order(account, dt.date(2026, 3, 5), ["100.00", "50.00"])
    order(account, dt.date(2026, 3, 5), ["10.00"])  # same day: one purchase day
    order(account, dt.date(2026, 3, 20), ["40.00"])
    order(account, dt.date(2026, 4, 1), ["999.00"], status="cancelled")
    order(other, dt.date(2026, 3, 5), ["7.00"])

    assert aggregates_rebuild(account_ids=[account.pk]) == (1, 2)

    month = AccountMonth.objects.get(account=account)
    assert (month.month, month.revenue, month.cost) == (
        dt.date(2026, 3, 1),
        Decimal("200"),
        Decimal("100"),
    )
    assert (month.order_count, month.line_count, month.quantity) == (3, 4, Decimal("8"))
    days = dict(AccountPurchaseDay.objects.filter(account=account).values_list("day", "revenue"))
    assert days == {dt.date(2026, 3, 5): Decimal("160"), dt.date(2026, 3, 20): Decimal("40")}
    assert not AccountMonth.objects.filter(account=other).exists()  # not asked for


def test_a_rebuild_replaces_stale_figures_and_leaves_other_accounts_alone() -> None:
    account, other = AccountFactory.create(), AccountFactory.create()
    order(account, dt.date(2026, 1, 9), ["30.00"])
    order(other, dt.date(2026, 1, 9), ["5.00"])
    aggregates_rebuild()
    OrderLine.objects.filter(account=account).update(amount=Decimal("31.00"))
    AccountMonth.objects.filter(account=other).update(revenue=Decimal("123"))

    aggregates_rebuild(account_ids=[account.pk])

    assert AccountMonth.objects.get(account=account).revenue == Decimal("31")
    assert AccountMonth.objects.get(account=other).revenue == Decimal("123")


def test_an_account_without_lines_ends_with_no_aggregates() -> None:
    account = AccountFactory.create()
    AccountMonth.objects.create(account=account, month=dt.date(2025, 1, 1), revenue=Decimal("9"))
    assert aggregates_rebuild(account_ids=[account.pk]) == (0, 0)
    assert not AccountMonth.objects.filter(account=account).exists()
