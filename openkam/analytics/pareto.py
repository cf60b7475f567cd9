"""Pareto / ABC analysis and concentration figures (DOMAIN §2.1, 二八原则)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

CLASS_A, CLASS_B, CLASS_C = "A", "B", "C"


@dataclass(frozen=True)
class AbcResult:
    """Per-customer results, aligned with the input order."""

    rank: NDArray[np.int64]  # 1 = largest value
    share: NDArray[np.float64]  # value / total of positive values
    cumulative_share: NDArray[np.float64]  # share of the customers ranked up to and incl. this one
    abc_class: NDArray[np.str_]


def abc_classify(values: ArrayLike, a_cutoff: float = 0.80, b_cutoff: float = 0.95) -> AbcResult:
    """Rank customers by value and split them into A, B and C classes.

    A customer belongs to A when the customers ranked above it hold less than `a_cutoff` of
    the total, so the customer that crosses the cut-off is still A (the usual ABC convention:
    A is the smallest set that reaches 80 %). Shares are taken of the total of positive values;
    a customer with a value of zero or less (a loss-making account in a profit ABC) is C.
    Ties keep input order, so the result is deterministic.
    """
    if not 0 < a_cutoff < b_cutoff <= 1:
        raise ValueError(f"need 0 < a_cutoff < b_cutoff <= 1, got {a_cutoff}, {b_cutoff}")
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 1:
        raise ValueError("values must be one-dimensional")
    if not np.all(np.isfinite(x)):
        raise ValueError("values must be finite")
    order = np.argsort(-x, kind="stable")
    positive = np.clip(x, 0.0, None)
    total = positive.sum()
    share = positive / total if total > 0 else np.zeros_like(x)
    cumulative_sorted = np.cumsum(share[order])
    before_sorted = cumulative_sorted - share[order]
    classes_sorted = np.where(
        before_sorted < a_cutoff - 1e-12,
        CLASS_A,
        np.where(before_sorted < b_cutoff - 1e-12, CLASS_B, CLASS_C),
    )
    classes_sorted[positive[order] <= 0] = CLASS_C
    rank = np.empty(x.size, dtype=np.int64)
    rank[order] = np.arange(1, x.size + 1)
    cumulative = np.empty_like(share)
    cumulative[order] = cumulative_sorted
    abc = np.empty(x.size, dtype="<U1")
    abc[order] = classes_sorted
    return AbcResult(rank=rank, share=share, cumulative_share=cumulative, abc_class=abc)


def pareto_curve(values: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(share of customers, cumulative share of value), starting at (0, 0), for the chart."""
    x = np.clip(np.asarray(values, dtype=np.float64), 0.0, None)
    if x.size == 0 or x.sum() <= 0:
        return np.zeros(1), np.zeros(1)
    cumulative = np.cumsum(np.sort(x)[::-1]) / x.sum()
    customers = np.arange(1, x.size + 1) / x.size
    return np.concatenate([[0.0], customers]), np.concatenate([[0.0], cumulative])


@dataclass(frozen=True)
class Concentration:
    top_share: float  # share of the total held by the top `top_fraction` of customers
    top_fraction: float
    gini: float  # 0 = equal, towards 1 = one customer holds everything
    hhi: float  # Herfindahl-Hirschman index on shares, 0..1 (x 10,000 for the antitrust scale)
    customers: int


def concentration(values: ArrayLike, top_fraction: float = 0.20) -> Concentration:
    """Concentration of revenue or profit over customers (negative values count as zero)."""
    x = np.clip(np.asarray(values, dtype=np.float64), 0.0, None)
    n = x.size
    total = x.sum()
    if n == 0 or total <= 0:
        return Concentration(0.0, top_fraction, 0.0, 0.0, n)
    top_n = max(1, int(np.ceil(n * top_fraction)))
    descending = np.sort(x)[::-1]
    ascending = descending[::-1]
    # Gini for sorted data: G = 2 * sum(i * x_(i)) / (n * sum x) - (n + 1) / n, i = 1..n.
    ranks = np.arange(1, n + 1, dtype=np.float64)
    gini = float(2.0 * np.dot(ranks, ascending) / (n * total) - (n + 1.0) / n)
    shares = x / total
    return Concentration(
        top_share=float(descending[:top_n].sum() / total),
        top_fraction=top_fraction,
        gini=gini,
        hhi=float(np.dot(shares, shares)),
        customers=n,
    )
