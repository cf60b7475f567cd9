"""Loyalty analysis (客户忠诚度分析), DOMAIN §2.4.

Two axes: relative preference (attitude: share of wallet, satisfaction) and repeat purchasing
(behaviour: repeat-purchase rate, regularity of purchases). Four types:
premium (完全忠诚者, high/high), latent (潜在忠诚者, high preference, low repeat),
inertia (迟钝忠诚者, low preference, high repeat), none (缺乏忠诚者).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

PREMIUM, LATENT, INERTIA, NO_LOYALTY = "premium", "latent", "inertia", "none"


@dataclass(frozen=True)
class Regularity:
    purchase_days: NDArray[np.int64]
    mean_gap: NDArray[np.float64]  # days between purchases, NaN with fewer than 2 gaps
    gap_cv: NDArray[np.float64]  # coefficient of variation of the gaps (std / mean)


def purchase_regularity(
    customer: ArrayLike, day: ArrayLike, n_customers: int, *, min_gaps: int = 2
) -> Regularity:
    """Mean and coefficient of variation of inter-purchase gaps per customer (采购均衡性).

    `customer` holds integer codes 0..n_customers-1 and `day` integer day numbers (or
    datetime64[D]) of distinct purchase days. One gap says nothing about regularity, so fewer
    than `min_gaps` gaps give NaN, not a perfect score.
    """
    codes = np.asarray(customer, dtype=np.int64)
    days = np.asarray(day).astype("datetime64[D]").astype(np.int64)
    if not _in_order(codes, days):  # rows come by customer and date from a group-by
        order = np.lexsort((days, codes))
        codes, days = codes[order], days[order]
    counts = np.bincount(codes, minlength=n_customers)
    same = codes[1:] == codes[:-1]
    gaps = (days[1:] - days[:-1])[same].astype(np.float64)
    gap_owner = codes[1:][same]
    n_gaps = np.bincount(gap_owner, minlength=n_customers).astype(np.float64)
    total = np.bincount(gap_owner, weights=gaps, minlength=n_customers)
    total_sq = np.bincount(gap_owner, weights=gaps * gaps, minlength=n_customers)
    enough = n_gaps >= max(min_gaps, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(enough, total / n_gaps, np.nan)
        variance = np.where(enough, total_sq / n_gaps - mean * mean, np.nan)
        cv = np.sqrt(np.clip(variance, 0.0, None)) / mean
    cv = np.where(enough & (mean > 0), cv, np.nan)
    return Regularity(purchase_days=counts, mean_gap=mean, gap_cv=cv)


def _in_order(codes: NDArray[np.int64], days: NDArray[np.int64]) -> bool:
    """Whether the rows are sorted by customer and, within one, by day (a check in one pass
    costs a tenth of the sort)."""
    step = codes[1:] - codes[:-1]
    return bool(np.all(step >= 0) and np.all((step > 0) | (days[1:] >= days[:-1])))


def _mean_of_available(*columns: ArrayLike | None) -> NDArray[np.float64]:
    present = [np.asarray(c, dtype=np.float64) for c in columns if c is not None]
    if not present:
        raise ValueError("at least one input is needed for an axis")
    stacked = np.vstack(present)
    counts = np.isfinite(stacked).sum(axis=0)
    sums = np.nansum(stacked, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / counts, np.nan)


def preference_axis(
    share_of_wallet: ArrayLike | None = None, satisfaction: ArrayLike | None = None
) -> NDArray[np.float64]:
    """0..1: the mean of our share of wallet (0..1) and satisfaction rescaled to 0..1,
    over whichever is known for the account."""
    return _mean_of_available(share_of_wallet, satisfaction)


def repeat_axis(
    repeat_rate: ArrayLike | None = None, gap_cv: ArrayLike | None = None
) -> NDArray[np.float64]:
    """0..1: the mean of the repeat-purchase rate (0..1, e.g. share of months with an order)
    and a regularity score 1 / (1 + CV), which is 1 for perfectly even purchasing."""
    regularity = None if gap_cv is None else 1.0 / (1.0 + np.asarray(gap_cv, dtype=np.float64))
    return _mean_of_available(repeat_rate, regularity)


def loyalty_types(
    preference: ArrayLike,
    repeat: ArrayLike,
    *,
    preference_cut: float = 0.5,
    repeat_cut: float = 0.5,
) -> NDArray[np.str_]:
    """Loyalty type per account; "" where an axis is unknown."""
    p = np.asarray(preference, dtype=np.float64)
    r = np.asarray(repeat, dtype=np.float64)
    high_p, high_r = p >= preference_cut, r >= repeat_cut
    known = np.isfinite(p) & np.isfinite(r)
    out = np.full(p.size, "", dtype="<U7")
    out[known & high_p & high_r] = PREMIUM
    out[known & high_p & ~high_r] = LATENT
    out[known & ~high_p & high_r] = INERTIA
    out[known & ~high_p & ~high_r] = NO_LOYALTY
    return out
