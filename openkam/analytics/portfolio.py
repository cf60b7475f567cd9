"""Portfolio analysis per account (组合分析), DOMAIN §2.8.

Revenue for the last three years, a forecast for the next two, direct and indirect cost to
serve, net contribution, and growth potential with the time it would take to reach it.

The trend forecast is a damped multiplicative trend (Gardner & McKenzie, 1985): the compound
yearly growth g of the history is applied with damping phi, so year h ahead grows by
g * phi**h. It can be blended with a purchase-model forecast (expected transactions x expected
spend), and the result says which method produced it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

TREND, MODEL, BLEND = "trend", "purchase_model", "blend"


@dataclass(frozen=True)
class Forecast:
    revenue: NDArray[np.float64]  # accounts x horizon years
    growth: NDArray[np.float64]  # compound yearly growth used by the trend (NaN: no trend)
    method: str


def compound_growth(history: ArrayLike, *, floor: float = -0.5, cap: float = 1.0) -> NDArray:
    """Compound yearly growth between the first and last positive year of each row (oldest
    year first), clipped to [floor, cap]; NaN with fewer than two positive years."""
    h = np.atleast_2d(np.asarray(history, dtype=np.float64))
    positive = h > 0
    years = np.arange(h.shape[1])
    first = np.where(positive.any(axis=1), positive.argmax(axis=1), -1)
    last = np.where(positive.any(axis=1), h.shape[1] - 1 - positive[:, ::-1].argmax(axis=1), -1)
    span = (last - first).astype(np.float64)
    rows = np.arange(h.shape[0])
    # Rows without two positive years divide garbage here; `valid` drops them below.
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ratio = h[rows, last] / h[rows, first]
        growth = np.power(ratio, 1.0 / span) - 1.0
    valid = (first >= 0) & (span > 0) & (years.size > 1)
    return np.where(valid, np.clip(growth, floor, cap), np.nan)


def trend_forecast(history: ArrayLike, *, horizon: int = 2, damping: float = 0.6) -> Forecast:
    """Forecast `horizon` years from yearly revenue (oldest first). Without a usable trend
    (fewer than two positive years) the last year is carried forward."""
    if not 0 <= damping <= 1:
        raise ValueError(f"damping must lie in [0, 1], got {damping}")
    h = np.atleast_2d(np.asarray(history, dtype=np.float64))
    growth = compound_growth(h)
    step = np.nan_to_num(growth, nan=0.0)[:, None] * damping ** np.arange(1, horizon + 1)
    revenue = np.clip(h[:, -1], 0.0, None)[:, None] * np.cumprod(1.0 + step, axis=1)
    return Forecast(revenue=revenue, growth=growth, method=TREND)


def blend_forecasts(trend: Forecast, model_revenue: ArrayLike, model_weight: float) -> Forecast:
    """Weighted mean of the trend and a purchase-model forecast of the same shape; accounts the
    model could not score (NaN) keep the trend."""
    if not 0 <= model_weight <= 1:
        raise ValueError(f"model_weight must lie in [0, 1], got {model_weight}")
    model = np.asarray(model_revenue, dtype=np.float64).reshape(trend.revenue.shape)
    blended = np.where(
        np.isfinite(model), model_weight * model + (1 - model_weight) * trend.revenue, trend.revenue
    )
    method = MODEL if model_weight == 1 else BLEND if model_weight > 0 else TREND
    return Forecast(revenue=blended, growth=trend.growth, method=method)


@dataclass(frozen=True)
class Contribution:
    gross_margin: NDArray[np.float64]  # revenue - direct cost (cost of goods + direct costs)
    net_contribution: NDArray[np.float64]  # gross margin - indirect cost to serve
    net_margin_rate: NDArray[np.float64]  # net contribution / revenue


def net_contribution(
    revenue: ArrayLike, direct_cost: ArrayLike, indirect_cost: ArrayLike
) -> Contribution:
    sales = np.asarray(revenue, dtype=np.float64)
    gross = sales - np.asarray(direct_cost, dtype=np.float64)
    net = gross - np.asarray(indirect_cost, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(sales > 0, net / sales, np.nan)
    return Contribution(gross_margin=gross, net_contribution=net, net_margin_rate=rate)


@dataclass(frozen=True)
class GrowthPotential:
    headroom: NDArray[np.float64]  # wallet x target share - current revenue, never negative
    years_to_reach: NDArray[np.float64]  # at the forecast growth; inf if not growing; 0 if there


def growth_potential(
    revenue: ArrayLike, wallet: ArrayLike, growth: ArrayLike, *, target_share: float = 0.5
) -> GrowthPotential:
    """Revenue still to win at the account (up to `target_share` of its category spend) and the
    years the forecast growth rate needs to get there. Unknown wallet gives NaN."""
    sales = np.asarray(revenue, dtype=np.float64)
    target = np.asarray(wallet, dtype=np.float64) * target_share
    g = np.asarray(growth, dtype=np.float64)
    headroom = np.clip(target - sales, 0.0, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        years = np.log(target / sales) / np.log1p(g)
    years = np.where(headroom <= 0, 0.0, np.where((g > 0) & (sales > 0), years, np.inf))
    unknown = ~np.isfinite(target)
    return GrowthPotential(
        headroom=np.where(unknown, np.nan, headroom),
        years_to_reach=np.where(unknown, np.nan, years),
    )
