"""The rows behind a KPI's figure (issue 14): the accounts, forecasts, survey answers,
invoices or order lines that make it up, largest first, at most `limit` of them, each from one
query over the scope's accounts (the caller narrows them to what the user may see).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Abs, Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.ledger.models import AccountMonth, Invoice, OrderLine, Payment
from openkam.performance.kpis import (
    DEFINITIONS,
    ON_TIME_IN_FULL,
    ZERO,
    _latest_snapshots,
    deliveries,
)
from openkam.performance.models import Forecast
from openkam.performance.periods import Period
from openkam.surveys.models import Response

MONEY = DecimalField(max_digits=18, decimal_places=2)


@dataclass(frozen=True)
class Column:
    field: str
    label: Promise
    unit: str  # "money", "rate", "number", "date", "text", "flag"


@dataclass(frozen=True)
class Drill:
    title: Promise
    columns: list[Column]
    rows: list[dict[str, Any]]
    # The on-time rate's counts behind the late lines listed (from the kept delivery counts).
    totals: dict[str, int] | None = None


ACCOUNT = Column("account__legal_name", _("Account"), "text")


def _period_months(accounts: QuerySet[Account], period: Period) -> QuerySet[AccountMonth, Any]:
    return AccountMonth.objects.filter(
        account__in=accounts, month__gte=period.start, month__lte=period.end
    ).values("account_id", "account__legal_name")


def _sales(accounts: QuerySet[Account], period: Period) -> QuerySet:
    return (
        _period_months(accounts, period)
        .annotate(sales=Sum("revenue"), volume=Sum("quantity"))
        .filter(sales__gt=0)
        .order_by("-sales", "account_id")
    )


def _margin(accounts: QuerySet[Account], period: Period) -> QuerySet:
    return (
        _period_months(accounts, period)
        .annotate(sales=Sum("revenue"), gross=Sum(F("revenue") - F("cost")))
        .filter(sales__gt=0)
        .order_by("-sales", "account_id")
    )


def _growth(accounts: QuerySet[Account], period: Period) -> QuerySet:
    before = period.year_before()
    in_now = Q(month__gte=period.start, month__lte=period.end)
    in_before = Q(month__gte=before.start, month__lte=before.end)
    return (
        AccountMonth.objects.filter(Q(account__in=accounts), in_now | in_before)
        .values("account_id", "account__legal_name")
        .annotate(
            sales=Coalesce(Sum("revenue", filter=in_now), ZERO),
            previous=Coalesce(Sum("revenue", filter=in_before), ZERO),
        )
        .annotate(change=F("sales") - F("previous"))
        .order_by(Abs(F("change")).desc(), "account_id")
    )


def _late_invoices(accounts: QuerySet[Account], period: Period) -> QuerySet:
    """Invoices due in the period, before today, and not paid in full by their due date."""
    paid = (
        Payment.objects.filter(invoice=OuterRef("pk"), payment_date__lte=OuterRef("due_date"))
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        Invoice.objects.filter(
            account__in=accounts,
            due_date__gte=period.start,
            due_date__lte=period.last_day,
            due_date__lt=timezone.localdate(),
        )
        .annotate(paid=Coalesce(Subquery(paid, output_field=MONEY), ZERO))
        .filter(paid__lt=F("amount"))
        .annotate(unpaid=F("amount") - F("paid"))
        .values(
            "account_id",
            "account__legal_name",
            "invoice_no",
            "due_date",
            "amount",
            "paid",
            "unpaid",
        )
        .order_by("-unpaid", "pk")
    )


def _forecast_rows(accounts: QuerySet[Account], period: Period) -> QuerySet:
    condition = Q(pk__in=[])
    for year, quarter in period.quarters():
        condition |= Q(year=year, quarter=quarter)
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
    return (
        Forecast.objects.filter(condition, account__in=accounts)
        .annotate(actual=Coalesce(Subquery(actual, output_field=MONEY), ZERO))
        .annotate(error=Abs(F("amount") - F("actual")))
        .values(
            "account_id",
            "account__legal_name",
            "quarter",
            "amount",
            "model_amount",
            "actual",
            "error",
        )
        .order_by("-error", "pk")
    )


def _answers(accounts: QuerySet[Account], period: Period) -> QuerySet:
    return (
        Response.objects.filter(
            account__in=accounts,
            answered_at__date__gte=period.start,
            answered_at__date__lte=period.last_day,
        )
        .values(
            "account_id",
            "account__legal_name",
            "answered_at",
            "csat_product",
            "csat_service",
            "csat_sales",
            "nps",
        )
        .order_by("answered_at", "pk")
    )


def _wallet(accounts: QuerySet[Account], period: Period) -> QuerySet:
    return (
        _latest_snapshots(accounts, period)
        .filter(share_of_wallet__isnull=False)
        .values("account_id", "account__legal_name", "revenue_12m", "share_of_wallet")
        .order_by("-revenue_12m", "account_id")
    )


def _receivables(accounts: QuerySet[Account], period: Period) -> QuerySet:
    return (
        _latest_snapshots(accounts, period)
        .filter(ar_open__gt=0)
        .values("account_id", "account__legal_name", "revenue_12m", "ar_open", "ar_overdue")
        .order_by("-ar_open", "account_id")
    )


def _bought_in(period: Period) -> Exists:
    return Exists(
        AccountMonth.objects.filter(
            account=OuterRef("account_id"),
            revenue__gt=0,
            month__gte=period.start,
            month__lte=period.end,
        )
    )


def _new_accounts(accounts: QuerySet[Account], period: Period) -> QuerySet:
    bought_before = Exists(
        AccountMonth.objects.filter(
            account=OuterRef("account_id"), revenue__gt=0, month__lt=period.start
        )
    )
    return (
        _period_months(accounts, period)
        .annotate(sales=Sum("revenue"))
        .filter(sales__gt=0)
        .exclude(bought_before)
        .order_by("-sales", "account_id")
    )


def _retention(accounts: QuerySet[Account], period: Period) -> QuerySet:
    """The earlier period's buyers, those lost first."""
    return (
        _period_months(accounts, period.before())
        .annotate(previous=Sum("revenue"))
        .filter(previous__gt=0)
        .annotate(
            kept=Case(When(_bought_in(period), then=Value(True)), default=Value(False)),
        )
        .order_by("kept", "-previous", "account_id")
    )


def _late_lines(accounts: QuerySet[Account], period: Period) -> QuerySet:
    return (
        OrderLine.objects.filter(
            account__in=accounts,
            promised_date__gte=period.start,
            promised_date__lte=period.last_day,
        )
        .exclude(ON_TIME_IN_FULL)
        .values(
            "account_id",
            "account__legal_name",
            "order__order_no",
            "product__name",
            "promised_date",
            "delivered_date",
            "quantity",
            "delivered_quantity",
        )
        .order_by("promised_date", "pk")
    )


Rows = Callable[[QuerySet[Account], Period], QuerySet]
DRILLS: dict[str, tuple[Promise, Rows, list[Column]]] = {
    "sales": (
        _("Accounts by sales"),
        _sales,
        [ACCOUNT, Column("sales", _("Sales"), "money"), Column("volume", _("Quantity"), "number")],
    ),
    "margin_rate": (
        _("Accounts by sales, with their gross margin"),
        _margin,
        [
            ACCOUNT,
            Column("sales", _("Sales"), "money"),
            Column("gross", _("Gross margin"), "money"),
            Column("margin_rate", _("Gross margin rate"), "rate"),
        ],
    ),
    "receivables_turnover": (
        _("Invoices due in the period and not paid in full by their due date"),
        _late_invoices,
        [
            ACCOUNT,
            Column("invoice_no", _("Invoice number"), "text"),
            Column("due_date", _("Due date"), "date"),
            Column("amount", _("Amount"), "money"),
            Column("paid", _("Paid by the due date"), "money"),
            Column("unpaid", _("Unpaid at the due date"), "money"),
        ],
    ),
    "growth": (
        _("Accounts by the change of their sales against a year before"),
        _growth,
        [
            ACCOUNT,
            Column("sales", _("Sales"), "money"),
            Column("previous", _("A year before"), "money"),
            Column("change", _("Change"), "money"),
        ],
    ),
    "forecast_accuracy": (
        _("Forecasts by their error"),
        _forecast_rows,
        [
            ACCOUNT,
            Column("quarter", _("Quarter"), "text"),
            Column("amount", _("KAM's forecast"), "money"),
            Column("model_amount", _("Model's forecast"), "money"),
            Column("actual", _("Actual"), "money"),
            Column("error", _("Error"), "money"),
        ],
    ),
    "satisfaction": (
        _("Survey answers"),
        _answers,
        [
            ACCOUNT,
            Column("answered_at", _("Answered"), "date"),
            Column("csat_product", _("Product"), "number"),
            Column("csat_service", _("Service"), "number"),
            Column("csat_sales", _("Sales staff"), "number"),
            Column("nps", _("Recommendation (0-10)"), "number"),
        ],
    ),
    "share_of_wallet": (
        _("Accounts with a share of wallet, by sales of the last twelve months"),
        _wallet,
        [
            ACCOUNT,
            Column("revenue_12m", _("Sales, last twelve months"), "money"),
            Column("share_of_wallet", _("Share of wallet"), "rate"),
        ],
    ),
    "new_customer_rate": (
        _("Accounts whose first purchase ever falls in the period"),
        _new_accounts,
        [ACCOUNT, Column("sales", _("Sales"), "money")],
    ),
    "retention_rate": (
        _("The earlier period's buyers, those lost first"),
        _retention,
        [
            ACCOUNT,
            Column("previous", _("Sales in the earlier period"), "money"),
            Column("kept", _("Bought again"), "flag"),
        ],
    ),
    "on_time_rate": (
        _("Order lines promised in the period not delivered in full by the promised date"),
        _late_lines,
        [
            ACCOUNT,
            Column("order__order_no", _("Order"), "text"),
            Column("product__name", _("Product"), "text"),
            Column("promised_date", _("Promised"), "date"),
            Column("delivered_date", _("Delivered"), "date"),
            Column("quantity", _("Quantity"), "number"),
            Column("delivered_quantity", _("Delivered quantity"), "number"),
        ],
    ),
}


def _rate(row: dict[str, Any]) -> dict[str, Any]:
    if "gross" in row and row.get("sales"):
        row["margin_rate"] = float(Decimal(row["gross"]) / Decimal(row["sales"]))
    if isinstance(row.get("answered_at"), dt.datetime):
        row["answered_at"] = row["answered_at"].date()
    return row


def drill(accounts: QuerySet[Account], period: Period, key: str, *, limit: int = 100) -> Drill:
    """The rows behind KPI `key` (a key of kpis.DEFINITIONS), at most `limit`."""
    if key not in DEFINITIONS:
        raise KeyError(key)
    title, rows, columns = DRILLS[key]
    totals = None
    if key == "on_time_rate":
        counted = deliveries(accounts, period)
        totals = {**counted, "late": counted["promised"] - counted["on_time"]}
    found = [_rate(dict(row)) for row in rows(accounts, period)[:limit]]
    return Drill(title, columns, found, totals)
