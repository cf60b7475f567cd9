import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from openkam.analytics.pareto import abc_classify, concentration, pareto_curve

amounts = arrays(
    np.float64,
    st.integers(1, 200),
    elements=st.floats(0, 1e9, allow_nan=False, allow_infinity=False),
)


def test_hand_checked_abc_example() -> None:
    # total 100: 50 | 30 (cum 80, crosses 80 %: still A) | 12 (92: B) | 5 (97: B, 92 < 95) | 3 (C)
    result = abc_classify([5, 50, 3, 30, 12])
    assert result.abc_class.tolist() == ["B", "A", "C", "A", "B"]
    assert result.rank.tolist() == [4, 1, 5, 2, 3]
    assert result.cumulative_share.tolist() == pytest.approx([0.97, 0.5, 1.0, 0.8, 0.92])


def test_customer_crossing_the_cut_off_belongs_to_the_higher_class() -> None:
    assert abc_classify([70, 20, 10]).abc_class.tolist() == ["A", "A", "B"]


def test_loss_making_customers_are_class_c_in_a_profit_abc() -> None:
    result = abc_classify([100, -20, 0])
    assert result.abc_class.tolist() == ["A", "C", "C"]
    assert result.share.tolist() == [1.0, 0.0, 0.0]


def test_cut_offs_must_be_ordered() -> None:
    with pytest.raises(ValueError, match="a_cutoff < b_cutoff"):
        abc_classify([1, 2], a_cutoff=0.9, b_cutoff=0.8)


def test_concentration_of_a_hand_checked_distribution() -> None:
    figures = concentration([50, 30, 12, 5, 3])
    assert figures.top_share == pytest.approx(0.50)  # top 20 % of 5 customers = 1 customer
    # Gini by hand: sorted 3,5,12,30,50; sum(i*x) = 3+10+36+120+250 = 419;
    # 2*419/(5*100) - 6/5 = 1.676 - 1.2 = 0.476
    assert figures.gini == pytest.approx(0.476)
    assert figures.hhi == pytest.approx(0.25 + 0.09 + 0.0144 + 0.0025 + 0.0009)


def test_equal_customers_have_zero_gini_and_hhi_one_over_n() -> None:
    figures = concentration(np.full(10, 7.0))
    assert figures.gini == pytest.approx(0.0, abs=1e-12)
    assert figures.hhi == pytest.approx(0.1)


@given(amounts)
def test_shares_sum_to_one_and_cumulative_shares_rise_with_rank(values: np.ndarray) -> None:
    result = abc_classify(values)
    if values.sum() > 0:
        assert result.share.sum() == pytest.approx(1.0)
        by_rank = result.cumulative_share[np.argsort(result.rank)]
        assert np.all(np.diff(by_rank) >= -1e-12)
        assert by_rank[-1] == pytest.approx(1.0)
    assert sorted(result.rank.tolist()) == list(range(1, values.size + 1))


@given(amounts)
def test_classes_are_monotone_in_rank(values: np.ndarray) -> None:
    result = abc_classify(values)
    classes = result.abc_class[np.argsort(result.rank)].tolist()
    assert classes == sorted(classes)  # A..A B..B C..C


@given(amounts)
def test_concentration_figures_stay_in_their_bounds(values: np.ndarray) -> None:
    figures = concentration(values)
    assert 0.0 <= figures.top_share <= 1.0 + 1e-12
    assert -1e-12 <= figures.gini <= 1.0
    assert 0.0 <= figures.hhi <= 1.0 + 1e-12


@given(amounts)
def test_pareto_curve_is_concave_and_ends_at_one(values: np.ndarray) -> None:
    customers, cumulative = pareto_curve(values)
    if values.sum() > 0:
        assert customers[-1] == pytest.approx(1.0)
        assert cumulative[-1] == pytest.approx(1.0)
        assert np.all(np.diff(cumulative) >= -1e-12)
        assert np.all(cumulative >= customers - 1e-9)  # above the diagonal
