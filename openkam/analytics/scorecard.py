"""Weighted scorecards: strategic selection criteria (战略大客户选择准则 / 客户价值计分),
DOMAIN §2.6, and our relative strength at an account, DOMAIN §2.7.

Scores run from 1 to 5; a missing score is NaN and is handled by an explicit policy rather
than silently counted as zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

SCORE_MIN, SCORE_MAX = 1.0, 5.0


@dataclass(frozen=True)
class Criterion:
    key: str
    name: str
    weight: float = 1.0


ATTRACTIVENESS_CRITERIA: tuple[Criterion, ...] = (
    Criterion("revenue_potential", "Revenue potential", 3.0),
    Criterion("profit_potential", "Profit potential", 3.0),
    Criterion("centralised_purchasing", "Centralised purchasing", 1.0),
    Criterion("market_leader", "Market leader", 2.0),
    Criterion("hurts_competitors", "Winning it hurts competitors", 1.0),
    Criterion("executive_relationship", "Existing executive relationship", 1.5),
    Criterion("complementary_technology", "Complementary technology", 1.0),
    Criterion("strict_certification", "Strict supplier certification", 1.0),
    Criterion("strategic_buying", "Strategic (not transactional) buying orientation", 1.5),
    Criterion("cultural_fit", "Cultural fit", 1.0),
    Criterion("systems_compatibility", "Systems compatibility", 0.5),
    Criterion("solvency", "Solvency", 2.0),
    Criterion("pays_promptly", "Pays promptly", 2.0),
    Criterion("product_line_fit", "Product-line fit", 1.5),
    Criterion("flexibility", "Flexibility", 0.5),
    Criterion("common_raw_materials", "Common raw-material base", 0.5),
    Criterion("acceptable_procurement_cost", "Acceptable procurement cost", 1.0),
    Criterion("innovation", "Innovation / best practice", 1.0),
    Criterion("willing_to_outsource", "Shows willingness to outsource", 1.0),
    Criterion("has_expertise_we_need", "Has expertise we need (inventory, logistics)", 0.5),
    Criterion("deals_honestly", "Deals honestly", 1.5),
    Criterion("service_partner", "Can serve as service partner", 0.5),
)

STRENGTH_CRITERIA: tuple[Criterion, ...] = (
    Criterion("share_of_wallet", "Our share of wallet", 3.0),
    Criterion("relationship_stage", "Relationship stage", 2.0),
    Criterion("satisfaction", "Customer satisfaction", 2.0),
    Criterion("years_as_supplier", "Years as supplier", 1.0),
    Criterion("product_fit", "Fit of our products to their needs", 1.5),
    Criterion("delivery_performance", "On-time, accurate delivery", 1.5),
)


class MissingPolicy(StrEnum):
    RENORMALISE = "renormalise"  # score over the criteria that were scored
    NEUTRAL = "neutral"  # a missing score counts as the middle of the scale (3)
    WORST = "worst"  # a missing score counts as the bottom of the scale (1)


@dataclass(frozen=True)
class ScorecardResult:
    score: NDArray[np.float64]  # 0..100, NaN when coverage is below the minimum
    coverage: NDArray[np.float64]  # share of total weight that was actually scored, 0..1


def score_accounts(
    scores: ArrayLike,
    criteria: tuple[Criterion, ...],
    *,
    missing: MissingPolicy = MissingPolicy.RENORMALISE,
    min_coverage: float = 0.5,
) -> ScorecardResult:
    """0-100 per account from an (accounts x criteria) matrix of 1-5 scores (NaN = missing).

    score = 100 * sum_j w_j (s_j - 1) / 4 / sum_j w_j, the sums running over the scored
    criteria under RENORMALISE and over all criteria otherwise.
    """
    matrix = np.atleast_2d(np.asarray(scores, dtype=np.float64))
    weights = np.array([c.weight for c in criteria], dtype=np.float64)
    if matrix.shape[1] != weights.size:
        raise ValueError(f"{matrix.shape[1]} score columns for {weights.size} criteria")
    if np.any(weights < 0) or weights.sum() <= 0:
        raise ValueError("weights must be non-negative and not all zero")
    present = np.isfinite(matrix)
    if np.any((matrix[present] < SCORE_MIN) | (matrix[present] > SCORE_MAX)):
        raise ValueError(f"scores must lie between {SCORE_MIN:g} and {SCORE_MAX:g}")
    coverage = (present * weights).sum(axis=1) / weights.sum()
    filled = {
        MissingPolicy.RENORMALISE: 0.0,
        MissingPolicy.NEUTRAL: 3.0,
        MissingPolicy.WORST: SCORE_MIN,
    }[missing]
    normalised = np.where(present, (matrix - SCORE_MIN) / (SCORE_MAX - SCORE_MIN), 0.0)
    if missing is not MissingPolicy.RENORMALISE:
        normalised = np.where(present, normalised, (filled - SCORE_MIN) / (SCORE_MAX - SCORE_MIN))
        denominator = np.full(matrix.shape[0], weights.sum())
    else:
        denominator = (present * weights).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = 100.0 * (normalised * weights).sum(axis=1) / denominator
    score = np.where(coverage >= min_coverage, score, np.nan)
    return ScorecardResult(score=score, coverage=coverage)


def scale_to_score(
    values: ArrayLike, breakpoints: tuple[float, float, float, float]
) -> NDArray[np.float64]:
    """Map a measured figure onto 1-5: below breakpoints[0] scores 1, at or above [3] scores 5.

    Used to turn facts (share of wallet, years as supplier, satisfaction) into strength scores.
    NaN stays NaN (not scored).
    """
    x = np.asarray(values, dtype=np.float64)
    if list(breakpoints) != sorted(breakpoints):
        raise ValueError("breakpoints must be increasing")
    result = 1.0 + np.searchsorted(np.asarray(breakpoints), x, side="right").astype(np.float64)
    return np.where(np.isfinite(x), result, np.nan)
