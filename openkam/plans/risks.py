"""The risk rating grid of the source slides (风险分析): probability x impact, each low / medium /
high, read into four ratings. The grid is symmetric: what counts is how high the two are
together, so a likely small risk weighs as an unlikely large one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Rating(models.TextChoices):
    """Ordered from the mildest to the gravest."""

    CAUTION = "caution", _("Proceed with caution")
    FIX = "fix", _("Fix before launch")
    SIGNIFICANT = "significant", _("Significant risk")
    SHOW_STOPPER = "show_stopper", _("Show stopper")


_LEVEL_WEIGHT = {Level.LOW: 0, Level.MEDIUM: 1, Level.HIGH: 2}
# Sum of the two weights -> rating: low/low, low/medium, medium/low (0-1) are caution;
# low/high, medium/medium, high/low (2) fix before launch; medium/high, high/medium (3)
# significant; high/high (4) show stopper.
_BY_WEIGHT = {
    0: Rating.CAUTION,
    1: Rating.CAUTION,
    2: Rating.FIX,
    3: Rating.SIGNIFICANT,
    4: Rating.SHOW_STOPPER,
}

RATING_ORDER = tuple(Rating)


def risk_rating(probability: str, impact: str) -> Rating:
    """The grid's rating of one risk; an unknown level is a ValueError, not a guess."""
    try:
        weight = _LEVEL_WEIGHT[Level(probability)] + _LEVEL_WEIGHT[Level(impact)]
    except ValueError as exc:
        raise ValueError(f"unknown level: {probability!r} / {impact!r}") from exc
    return _BY_WEIGHT[weight]


def rating_rank(rating: str) -> int:
    """0 for the mildest rating up to 3 for a show stopper (for sorting and heat maps)."""
    return RATING_ORDER.index(Rating(rating))
