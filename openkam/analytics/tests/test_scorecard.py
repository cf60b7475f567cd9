import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openkam.analytics.scorecard import (
    ATTRACTIVENESS_CRITERIA,
    Criterion,
    MissingPolicy,
    scale_to_score,
    score_accounts,
)

THREE = (Criterion("a", "A", 2.0), Criterion("b", "B", 1.0), Criterion("c", "C", 1.0))


def test_all_fives_score_100_and_all_ones_score_0() -> None:
    result = score_accounts([[5, 5, 5], [1, 1, 1]], THREE)
    assert result.score.tolist() == [100.0, 0.0]
    assert result.coverage.tolist() == [1.0, 1.0]


def test_hand_checked_weighted_score() -> None:
    # (2*(4-1)/4 + 1*(2-1)/4 + 1*(3-1)/4) / 4 = (1.5 + 0.25 + 0.5) / 4 = 0.5625
    assert score_accounts([[4, 2, 3]], THREE).score[0] == pytest.approx(56.25)


def test_missing_scores_follow_the_chosen_policy() -> None:
    row = [[5, np.nan, np.nan]]
    assert score_accounts(row, THREE).score[0] == pytest.approx(100.0)
    neutral = score_accounts(row, THREE, missing=MissingPolicy.NEUTRAL).score[0]
    assert neutral == pytest.approx(100 * (2 * 1 + 0.5 + 0.5) / 4)
    assert score_accounts(row, THREE, missing=MissingPolicy.WORST).score[0] == pytest.approx(50)
    assert score_accounts(row, THREE).coverage[0] == pytest.approx(0.5)


def test_too_little_scored_gives_no_score_rather_than_a_guess() -> None:
    result = score_accounts([[np.nan, 5, np.nan]], THREE)
    assert np.isnan(result.score[0])
    assert result.coverage[0] == pytest.approx(0.25)


def test_scores_outside_one_to_five_are_refused() -> None:
    with pytest.raises(ValueError, match="between 1 and 5"):
        score_accounts([[6, 1, 1]], THREE)


def test_the_default_criteria_are_the_domain_list() -> None:
    assert len(ATTRACTIVENESS_CRITERIA) == 22
    assert len({c.key for c in ATTRACTIVENESS_CRITERIA}) == 22


def test_measured_figures_map_onto_the_scale() -> None:
    scores = scale_to_score([0.05, 0.1, 0.3, 0.55, 0.9, np.nan], (0.1, 0.25, 0.5, 0.75))
    assert scores[:5].tolist() == [1, 2, 3, 4, 5]
    assert np.isnan(scores[5])


@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=3, max_size=3),
        min_size=1,
        max_size=50,
    ),
    st.sampled_from(list(MissingPolicy)),
)
def test_scores_stay_within_0_and_100(rows: list, policy: MissingPolicy) -> None:
    matrix = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
    result = score_accounts(matrix, THREE, missing=policy, min_coverage=0.0)
    finite = result.score[np.isfinite(result.score)]
    assert np.all((finite >= 0) & (finite <= 100))
    assert np.all((result.coverage >= 0) & (result.coverage <= 1))
