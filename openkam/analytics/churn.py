"""Churn early warning (流失预警), DOMAIN §6: signals combined into a level with reasons.

Each signal adds points; the level is high at `high_points` or more, medium at one point or
more. The reasons are codes the UI translates, so a KAM sees why an account is flagged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

LOW, MEDIUM, HIGH = "low", "medium", "high"

P_ALIVE_LOW = "p_alive_low"
P_ALIVE_VERY_LOW = "p_alive_very_low"
OVERDUE_VS_RHYTHM = "overdue_vs_rhythm"
LONG_SILENCE = "long_silence"
VOLUME_DECLINE = "volume_decline"
STEEP_DECLINE = "steep_decline"
PAYMENT_WORSENING = "payment_worsening"
SATISFACTION_DROP = "satisfaction_drop"


@dataclass(frozen=True)
class ChurnThresholds:
    p_alive_low: float = 0.5
    p_alive_very_low: float = 0.2
    gap_ratio_overdue: float = 2.0  # days since last purchase / usual gap
    gap_ratio_silence: float = 4.0
    decline: float = -0.30  # trailing volume change versus the period before
    steep_decline: float = -0.60
    overdue_share_rise: float = 0.10  # rise in the share of receivables overdue
    satisfaction_drop: float = -1.0  # change in satisfaction score (e.g. on a 1-5 or 0-10 scale)
    high_points: int = 3


@dataclass(frozen=True)
class ChurnRisk:
    level: NDArray[np.str_]
    points: NDArray[np.int64]
    reasons: list[tuple[str, ...]]


def _below(values: ArrayLike | None, cut: float) -> NDArray[np.bool_] | None:
    if values is None:
        return None
    v = np.asarray(values, dtype=np.float64)
    return np.isfinite(v) & (v < cut)


def _at_least(values: ArrayLike | None, cut: float) -> NDArray[np.bool_] | None:
    if values is None:
        return None
    v = np.asarray(values, dtype=np.float64)
    return np.isfinite(v) & (v >= cut)


def _gap_ratio(days_since_last: ArrayLike | None, usual_gap: ArrayLike | None) -> ArrayLike | None:
    if days_since_last is None or usual_gap is None:
        return None
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(days_since_last, dtype=np.float64) / np.asarray(usual_gap, dtype=float)


def churn_risk(
    *,
    p_alive: ArrayLike | None = None,
    days_since_last: ArrayLike | None = None,
    usual_gap_days: ArrayLike | None = None,
    trailing_change: ArrayLike | None = None,
    overdue_share_change: ArrayLike | None = None,
    satisfaction_change: ArrayLike | None = None,
    thresholds: ChurnThresholds | None = None,
) -> ChurnRisk:
    """Combine whichever signals are known (None, or NaN for one account, adds nothing).

    Of a strong and a weak variant of the same signal only the strong one counts."""
    t = thresholds or ChurnThresholds()
    ratio = _gap_ratio(days_since_last, usual_gap_days)
    # (strong hits, strong points, strong code), (weak hits, weak points, weak code)
    signals = [
        ((_below(p_alive, t.p_alive_very_low), 3, P_ALIVE_VERY_LOW),
         (_below(p_alive, t.p_alive_low), 1, P_ALIVE_LOW)),
        ((_at_least(ratio, t.gap_ratio_silence), 2, LONG_SILENCE),
         (_at_least(ratio, t.gap_ratio_overdue), 1, OVERDUE_VS_RHYTHM)),
        ((_below(trailing_change, t.steep_decline), 2, STEEP_DECLINE),
         (_below(trailing_change, t.decline), 1, VOLUME_DECLINE)),
        ((None, 0, ""), (_at_least(overdue_share_change, t.overdue_share_rise), 1,
                         PAYMENT_WORSENING)),
        ((None, 0, ""), (_below(satisfaction_change, t.satisfaction_drop), 1,
                         SATISFACTION_DROP)),
    ]  # fmt: skip
    sizes = {hits.size for pair in signals for hits, _p, _c in pair if hits is not None}
    if len(sizes) > 1:
        raise ValueError(f"signals differ in length: {sorted(sizes)}")
    n = sizes.pop() if sizes else 0
    points = np.zeros(n, dtype=np.int64)
    # Each account's reasons as one number: per signal 0 (none), 1 (weak) or 2 (strong), in base
    # 3; the tuple of codes is built once per distinct number (a few dozen), not once per account.
    combination = np.zeros(n, dtype=np.int64)
    for i, ((strong, strong_points, _s), (weak, weak_points, _w)) in enumerate(signals):
        strong_hits = strong if strong is not None else np.zeros(n, dtype=bool)
        weak_hits = (weak if weak is not None else np.zeros(n, dtype=bool)) & ~strong_hits
        points += strong_hits * strong_points + weak_hits * weak_points
        combination += (strong_hits * 2 + weak_hits) * 3**i
    level = np.where(points >= t.high_points, HIGH, np.where(points >= 1, MEDIUM, LOW))
    distinct, which = np.unique(combination, return_inverse=True)
    tuples = [_reason_codes(int(number), signals) for number in distinct]
    reasons = [tuples[k] for k in which.tolist()]
    return ChurnRisk(level=level, points=points, reasons=reasons)


def _reason_codes(number: int, signals: list[Any]) -> tuple[str, ...]:
    """The codes of one combination (``churn_risk``'s base-3 number), in the signals' order."""
    codes = []
    for (_strong, _sp, strong_code), (_weak, _wp, weak_code) in signals:
        number, state = divmod(number, 3)
        if state:
            codes.append(strong_code if state == 2 else weak_code)
    return tuple(codes)


def value_lost(clv: ArrayLike, p_alive: ArrayLike, revenue_12m: ArrayLike) -> NDArray[np.float64]:
    """The customer value likely lost if the customer has gone: CLV (never below nought) times
    the probability it has left, 1 - P(alive); the last twelve months' revenue where the
    purchase models could not say (CLV or P(alive) unknown: NaN). One rule for the alerts'
    value at risk and the dashboard's attention ranking; NaN revenue counts as nought."""
    clv = np.asarray(clv, dtype=float)
    p_alive = np.asarray(p_alive, dtype=float)
    modelled = ~np.isnan(clv) & ~np.isnan(p_alive)
    return np.where(
        modelled,
        np.maximum(np.nan_to_num(clv), 0.0) * (1.0 - np.nan_to_num(p_alive)),
        np.nan_to_num(np.asarray(revenue_12m, dtype=float)),
    )
