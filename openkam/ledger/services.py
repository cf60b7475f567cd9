"""Writes that keep the per-account aggregates (AccountMonth, AccountPurchaseDay) equal to the
order lines they summarise.

The rule, shared with the demo generator and the imports: every line of an order that is not
cancelled counts, in the month and on the day of its order's date.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from openkam.accounts.models import Account
from openkam.ledger.models import AccountMonth, AccountPurchaseDay, Order, OrderLine

ACCOUNTS_PER_CHUNK = 1000


def _rebuild_chunk(ids: list[int]) -> tuple[int, int]:
    AccountMonth.objects.filter(account_id__in=ids).delete()
    AccountPurchaseDay.objects.filter(account_id__in=ids).delete()
    lines = OrderLine.objects.filter(account_id__in=ids).exclude(
        order__status=Order.Status.CANCELLED
    )
    months = (
        lines.annotate(month=TruncMonth("order__order_date"))
        .values("account_id", "month")
        .annotate(
            revenue=Sum("amount"),
            cost=Sum("cost"),
            quantity=Sum("quantity"),
            orders=Count("order_id", distinct=True),
            lines=Count("id"),
        )
        .order_by()
    )
    written_months = AccountMonth.objects.bulk_create(
        AccountMonth(
            account_id=row["account_id"],
            month=row["month"],
            revenue=row["revenue"],
            cost=row["cost"],
            quantity=row["quantity"],
            order_count=row["orders"],
            line_count=row["lines"],
        )
        for row in months
    )
    days = (
        lines.values("account_id", "order__order_date")
        .annotate(revenue=Sum("amount"), cost=Sum("cost"))
        .order_by()
    )
    written_days = AccountPurchaseDay.objects.bulk_create(
        AccountPurchaseDay(
            account_id=row["account_id"],
            day=row["order__order_date"],
            revenue=row["revenue"],
            cost=row["cost"],
        )
        for row in days
    )
    return len(written_months), len(written_days)


@transaction.atomic
def aggregates_rebuild(*, account_ids: Iterable[int] | None = None) -> tuple[int, int]:
    """Recompute the aggregates of the given accounts (every account when None) from their
    order lines, grouped in the database, a chunk of accounts at a time so memory stays flat.
    Returns the numbers of account-months and purchase days written."""
    if account_ids is None:
        ids = list(Account.objects.order_by("id").values_list("id", flat=True))
    else:
        ids = sorted(set(account_ids))
    months = days = 0
    for start in range(0, len(ids), ACCOUNTS_PER_CHUNK):
        written = _rebuild_chunk(ids[start : start + ACCOUNTS_PER_CHUNK])
        months += written[0]
        days += written[1]
    return months, days
