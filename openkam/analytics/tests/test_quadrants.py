import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openkam.analytics.quadrants import PORTFOLIO, SALES_PROFIT, VOLUME_LOYALTY, classify


def test_portfolio_matrix_names_the_four_quadrants() -> None:
    result = classify(PORTFOLIO, x=[80, 80, 20, 20], y=[90, 10, 90, 10], x_cut=50, y_cut=50)
    assert result.code.tolist() == [
        "key_account",
        "maintenance",
        "key_development",
        "opportunistic",
    ]
    assert result.counts == {
        "key_account": 1,
        "maintenance": 1,
        "key_development": 1,
        "opportunistic": 1,
    }


def test_cut_defaults_to_the_median_and_ties_count_as_high() -> None:
    result = classify(SALES_PROFIT, x=[1, 2, 3], y=[3, 2, 1])
    assert (result.x_cut, result.y_cut) == (2.0, 2.0)
    assert result.code.tolist() == ["niche", "star", "volume"]


def test_accounts_missing_an_axis_are_not_placed() -> None:
    result = classify(VOLUME_LOYALTY, x=[5, np.nan], y=[5, 5], x_cut=1, y_cut=1)
    assert result.code.tolist() == ["core_value", ""]
    assert sum(result.counts.values()) == 1


def test_axes_of_different_length_are_refused() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        classify(PORTFOLIO, [1, 2], [1])


@given(st.lists(st.tuples(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6)), min_size=1, max_size=200))
def test_quadrant_counts_total_the_placed_accounts(points: list) -> None:
    x, y = (np.array(axis) for axis in zip(*points, strict=True))
    for spec in (SALES_PROFIT, VOLUME_LOYALTY, PORTFOLIO):
        result = classify(spec, x, y)
        assert sum(result.counts.values()) == len(points)
        assert set(result.code.tolist()) <= {q.code for q in spec.quadrants()}
