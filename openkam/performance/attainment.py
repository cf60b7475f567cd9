"""Target against actual per metric and month for a set of accounts (a KAM's or a team's).

Actuals: sales and gross margin from the ledger's monthly aggregates, collections from the
payments received, new key accounts as the strategic and key accounts whose first purchase
falls in the year. A handful of queries whatever the number of accounts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Min, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractMonth

from openkam.accounts.models import Account, Tier
from openkam.ledger.models import AccountMonth, Payment
from openkam.performance.models import Metric, Target

ZERO = Decimal("0")


@dataclass(frozen=True)
class Attainment:
    metric: str
    label: str
    target: Decimal | None
    actual: Decimal

    @property
    def rate(self) -> float | None:
        if not self.target:
            return None
        return float(self.actual / self.target)


def monthly_actuals(accounts: QuerySet[Account], year: int) -> dict[str, list[Decimal]]:
    """Sales and margin per month of the year, January first."""
    rows = (
        AccountMonth.objects.filter(
            account__in=accounts, month__gte=dt.date(year, 1, 1), month__lt=dt.date(year + 1, 1, 1)
        )
        .annotate(m=ExtractMonth("month"))
        .values("m")
        .annotate(sales=Sum("revenue"), gross=Sum(F("revenue") - F("cost")))
    )
    sales, margin = [ZERO] * 12, [ZERO] * 12
    for row in rows:  # at most twelve rows
        sales[row["m"] - 1] = row["sales"] or ZERO
        margin[row["m"] - 1] = row["gross"] or ZERO
    return {Metric.SALES: sales, Metric.MARGIN: margin}


def attainment(
    accounts: QuerySet[Account], year: int, targets: QuerySet[Target]
) -> tuple[list[Attainment], dict[str, list[Decimal]]]:
    """Each metric's year target and actual, and the monthly actuals (for the chart)."""
    monthly = monthly_actuals(accounts, year)
    collected = Payment.objects.filter(account__in=accounts, payment_date__year=year).aggregate(
        total=Sum("amount")
    )["total"]
    new_key = (
        AccountMonth.objects.filter(
            account__in=accounts.filter(tier__in=[Tier.STRATEGIC, Tier.KEY]), revenue__gt=0
        )
        .values("account_id")
        .annotate(first=Min("month"))
        .filter(first__year=year)
        .count()
    )
    actuals = {
        Metric.SALES: sum(monthly[Metric.SALES], ZERO),
        Metric.MARGIN: sum(monthly[Metric.MARGIN], ZERO),
        Metric.COLLECTIONS: collected or ZERO,
        Metric.NEW_KEY_ACCOUNTS: Decimal(new_key),
    }
    by_metric = {target.metric: target.amount for target in targets}
    rows = [
        Attainment(metric.value, str(metric.label), by_metric.get(metric.value), actuals[metric])
        for metric in Metric
    ]
    return rows, monthly


def actuals_by(accounts: QuerySet[Account], year: int, group: str) -> dict[int, dict[str, Decimal]]:
    """Each metric's actual in the year per account owner ("owner") or per team ("team"),
    grouped in the database: four queries whatever the number of accounts."""
    months = (
        AccountMonth.objects.filter(
            account__in=accounts, month__gte=dt.date(year, 1, 1), month__lt=dt.date(year + 1, 1, 1)
        )
        .values(f"account__{group}")
        .annotate(sales=Sum("revenue"), gross=Sum(F("revenue") - F("cost")))
    )
    found: dict[int, dict[str, Decimal]] = defaultdict(
        lambda: {metric.value: ZERO for metric in Metric}
    )
    for row in months:  # a row per owner or team
        found[row[f"account__{group}"]][Metric.SALES] = row["sales"] or ZERO
        found[row[f"account__{group}"]][Metric.MARGIN] = row["gross"] or ZERO
    paid = (
        Payment.objects.filter(account__in=accounts, payment_date__year=year)
        .values(f"account__{group}")
        .annotate(total=Sum("amount"))
    )
    for row in paid:
        found[row[f"account__{group}"]][Metric.COLLECTIONS] = row["total"] or ZERO
    first = (
        AccountMonth.objects.filter(account=OuterRef("pk"), revenue__gt=0)
        .order_by("month")
        .values("month")[:1]
    )
    new_key = (
        accounts.order_by()
        .filter(tier__in=[Tier.STRATEGIC, Tier.KEY])
        .annotate(first=Subquery(first))
        .filter(first__gte=dt.date(year, 1, 1), first__lt=dt.date(year + 1, 1, 1))
        .values(group)
        .annotate(n=Count("pk"))
    )
    for row in new_key:
        found[row[group]][Metric.NEW_KEY_ACCOUNTS] = Decimal(row["n"])
    return dict(found)
