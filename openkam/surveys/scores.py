"""The arithmetic of satisfaction surveys, apart from Django (plain numbers in, numbers out).

NPS (Reichheld, "The One Number You Need to Grow", HBR 2003): on the 0-10 "how likely are
you to recommend us" scale, promoters answer 9-10, detractors 0-6; NPS is the share of
promoters minus the share of detractors, in percentage points (-100..100).

Role-weighted NPS: the same, each answer counting for the weight of who gave it (the
relationship map's influence 1-5 times a factor for the buying role), so the economic buyer's
view counts for what it is worth: 100 * (sum of promoters' weights - sum of detractors'
weights) / sum of all weights.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6
NPS_MIN, NPS_MAX = 0, 10
CSAT_MIN, CSAT_MAX = 1, 5
# The buying role's factor (Miller & Heiman's buying influences): the economic buyer signs,
# the technical buyer can veto, the user buyer and the coach inform.
ROLE_FACTOR: dict[str, float] = {"economic": 2.0, "technical": 1.5, "user": 1.0, "coach": 1.0}
DEFAULT_INFLUENCE = 3

PROMOTER, PASSIVE, DETRACTOR = "promoter", "passive", "detractor"


def nps_category(score: int) -> str:
    if score >= PROMOTER_FROM:
        return PROMOTER
    if score <= DETRACTOR_UP_TO:
        return DETRACTOR
    return PASSIVE


def contact_weight(influence_level: int | None, influence_type: str | None) -> float:
    """The weight of a contact's answer: influence (1-5, 3 when unknown) times the role's
    factor (1 when the role is not on the map)."""
    level = influence_level if influence_level else DEFAULT_INFLUENCE
    return float(level) * ROLE_FACTOR.get(influence_type or "", 1.0)


def nps(scores: Iterable[int | None]) -> float | None:
    """Promoters minus detractors in percentage points; None with no answer."""
    known = [s for s in scores if s is not None]
    return weighted_nps(known, [1.0] * len(known))


def weighted_nps(scores: Sequence[int | None], weights: Sequence[float]) -> float | None:
    """NPS with each answer counting for its weight; None when no answer has a weight."""
    if len(scores) != len(weights):
        raise ValueError("one weight per score")
    total = promoters = detractors = 0.0
    for score, weight in zip(scores, weights, strict=True):
        if score is None or weight <= 0:
            continue
        total += weight
        category = nps_category(score)
        promoters += weight if category == PROMOTER else 0.0
        detractors += weight if category == DETRACTOR else 0.0
    if total == 0:
        return None
    return 100.0 * (promoters - detractors) / total


def mean(values: Iterable[float | int | None]) -> float | None:
    known = [float(v) for v in values if v is not None]
    return sum(known) / len(known) if known else None


def response_rate(answered: int, invited: int) -> float | None:
    """Answers per invitation, 0..1; None when nobody was invited."""
    return answered / invited if invited else None


def csat_level(csat: float | None) -> float | None:
    """A 1-5 CSAT on the 0..1 scale of the loyalty preference axis."""
    if csat is None:
        return None
    return (csat - CSAT_MIN) / (CSAT_MAX - CSAT_MIN)


def change(latest: float | None, before: float | None) -> float | None:
    """How far a figure moved since the survey before (None when either is unknown)."""
    if latest is None or before is None:
        return None
    return latest - before
