"""The aggregates grouped in SQL equal a hand-computed example, on SQLite and PostgreSQL alike."""

import datetime as dt
from decimal import Decimal

import pytest

from openkam.factories import AccountFactory
from openkam.ledger.models import AccountMonth, AccountPurchaseDay, OrderLine
from openkam.ledger.services import INLINE_IDS, aggregates_rebuild
from openkam.ledger.tests.test_aggregates import order

pytestmark = pytest.mark.django_db


def months_of(account_id: int) -> list[tuple]:
    return list(
        AccountMonth.objects.filter(account_id=account_id)
        .order_by("month")
        .values_list("month", "revenue", "cost", "quantity", "order_count", "line_count")
    )


@pytest.mark.parametrize("which", ["few", "many", "all"])
def test_months_split_at_month_ends_and_count_each_order_once(which: str) -> None:
    """The same figures by each way of rebuilding: a few accounts (straight from the lines),
    many (their ids in a temporary table, days first) and every account."""
    account = AccountFactory.create()
    order(account, dt.date(2025, 12, 31), ["0.10", "0.20"])  # floats would make 0.30000000000000004
    order(account, dt.date(2026, 1, 1), ["1234567.88"])
    order(account, dt.date(2026, 1, 31), ["0.02", "0.04", "0.06"])
    OrderLine.objects.filter(account=account, amount=Decimal("0.02")).update(
        quantity=Decimal("1.125")
    )

    chosen = {
        "few": (pk for pk in [account.pk]),
        "many": [account.pk, *range(10**9, 10**9 + INLINE_IDS)],  # ids beyond the inline list
        "all": None,
    }[which]
    assert aggregates_rebuild(account_ids=chosen) == (2, 3)

    assert months_of(account.pk) == [
        (dt.date(2025, 12, 1), Decimal("0.30"), Decimal("0.15"), Decimal("4.000"), 1, 2),
        (dt.date(2026, 1, 1), Decimal("1234568.00"), Decimal("617284.00"), Decimal("7.125"), 2, 4),
    ]
    days = list(
        AccountPurchaseDay.objects.filter(account=account)
        .order_by("day")
        .values_list("day", "revenue", "cost")
    )
    assert days == [
        (dt.date(2025, 12, 31), Decimal("0.30"), Decimal("0.15")),
        (dt.date(2026, 1, 1), Decimal("1234567.88"), Decimal("617283.94")),
        (dt.date(2026, 1, 31), Decimal("0.12"), Decimal("0.06")),
    ]


def test_a_rebuild_of_everything_drops_the_aggregates_of_accounts_without_lines() -> None:
    account, emptied = AccountFactory.create(), AccountFactory.create()
    order(account, dt.date(2026, 5, 2), ["10.00"])
    order(emptied, dt.date(2026, 5, 2), ["20.00"])
    aggregates_rebuild()
    OrderLine.objects.filter(account=emptied).delete()

    assert aggregates_rebuild() == (1, 1)

    assert months_of(emptied.pk) == []
    assert months_of(account.pk) == [(dt.date(2026, 5, 1), Decimal("10"), Decimal("5"),
                                      Decimal("2"), 1, 1)]  # fmt: skip


def test_rebuilds_in_one_transaction_each_see_only_their_own_accounts() -> None:
    first, second = AccountFactory.create(), AccountFactory.create()
    order(first, dt.date(2026, 6, 1), ["1.00"])
    order(second, dt.date(2026, 6, 1), ["2.00"])
    unknown = [10_000_000 + n for n in range(6000)]  # more ids than one insert of the table

    assert aggregates_rebuild(account_ids=[first.pk, *unknown]) == (1, 1)
    assert aggregates_rebuild(account_ids=[second.pk]) == (1, 1)
    assert aggregates_rebuild(account_ids=[]) == (0, 0)

    assert AccountMonth.objects.count() == 2
