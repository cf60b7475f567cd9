"""Reads for the portfolio refresh: per-account figures aggregated in the database and handed
over as numpy arrays aligned with one sorted array of account ids.

Nothing here reads order lines: revenue and cost come from the account-month aggregates,
purchase timing from the purchase-day aggregates, receivables from invoices and payments
grouped per invoice. The cost of a refresh grows with accounts, not with ledger rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import Count, DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from numpy.typing import NDArray

from openkam.accounts.models import Account, WalletEstimate
from openkam.ledger.models import AccountMonth, AccountPurchaseDay, CostToServe, Invoice, Payment
from openkam.portfolio.models import AccountScore, ScoringCriterion

FloatArray = NDArray[np.float64]
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=18, decimal_places=2))


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
        if keys.size:
            position = np.searchsorted(self.ids, keys)
            found = (position < self.ids.size) & (
                self.ids[np.minimum(position, self.ids.size - 1)] == keys
            )
            out[position[found]] = vals[found]
        return out

    def codes(self, ids: NDArray[np.int64]) -> NDArray[np.int64]:
        return np.searchsorted(self.ids, ids).astype(np.int64)


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


@dataclass(frozen=True)
class Windows:
    """Revenue and cost over the windows a refresh needs, per account."""

    revenue: dict[str, FloatArray]
    cost: dict[str, FloatArray]
    active_months_12m: FloatArray


def revenue_windows(table: AccountTable, windows: dict[str, tuple[dt.date, dt.date]]) -> Windows:
    """Sum of revenue and cost per account for each named [start, end) window of months."""
    aggregates: dict[str, Any] = {}
    for name, (start, end) in windows.items():
        in_window = Q(month__gte=start, month__lt=end)
        aggregates[f"r_{name}"] = Coalesce(Sum("revenue", filter=in_window), ZERO)
        aggregates[f"c_{name}"] = Coalesce(Sum("cost", filter=in_window), ZERO)
    start_12, end_12 = windows["last_12m"]
    aggregates["active"] = Count(
        "id", filter=Q(month__gte=start_12, month__lt=end_12, revenue__gt=0)
    )
    rows: list[dict[str, Any]] = list(
        AccountMonth.objects.values("account_id").annotate(**aggregates)  # type: ignore[arg-type]
    )
    ids = [row["account_id"] for row in rows]
    return Windows(
        revenue={n: table.align(ids, (float(r[f"r_{n}"]) for r in rows)) for n in windows},
        cost={n: table.align(ids, (float(r[f"c_{n}"]) for r in rows)) for n in windows},
        active_months_12m=table.align(ids, (r["active"] for r in rows)),
    )


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
        f"SELECT account_id, day, revenue FROM {AccountPurchaseDay._meta.db_table} "
        "WHERE day <= %s ORDER BY account_id, day"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [until])
        rows = cursor.fetchall()
    if not rows:
        empty = np.zeros(0)
        return PurchaseDays(empty.astype(np.int64), empty.astype("datetime64[D]"), empty)
    account_ids, days, revenue = zip(*rows, strict=True)
    return PurchaseDays(
        account_codes=table.codes(np.array(account_ids, dtype=np.int64)),
        days=np.array([np.datetime64(d, "D") for d in days], dtype="datetime64[D]"),
        revenue=np.array([float(v) for v in revenue], dtype=np.float64),
    )


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
    rows = (
        WalletEstimate.objects.filter(year__lte=until_year)
        .order_by("account_id", "-year")
        .values_list("account_id", "category_spend")
    )
    latest: dict[int, float] = {}
    for account_id, spend in rows:
        latest.setdefault(account_id, float(spend))
    return table.align(latest.keys(), latest.values(), fill=np.nan)


@dataclass(frozen=True)
class OpenInvoices:
    account_codes: NDArray[np.int64]
    open_amount: FloatArray
    invoice_date: NDArray[np.datetime64]
    due_date: NDArray[np.datetime64]


def open_invoices(table: AccountTable, *, as_of: dt.date) -> OpenInvoices:
    """Invoices issued up to `as_of` less the payments made on them up to `as_of`."""
    paid = Coalesce(Sum("payments__amount", filter=Q(payments__payment_date__lte=as_of)), ZERO)
    rows = list(
        Invoice.objects.filter(invoice_date__lte=as_of)
        .annotate(paid=paid)
        .filter(amount__gt=F("paid"))
        .values_list("account_id", "amount", "paid", "invoice_date", "due_date")
    )
    if not rows:
        empty = np.zeros(0)
        nat = empty.astype("datetime64[D]")
        return OpenInvoices(empty.astype(np.int64), empty, nat, nat)
    account_ids, amounts, paid_amounts, issued, due = zip(*rows, strict=True)
    return OpenInvoices(
        account_codes=table.codes(np.array(account_ids, dtype=np.int64)),
        open_amount=np.array(
            [float(a - p) for a, p in zip(amounts, paid_amounts, strict=True)], dtype=np.float64
        ),
        invoice_date=np.array(issued, dtype="datetime64[D]"),
        due_date=np.array(due, dtype="datetime64[D]"),
    )


def receivables_at(table: AccountTable, *, day: dt.date) -> FloatArray:
    """Invoiced minus paid per account up to `day` (unallocated payments included)."""
    invoiced = (
        Invoice.objects.filter(invoice_date__lte=day)
        .values("account_id")
        .annotate(total=Sum("amount"))
    )
    paid = (
        Payment.objects.filter(payment_date__lte=day)
        .values("account_id")
        .annotate(total=Sum("amount"))
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
