import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from openkam.analytics.loyalty import (
    loyalty_types,
    preference_axis,
    purchase_regularity,
    repeat_axis,
)


def test_regularity_of_hand_checked_purchase_days() -> None:
    # customer 0: days 0, 10, 20, 30 -> gaps 10, 10, 10: mean 10, CV 0
    # customer 1: days 0, 10, 40 -> gaps 10, 30: mean 20, std 10, CV 0.5
    # customer 2: days 5, 6 -> one gap only: unknown; customer 3: no purchases
    customer = [1, 0, 0, 1, 0, 2, 0, 1, 2]
    day = [40, 30, 0, 0, 10, 5, 20, 10, 6]
    result = purchase_regularity(customer, day, n_customers=4)
    assert result.purchase_days.tolist() == [4, 3, 2, 0]
    assert result.mean_gap[:2].tolist() == [10.0, 20.0]
    assert result.gap_cv[:2].tolist() == pytest.approx([0.0, 0.5])
    assert np.isnan(result.gap_cv[2:]).all()


def test_regularity_accepts_calendar_dates() -> None:
    days = np.array(["2024-01-01", "2024-01-31", "2024-03-01"], dtype="datetime64[D]")
    result = purchase_regularity([0, 0, 0], days, n_customers=1)
    assert result.mean_gap[0] == pytest.approx(30.0)


def test_four_loyalty_types() -> None:
    types = loyalty_types([0.9, 0.9, 0.1, 0.1, np.nan], [0.9, 0.1, 0.9, 0.1, 0.5])
    assert types.tolist() == ["premium", "latent", "inertia", "none", ""]


def test_axes_average_whatever_is_known() -> None:
    assert preference_axis([0.6, np.nan, np.nan], [0.2, 0.8, np.nan]).tolist()[:2] == [
        pytest.approx(0.4),
        pytest.approx(0.8),
    ]
    assert np.isnan(preference_axis([np.nan], [np.nan])[0])
    # repeat: rate 0.5 and CV 1 -> regularity 0.5 -> axis 0.5
    assert repeat_axis([0.5], [1.0])[0] == pytest.approx(0.5)


def test_an_axis_needs_at_least_one_input() -> None:
    with pytest.raises(ValueError, match="at least one input"):
        preference_axis()


@given(st.lists(st.tuples(st.integers(0, 9), st.integers(0, 2000)), min_size=1, max_size=300))
def test_regularity_is_defined_only_with_two_gaps_and_never_negative(pairs: list) -> None:
    unique = sorted(set(pairs))
    customer, day = (np.array(column) for column in zip(*unique, strict=True))
    result = purchase_regularity(customer, day, n_customers=10)
    assert result.purchase_days.sum() == len(unique)
    defined = np.isfinite(result.gap_cv)
    assert np.all(result.purchase_days[defined] >= 3)
    assert np.all(result.gap_cv[defined] >= 0)
