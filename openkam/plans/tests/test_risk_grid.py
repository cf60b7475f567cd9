"""The 3x3 grid of the source slides, pinned cell by cell."""

from __future__ import annotations

import pytest

from openkam.plans.risks import Rating, rating_rank, risk_rating

GRID = [
    ("low", "low", Rating.CAUTION),
    ("low", "medium", Rating.CAUTION),
    ("medium", "low", Rating.CAUTION),
    ("low", "high", Rating.FIX),
    ("medium", "medium", Rating.FIX),
    ("high", "low", Rating.FIX),
    ("medium", "high", Rating.SIGNIFICANT),
    ("high", "medium", Rating.SIGNIFICANT),
    ("high", "high", Rating.SHOW_STOPPER),
]


@pytest.mark.parametrize(("probability", "impact", "rating"), GRID)
def test_every_cell_of_the_grid_reads_as_the_slides_say(
    probability: str, impact: str, rating: Rating
) -> None:
    assert risk_rating(probability, impact) == rating


def test_ratings_rank_from_caution_to_show_stopper() -> None:
    ranks = [rating_rank(rating) for rating in ("caution", "fix", "significant", "show_stopper")]
    assert ranks == [0, 1, 2, 3]


def test_an_unknown_level_is_refused_not_guessed() -> None:
    with pytest.raises(ValueError, match="unknown level"):
        risk_rating("very high", "low")
