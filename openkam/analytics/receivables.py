"""Receivables risk (防范货款风险), DOMAIN §6: ageing, DSO, turnover, credit-limit use."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

# Upper bounds (inclusive) of the ageing buckets in days; the last bucket is open-ended.
BUCKET_LABELS = ("0-30", "31-60", "61-90", "91-180", ">180")
# The key under which stored ageings keep the open amount that is not due yet.
NOT_DUE_LABEL = "not_due"
_UPPER = np.array([30, 60, 90, 180])


@dataclass(frozen=True)
class Ageing:
    buckets: NDArray[np.float64]  # accounts x 5, open amount per bucket
    not_yet_due: NDArray[np.float64]  # open amount whose age is negative (not due yet)
    total: NDArray[np.float64]

    def share_older_than(self, bucket_index: int) -> NDArray[np.float64]:
        """Share of the open amount in buckets after `bucket_index` (e.g. 2 -> older than 90)."""
        older = self.buckets[:, bucket_index + 1 :].sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.total > 0, older / self.total, 0.0)


def ageing(
    account: ArrayLike, open_amount: ArrayLike, age_days: ArrayLike, n_accounts: int
) -> Ageing:
    """Sum open invoice amounts per account into 0-30, 31-60, 61-90, 91-180 and >180 days.

    `age_days` is counted from the invoice date (账龄) or from the due date (days overdue);
    the caller chooses. Negative ages (not yet due) are kept apart. Fully paid invoices
    (open amount <= 0) are ignored.
    """
    codes = np.asarray(account, dtype=np.int64)
    amount = np.asarray(open_amount, dtype=np.float64)
    age = np.asarray(age_days, dtype=np.int64)
    open_rows = amount > 0
    codes, amount, age = codes[open_rows], amount[open_rows], age[open_rows]
    due = age >= 0
    bucket = np.searchsorted(_UPPER, age[due], side="left")
    flat = codes[due] * len(BUCKET_LABELS) + bucket
    size = n_accounts * len(BUCKET_LABELS)
    buckets = np.bincount(flat, weights=amount[due], minlength=size).astype(np.float64)
    buckets = buckets.reshape(n_accounts, len(BUCKET_LABELS))
    not_due = np.bincount(codes[~due], weights=amount[~due], minlength=n_accounts).astype(
        np.float64
    )
    return Ageing(buckets=buckets, not_yet_due=not_due, total=buckets.sum(axis=1) + not_due)


def days_sales_outstanding(
    receivables: ArrayLike, revenue: ArrayLike, period_days: float
) -> NDArray[np.float64]:
    """DSO = receivables at period end / revenue of the period x days in the period."""
    ar = np.asarray(receivables, dtype=np.float64)
    sales = np.asarray(revenue, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sales > 0, ar / sales * period_days, np.nan)


def receivables_turnover(
    revenue: ArrayLike, receivables_start: ArrayLike, receivables_end: ArrayLike
) -> NDArray[np.float64]:
    """AR turnover = revenue of the period / average of opening and closing receivables."""
    sales = np.asarray(revenue, dtype=np.float64)
    average = (
        np.asarray(receivables_start, dtype=np.float64)
        + np.asarray(receivables_end, dtype=np.float64)
    ) / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(average > 0, sales / average, np.nan)


def credit_limit_use(receivables: ArrayLike, credit_limit: ArrayLike) -> NDArray[np.float64]:
    """Open receivables as a share of the credit limit; NaN where no limit is set."""
    ar = np.asarray(receivables, dtype=np.float64)
    limit = np.asarray(credit_limit, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(limit > 0, ar / limit, np.nan)
