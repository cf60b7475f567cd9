"""Two-axis quadrant matrices (客户价值四格图, 客户组合矩阵), DOMAIN §2.5 and §2.7.

Every matrix is the same computation: an account is "high" on an axis when its value is at or
above the cut-off (the median of the portfolio unless a fixed cut is given). What differs is
the naming of the quadrants and the recommended treatment, kept here as data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


@dataclass(frozen=True)
class Quadrant:
    code: str
    name: str
    treatment: str


@dataclass(frozen=True)
class MatrixSpec:
    """Names of the four quadrants, indexed (x high?, y high?)."""

    key: str
    x_axis: str
    y_axis: str
    high_high: Quadrant
    high_low: Quadrant  # high x, low y
    low_high: Quadrant  # low x, high y
    low_low: Quadrant

    def quadrants(self) -> tuple[Quadrant, ...]:
        return (self.high_high, self.high_low, self.low_high, self.low_low)


SALES_PROFIT = MatrixSpec(
    key="sales_profit",
    x_axis="sales",
    y_axis="profit",
    high_high=Quadrant(
        "star", "High sales, high profit", "Protect and grow: first claim on resources"
    ),
    high_low=Quadrant(
        "volume", "High sales, low profit", "Fix the margin: price, mix and cost to serve"
    ),
    low_high=Quadrant("niche", "Low sales, high profit", "Grow volume while keeping the margin"),
    low_low=Quadrant("marginal", "Low sales, low profit", "Serve at minimum cost or let go"),
)

VOLUME_LOYALTY = MatrixSpec(
    key="volume_loyalty",
    x_axis="volume",
    y_axis="loyalty",
    high_high=Quadrant(
        "core_value", "Core value customer", "Strategic partnership: joint plans, executive ties"
    ),
    high_low=Quadrant(
        "speculative",
        "Speculative customer",
        "Control credit; watch for cross-region selling (窜货), dumping and overdue payments",
    ),
    low_high=Quadrant("cultivate", "Loyal, small", "Cultivate and upgrade: grow share of wallet"),
    low_low=Quadrant("low_priority", "Low priority", "Serve efficiently, minimum investment"),
)

PORTFOLIO = MatrixSpec(
    key="portfolio",
    x_axis="relative_strength",
    y_axis="attractiveness",
    high_high=Quadrant("key_account", "Key account", "Invest to keep and grow"),
    high_low=Quadrant("maintenance", "Maintenance account", "Serve efficiently, protect margin"),
    low_high=Quadrant(
        "key_development", "Key development account", "Invest selectively to build strength"
    ),
    low_low=Quadrant("opportunistic", "Opportunistic account", "Serve at minimum cost to serve"),
)


@dataclass(frozen=True)
class QuadrantResult:
    code: NDArray[np.str_]  # quadrant code per account ("" where an axis is missing)
    x_cut: float
    y_cut: float
    counts: dict[str, int]


def _cut(values: NDArray[np.float64], fixed: float | None) -> float:
    if fixed is not None:
        return float(fixed)
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else float("nan")


def classify(
    spec: MatrixSpec,
    x: ArrayLike,
    y: ArrayLike,
    *,
    x_cut: float | None = None,
    y_cut: float | None = None,
) -> QuadrantResult:
    """Quadrant per account; NaN on either axis leaves the account unplaced ("")."""
    xs = np.asarray(x, dtype=np.float64)
    ys = np.asarray(y, dtype=np.float64)
    if xs.shape != ys.shape:
        raise ValueError(f"axes differ in length: {xs.size} and {ys.size}")
    cx, cy = _cut(xs, x_cut), _cut(ys, y_cut)
    high_x, high_y = xs >= cx, ys >= cy
    placed = np.isfinite(xs) & np.isfinite(ys)
    width = max(len(q.code) for q in spec.quadrants())
    code = np.full(xs.size, "", dtype=f"<U{width}")
    code[placed & high_x & high_y] = spec.high_high.code
    code[placed & high_x & ~high_y] = spec.high_low.code
    code[placed & ~high_x & high_y] = spec.low_high.code
    code[placed & ~high_x & ~high_y] = spec.low_low.code
    counts = {q.code: int(np.count_nonzero(code == q.code)) for q in spec.quadrants()}
    return QuadrantResult(code=code, x_cut=cx, y_cut=cy, counts=counts)
