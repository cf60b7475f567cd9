"""Each KPI's monthly trend: the twelve months that end with the period's last month (issue 14).

A month's figure follows the KPI's definition with the month as the period, except the
quarterly forecast accuracy (a point per quarter) and the two snapshot figures (a point per
month holding a snapshot: its latest). Retention compares a month with the month before. Every
series comes from one grouped query per source (months, first purchases, consecutive months,
snapshots, forecasts, surveys, order lines), never a query per month or per account.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Abs, Coalesce, TruncMonth

from openkam.accounts.models import Account
from openkam.common.months import add_months
from openkam.ledger.models import AccountDeliveryMonth, AccountMonth
from openkam.performance.kpis import CSAT_FIELDS, ZERO
from openkam.performance.models import Forecast
from openkam.performance.periods import Period
from openkam.portfolio.models import AccountSnapshot
from openkam.surveys.models import Response

Series = list[float | None]


def _ratio(numerator: Decimal | float | int | None, denominator: object) -> float | None:
    if not denominator:
        return None
    return float(Decimal(str(numerator or 0)) / Decimal(str(denominator)))


def trend_months(period: Period) -> list[dt.date]:
    """The first days of the twelve months ending with the period's last month."""
    return [add_months(period.end, offset) for offset in range(-11, 1)]


def _month_rows(
    accounts: QuerySet[Account], first: dt.date, last: dt.date
) -> dict[dt.date, dict[str, Any]]:
    rows = (
        AccountMonth.objects.filter(account__in=accounts, month__gte=first, month__lte=last)
        .values("month")
        .annotate(
            sales=Sum("revenue"),
            costs=Sum("cost"),
            buyers=Count("pk", filter=Q(revenue__gt=0)),
        )
    )
    return {row["month"]: dict(row) for row in rows}


def _first_purchases(accounts: QuerySet[Account], first: dt.date, last: dt.date) -> dict:
    """Accounts by the month of their first purchase ever, within [first, last]."""
    first_month = (
        AccountMonth.objects.filter(account=OuterRef("pk"), revenue__gt=0)
        .order_by("month")
        .values("month")[:1]
    )
    rows = (
        accounts.order_by()
        .annotate(first=Subquery(first_month, output_field=DateField()))
        .filter(first__gte=first, first__lte=last)
        .values("first")
        .annotate(n=Count("pk"))
    )
    return {row["first"]: row["n"] for row in rows}


def _consecutive(accounts: QuerySet[Account], first: dt.date, last: dt.date) -> dict:
    """Per month, the accounts that bought in it and in the month before (a window over the
    months with a purchase, grouped by the pair: a few dozen rows whatever the accounts)."""
    scope_sql, scope_params = accounts.order_by().values("pk").query.sql_with_params()
    table = connection.ops.quote_name(AccountMonth._meta.db_table)
    sql = (
        "SELECT month, previous, COUNT(*) FROM (SELECT month, LAG(month) OVER "
        "(PARTITION BY account_id ORDER BY month) AS previous FROM "
        f"{table} WHERE revenue > 0 AND month >= %s AND month <= %s "
        f"AND account_id IN ({scope_sql})) AS runs GROUP BY month, previous"
    )
    kept: dict[dt.date, int] = defaultdict(int)
    with connection.cursor() as cursor:
        cursor.execute(sql, [first, last, *scope_params])
        for month, previous, count in cursor.fetchall():
            month, previous = _as_date(month), _as_date(previous)
            if previous is not None and add_months(previous, 1) == month:
                kept[month] += count
    return kept


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _snapshots(accounts: QuerySet[Account], first: dt.date, last: dt.date) -> dict:
    """Per month, the figures of its latest snapshot date (summed over the accounts)."""
    rows = (
        AccountSnapshot.objects.filter(
            account__in=accounts, as_of__gte=first, as_of__lt=add_months(last, 1)
        )
        .values("as_of")
        .annotate(
            revenue=Sum("revenue_12m"),
            ar_open=Sum("ar_open"),
            wallet_weighted=Sum(
                ExpressionWrapper(
                    F("share_of_wallet") * F("revenue_12m"), output_field=FloatField()
                ),
                filter=Q(share_of_wallet__isnull=False),
            ),
            wallet_revenue=Sum("revenue_12m", filter=Q(share_of_wallet__isnull=False)),
        )
        .order_by("as_of")
    )
    by_month: dict[dt.date, dict[str, Any]] = {}
    for row in rows:  # one row per snapshot date
        by_month[row["as_of"].replace(day=1)] = dict(row)
    return by_month


def _forecasts(accounts: QuerySet[Account], first: dt.date, last: dt.date) -> dict:
    """Per quarter (its last month), the KAMs' revenue-weighted accuracy."""
    actual = (
        AccountMonth.objects.filter(
            account=OuterRef("account"),
            month__year=OuterRef("year"),
            month__quarter=OuterRef("quarter"),
        )
        .values("account")
        .annotate(total=Sum("revenue"))
        .values("total")
    )
    rows = (
        Forecast.objects.filter(account__in=accounts, year__gte=first.year, year__lte=last.year)
        .annotate(actual=Coalesce(Subquery(actual), ZERO))
        .values("year", "quarter")
        .annotate(actual_total=Sum("actual"), error=Sum(Abs(F("amount") - F("actual"))))
    )
    found = {}
    for row in rows:  # a row per quarter
        end = dt.date(row["year"], row["quarter"] * 3, 1)
        if first <= end <= last and row["actual_total"]:
            found[end] = 1 - float(row["error"] / row["actual_total"])
    return found


def _surveys(accounts: QuerySet[Account], first: dt.date, last: dt.date) -> dict:
    rows = (
        Response.objects.filter(
            account__in=accounts,
            answered_at__date__gte=first,
            answered_at__date__lte=add_months(last, 1) - dt.timedelta(days=1),
        )
        .annotate(m=TruncMonth("answered_at"))
        .values("m")
        .annotate(
            **{f"sum_{name}": Sum(name) for name in CSAT_FIELDS},
            **{f"n_{name}": Count(name) for name in CSAT_FIELDS},
        )
    )
    found = {}
    for found_row in rows:  # a row per month
        row: dict[str, Any] = dict(found_row)
        scores = sum(row[f"n_{name}"] or 0 for name in CSAT_FIELDS)
        total = sum(row[f"sum_{name}"] or 0 for name in CSAT_FIELDS)
        month = _as_date(row["m"])
        if scores and month is not None:
            found[month.replace(day=1)] = total / scores
    return found


def _order_lines(accounts: QuerySet[Account], first: dt.date, last: dt.date) -> dict:
    """Per month of the promised date, the share of lines delivered in full by it, from the
    delivery counts kept per account and promised month (never the order lines themselves:
    7.5 million of them at 100,000 accounts)."""
    rows = (
        AccountDeliveryMonth.objects.filter(account__in=accounts, month__gte=first, month__lte=last)
        .values("month")
        .annotate(promised=Sum("lines_due"), on_time=Sum("lines_on_time"))
    )
    return {row["month"]: _ratio(row["on_time"], row["promised"]) for row in rows}


def trends(accounts: QuerySet[Account], period: Period) -> dict[str, Any]:
    """{"months": ["2026-01", ...], "<kpi key>": [value or None per month]}."""
    months = trend_months(period)
    first, last = months[0], months[-1]
    sold = _month_rows(accounts, add_months(first, -12), last)
    new = _first_purchases(accounts, first, last)
    kept = _consecutive(accounts, add_months(first, -1), last)
    snaps = _snapshots(accounts, first, last)
    forecasts = _forecasts(accounts, first, last)
    csat = _surveys(accounts, first, last)
    on_time = _order_lines(accounts, first, last)
    series: dict[str, Series] = defaultdict(list)
    for month in months:
        now = sold.get(month, {})
        before = sold.get(add_months(month, -12), {})
        previous = sold.get(add_months(month, -1), {})
        revenue = now.get("sales") or ZERO
        snap = snaps.get(month, {})
        series["sales"].append(float(revenue))
        series["margin_rate"].append(_ratio(revenue - (now.get("costs") or ZERO), revenue))
        series["receivables_turnover"].append(_ratio(snap.get("revenue"), snap.get("ar_open")))
        last_year = before.get("sales") or ZERO
        series["growth"].append(_ratio(revenue - last_year, last_year))
        series["forecast_accuracy"].append(forecasts.get(month))
        series["satisfaction"].append(csat.get(month))
        series["share_of_wallet"].append(
            _ratio(snap.get("wallet_weighted"), snap.get("wallet_revenue"))
        )
        series["new_customer_rate"].append(_ratio(new.get(month, 0), now.get("buyers")))
        series["retention_rate"].append(_ratio(kept.get(month, 0), previous.get("buyers")))
        series["on_time_rate"].append(on_time.get(month))
    return {"months": [f"{month:%Y-%m}" for month in months], **series}
