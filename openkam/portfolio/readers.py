"""Reads for the portfolio refresh: per-account figures aggregated in the database and handed
over as numpy arrays aligned with one sorted array of account ids.

Nothing here reads order lines: revenue and cost come from the account-month aggregates,
purchase timing from the purchase-day aggregates, receivables from invoices and payments
grouped per invoice. The cost of a refresh grows with accounts, not with ledger rows.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import DecimalField, FloatField, Q, Sum, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from numpy.typing import NDArray

from openkam.accounts.models import Account, WalletEstimate
from openkam.ledger.models import AccountMonth, AccountPurchaseDay, CostToServe, Invoice, Payment
from openkam.portfolio.models import AccountScore, ScoringCriterion

FloatArray = NDArray[np.float64]
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=18, decimal_places=2))
REAL = FloatField()


@dataclass(frozen=True)
class AccountTable:
    ids: NDArray[np.int64]
    tier: NDArray[np.str_]
    is_strategic: NDArray[np.bool_]
    industry_position: NDArray[np.str_]
    relationship_stage: NDArray[np.str_]
    credit_limit: FloatArray
    customer_since: NDArray[np.datetime64]

    def align(self, ids: Iterable[int], values: Iterable[float], fill: float = 0.0) -> FloatArray:
        """Place (id, value) pairs into an array in the order of `self.ids`."""
        keys = np.fromiter(ids, dtype=np.int64)
        vals = np.fromiter(values, dtype=np.float64, count=keys.size)
        out = np.full(self.ids.size, fill, dtype=np.float64)
        position, found = self.positions(keys)
        out[position[found]] = vals[found]
        return out

    def positions(self, ids: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        """Where each id sits in `self.ids`, and whether it is there at all."""
        position = np.searchsorted(self.ids, ids).astype(np.int64)
        if not self.ids.size:
            return position, np.zeros(ids.size, dtype=bool)
        found = (position < self.ids.size) & (
            self.ids[np.minimum(position, self.ids.size - 1)] == ids
        )
        return position, found

    def codes(self, ids: NDArray[np.int64]) -> NDArray[np.int64]:
        return self.positions(ids)[0]


def account_table() -> AccountTable:
    rows = list(
        Account.objects.order_by("id").values_list(
            "id",
            "tier",
            "is_strategic",
            "industry_position",
            "relationship_stage",
            "credit_limit",
            "customer_since",
        )
    )
    columns: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [()] * 7
    return AccountTable(
        ids=np.array(columns[0], dtype=np.int64),
        tier=np.array(columns[1], dtype=str),
        is_strategic=np.array(columns[2], dtype=bool),
        industry_position=np.array(columns[3], dtype=str),
        relationship_stage=np.array(columns[4], dtype=str),
        credit_limit=np.array([float(v) for v in columns[5]], dtype=np.float64),
        customer_since=np.array(
            [v if v is not None else "NaT" for v in columns[6]], dtype="datetime64[D]"
        ),
    )


def as_of(table: AccountTable, day: dt.date) -> AccountTable:
    """The table with each account's tier and strategic designation as they were at the end of
    `day`, read from the accounts' history (one pass over the records up to that day): a
    back-dated refresh records the tiers of its date, so the movements between two refreshes
    are real. An account whose history starts later keeps today's."""
    history = Account.history.model
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min)
    if settings.USE_TZ:
        end = timezone.make_aware(end)
    rows = (
        history.objects.filter(history_date__lt=end)
        .order_by("id", "history_date", "history_id")
        .values_list("id", "tier", "is_strategic")
    )
    then: dict[int, tuple[str, bool]] = {}
    for pk, tier, strategic in rows.iterator(chunk_size=5000):
        then[pk] = (tier, strategic)
    tiers = table.tier.copy()
    strategic_flags = table.is_strategic.copy()
    for i, pk in enumerate(table.ids.tolist()):
        found = then.get(pk)
        if found is not None:
            tiers[i], strategic_flags[i] = found
    return replace(table, tier=tiers, is_strategic=strategic_flags)


@dataclass(frozen=True)
class Windows:
    """Revenue and cost over the windows a refresh needs, per account."""

    revenue: dict[str, FloatArray]
    cost: dict[str, FloatArray]
    active_months_12m: FloatArray


def revenue_windows(table: AccountTable, windows: dict[str, tuple[dt.date, dt.date]]) -> Windows:
    """Sum of revenue and cost per account for each named [start, end) window of months.

    One read of the account-months the windows cover (a few per account and year), summed per
    window with numpy: measured 4x faster on SQLite than sixteen filtered SUMs in one query."""
    first = min(start for start, _ in windows.values())
    last = max(end for _, end in windows.values())
    sql = (
        f"SELECT account_id, {_epoch_days('month')}, {_real('revenue')}, {_real('cost')} "
        f"FROM {AccountMonth._meta.db_table} WHERE month >= %s AND month < %s"
    )
    account_id, month, revenue, cost = _numeric_columns(sql, [first, last], 4)
    codes, known = table.positions(account_id.astype(np.int64))
    codes, month, revenue, cost = codes[known], month[known], revenue[known], cost[known]
    n = table.ids.size

    def summed(values: FloatArray, start: dt.date, end: dt.date) -> FloatArray:
        inside = (month >= _day_number(start)) & (month < _day_number(end))
        return np.bincount(codes[inside], weights=values[inside], minlength=n).astype(np.float64)

    start_12, end_12 = windows["last_12m"]
    return Windows(
        revenue={name: summed(revenue, *bounds) for name, bounds in windows.items()},
        cost={name: summed(cost, *bounds) for name, bounds in windows.items()},
        active_months_12m=summed((revenue > 0).astype(np.float64), start_12, end_12),
    )


def _day_number(day: dt.date) -> int:
    return (day - dt.date(1970, 1, 1)).days


@dataclass(frozen=True)
class PurchaseDays:
    account_codes: NDArray[np.int64]
    days: NDArray[np.datetime64]
    revenue: FloatArray


def purchase_days(table: AccountTable, *, until: dt.date) -> PurchaseDays:
    """Every (account, day) with a purchase up to `until`: the transactions of the purchase
    models. One fetch straight into arrays; this table has one row per account-day, not per
    order line."""
    sql = (
        f"SELECT account_id, {_epoch_days('day')}, {_real('revenue')} "
        f"FROM {AccountPurchaseDay._meta.db_table} WHERE day <= %s ORDER BY account_id, day"
    )
    columns = _numeric_columns(sql, [until], 3)
    return PurchaseDays(
        account_codes=table.codes(columns[0].astype(np.int64)),
        days=columns[1].astype(np.int64).astype("datetime64[D]"),
        revenue=columns[2],
    )


def _epoch_days(column: str) -> str:
    """SQL for a date column as whole days since 1970-01-01 (what datetime64[D] counts)."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _real(expression: str) -> str:
    kind = "DOUBLE PRECISION" if connection.vendor == "postgresql" else "REAL"
    return f"CAST({expression} AS {kind})"


def _numeric_columns(sql: str, params: list[Any], width: int) -> list[FloatArray]:
    """Run a query whose columns are all numbers; the columns as float arrays. One pass from
    the cursor into a flat array: no Decimal, date or tuple object kept per row."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    flat = np.fromiter(
        itertools.chain.from_iterable(rows), dtype=np.float64, count=len(rows) * width
    )
    table = flat.reshape(len(rows), width)
    return [table[:, i] for i in range(width)]


def costs_to_serve(table: AccountTable, *, year: int) -> tuple[FloatArray, FloatArray]:
    """(direct, indirect) cost to serve per account for one year."""
    rows = list(
        CostToServe.objects.filter(year=year)
        .values("account_id")
        .annotate(
            direct=Coalesce(Sum("amount", filter=Q(kind="direct")), ZERO),
            indirect=Coalesce(Sum("amount", filter=Q(kind="indirect")), ZERO),
        )
    )
    ids = [row["account_id"] for row in rows]
    return (
        table.align(ids, (float(r["direct"]) for r in rows)),
        table.align(ids, (float(r["indirect"]) for r in rows)),
    )


def latest_wallets(table: AccountTable, *, until_year: int) -> FloatArray:
    """The most recent category-spend estimate per account (NaN where none)."""
    sql = (
        f"SELECT account_id, year, {_real('category_spend')} "
        f"FROM {WalletEstimate._meta.db_table} WHERE year <= %s"
    )
    account_id, year, spend = _numeric_columns(sql, [until_year], 3)
    # The newest year per account: sort by (account, year), keep each account's last row.
    order = np.lexsort((year, account_id))
    account_id, spend = account_id[order], spend[order]
    newest = np.ones(account_id.size, dtype=bool)
    newest[:-1] = account_id[1:] != account_id[:-1]
    return table.align(account_id[newest].astype(np.int64), spend[newest], fill=np.nan)


@dataclass(frozen=True)
class OpenInvoices:
    account_codes: NDArray[np.int64]
    open_amount: FloatArray
    invoice_date: NDArray[np.datetime64]
    due_date: NDArray[np.datetime64]


def open_invoices(table: AccountTable, *, as_of: dt.date) -> OpenInvoices:
    """Invoices issued up to `as_of` less the payments made on them up to `as_of`."""
    invoices, payments = Invoice._meta.db_table, Payment._meta.db_table
    # The open amount is computed in SQL on the exact decimals, then handed over as a float.
    sql = (
        f"SELECT i.account_id, {_real('i.amount - COALESCE(p.paid, 0)')}, "
        f"{_epoch_days('i.invoice_date')}, {_epoch_days('i.due_date')} FROM {invoices} i "
        f"LEFT JOIN (SELECT invoice_id, SUM(amount) AS paid FROM {payments} "
        "WHERE payment_date <= %s AND invoice_id IS NOT NULL GROUP BY invoice_id) p "
        "ON p.invoice_id = i.id "
        "WHERE i.invoice_date <= %s AND i.amount > COALESCE(p.paid, 0)"
    )
    columns = _numeric_columns(sql, [as_of, as_of], 4)
    return OpenInvoices(
        account_codes=table.codes(columns[0].astype(np.int64)),
        open_amount=columns[1],
        invoice_date=columns[2].astype(np.int64).astype("datetime64[D]"),
        due_date=columns[3].astype(np.int64).astype("datetime64[D]"),
    )


def receivables_at(table: AccountTable, *, day: dt.date) -> FloatArray:
    """Invoiced minus paid per account up to `day` (unallocated payments included)."""
    invoiced = (
        Invoice.objects.filter(invoice_date__lte=day)
        .values("account_id")
        .annotate(total=Cast(Sum("amount"), REAL))
    )
    paid = (
        Payment.objects.filter(payment_date__lte=day)
        .values("account_id")
        .annotate(total=Cast(Sum("amount"), REAL))
    )
    out = table.align((r["account_id"] for r in invoiced), (float(r["total"]) for r in invoiced))
    out -= table.align((r["account_id"] for r in paid), (float(r["total"]) for r in paid))
    return np.clip(out, 0.0, None)


def unallocated_payments(table: AccountTable, *, as_of: dt.date) -> FloatArray:
    rows = (
        Payment.objects.filter(invoice__isnull=True, payment_date__lte=as_of)
        .values("account_id")
        .annotate(total=Sum("amount"))
    )
    return table.align((r["account_id"] for r in rows), (float(r["total"]) for r in rows))


@dataclass(frozen=True)
class ScoreMatrix:
    keys: list[str]
    weights: FloatArray
    scores: FloatArray  # accounts x criteria, NaN = not scored


def score_matrix(table: AccountTable, scorecard: str) -> ScoreMatrix:
    criteria: Sequence[ScoringCriterion] = list(
        ScoringCriterion.objects.filter(scorecard=scorecard, is_active=True).order_by("position")
    )
    keys = [c.key for c in criteria]
    matrix = np.full((table.ids.size, len(criteria)), np.nan)
    column = {c.pk: i for i, c in enumerate(criteria)}
    rows = AccountScore.objects.filter(criterion__in=criteria).values_list(
        "account_id", "criterion_id", "score"
    )
    for account_id, criterion_id, score in rows:
        position = int(np.searchsorted(table.ids, account_id))
        if position < table.ids.size and table.ids[position] == account_id:
            matrix[position, column[criterion_id]] = score
    weights = np.array([float(c.weight) for c in criteria], dtype=np.float64)
    return ScoreMatrix(keys=keys, weights=weights, scores=matrix)


# Payment behaviour is compared with a quarter earlier (the churn signal and the alert rule).
OVERDUE_TREND_DAYS = 91


def overdue_share(invoices: OpenInvoices, *, as_of: dt.date, n: int) -> FloatArray:
    """Share of each account's open invoices (by amount) past their due date; 0 when nothing
    is open, so an account that owes nothing reads as paying on time."""
    late = invoices.due_date < np.datetime64(as_of)
    total = np.bincount(invoices.account_codes, weights=invoices.open_amount, minlength=n)
    overdue = np.bincount(
        invoices.account_codes[late], weights=invoices.open_amount[late], minlength=n
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, overdue / total, 0.0)


def overdue_share_change(table: AccountTable, invoices: OpenInvoices, as_of: dt.date) -> FloatArray:
    """How far the overdue share rose since OVERDUE_TREND_DAYS before `as_of` (the
    `payment_worsening` signal of analytics.churn); `invoices` are those open at `as_of`."""
    n = table.ids.size
    earlier = as_of - dt.timedelta(days=OVERDUE_TREND_DAYS)
    before = overdue_share(open_invoices(table, as_of=earlier), as_of=earlier, n=n)
    return overdue_share(invoices, as_of=as_of, n=n) - before
