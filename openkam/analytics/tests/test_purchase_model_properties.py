"""Properties of the purchase-model formulas over wide parameter and data ranges (hypothesis).

Ranges: parameters within [0.01, 100] (alpha and beta, scales in the data's time unit, up to
1000), up to 500 repeat purchases, ages up to 1000 time units, horizons up to 500.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from openkam.analytics import bgnbd, paretonbd

shape = st.floats(min_value=0.01, max_value=100.0)
scale = st.floats(min_value=0.01, max_value=1000.0)
frequency = st.integers(min_value=0, max_value=500)
age = st.floats(min_value=0.0, max_value=1000.0)
share = st.floats(min_value=0.0, max_value=1.0)
horizon = st.floats(min_value=0.0, max_value=500.0)

bgnbd_params = st.builds(bgnbd.BGNBDParams, r=shape, alpha=scale, a=shape, b=shape)
paretonbd_params = st.builds(paretonbd.ParetoNBDParams, r=shape, alpha=scale, s=shape, beta=scale)


def recency(x: int, T: float, position: float) -> float:
    return 0.0 if x == 0 else position * T


@settings(max_examples=300, deadline=None)
@given(bgnbd_params, frequency, age, share)
def test_bgnbd_p_alive_is_a_probability(
    params: bgnbd.BGNBDParams, x: int, T: float, position: float
) -> None:
    p_alive = float(bgnbd.probability_alive(params, x, recency(x, T, position), T))
    assert 0.0 <= p_alive <= 1.0


@settings(max_examples=100, deadline=None)
@given(bgnbd_params, age)
def test_bgnbd_p_alive_is_one_without_repeat_purchases(params: bgnbd.BGNBDParams, T: float) -> None:
    assert float(bgnbd.probability_alive(params, 0, 0.0, T)) == 1.0


@settings(max_examples=300, deadline=None)
@given(bgnbd_params, frequency, age, share, horizon, horizon)
def test_bgnbd_conditional_expectation_is_non_negative_and_grows_with_the_horizon(
    params: bgnbd.BGNBDParams, x: int, T: float, position: float, t1: float, t2: float
) -> None:
    t_x = recency(x, T, position)
    short, long = sorted([t1, t2])
    values = bgnbd.conditional_expected_transactions(params, np.array([short, long]), x, t_x, T)
    assert np.all(np.isfinite(values))
    assert values[0] >= -1e-12
    assert values[1] >= values[0] - 1e-9 * max(1.0, abs(values[1]))


@settings(max_examples=200, deadline=None)
@given(bgnbd_params, horizon, horizon)
def test_bgnbd_unconditional_expectation_is_non_negative_and_grows_with_time(
    params: bgnbd.BGNBDParams, t1: float, t2: float
) -> None:
    short, long = sorted([t1, t2])
    values = bgnbd.expected_transactions(params, np.array([short, long]))
    assert np.all(np.isfinite(values))
    assert values[0] >= -1e-12
    assert values[1] >= values[0] - 1e-9 * max(1.0, abs(values[1]))


@settings(max_examples=300, deadline=None)
@given(paretonbd_params, frequency, age, share)
def test_paretonbd_p_alive_is_a_probability(
    params: paretonbd.ParetoNBDParams, x: int, T: float, position: float
) -> None:
    p_alive = float(paretonbd.probability_alive(params, x, recency(x, T, position), T))
    assert 0.0 <= p_alive <= 1.0


@settings(max_examples=300, deadline=None)
@given(paretonbd_params, frequency, age, share, horizon, horizon)
def test_paretonbd_conditional_expectation_is_non_negative_and_grows_with_the_horizon(
    params: paretonbd.ParetoNBDParams, x: int, T: float, position: float, t1: float, t2: float
) -> None:
    t_x = recency(x, T, position)
    short, long = sorted([t1, t2])
    values = paretonbd.conditional_expected_transactions(params, np.array([short, long]), x, t_x, T)
    assert np.all(np.isfinite(values))
    assert values[0] >= 0.0
    assert values[1] >= values[0] - 1e-12 * max(1.0, abs(values[1]))


@settings(max_examples=200, deadline=None)
@given(paretonbd_params, frequency, age, share)
def test_paretonbd_log_likelihood_is_finite_and_non_positive(
    params: paretonbd.ParetoNBDParams, x: int, T: float, position: float
) -> None:
    value = float(paretonbd.log_likelihood(params, x, recency(x, T, position), T))
    assert np.isfinite(value)


@settings(max_examples=200, deadline=None)
@given(bgnbd_params, frequency, age, share)
def test_bgnbd_log_likelihood_is_finite(
    params: bgnbd.BGNBDParams, x: int, T: float, position: float
) -> None:
    value = float(bgnbd.log_likelihood(params, x, recency(x, T, position), T))
    assert np.isfinite(value)


def test_very_old_and_very_frequent_customers_stay_finite() -> None:
    x = np.array([0, 1, 50, 5000, 5000])
    t_x = np.array([0.0, 1e5 - 1, 5e4, 9.99e4, 10.0])
    T = np.full(5, 1e5)
    cdnow_bgnbd = bgnbd.BGNBDParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
    cdnow_paretonbd = paretonbd.ParetoNBDParams(r=0.553, alpha=10.578, s=0.606, beta=11.669)
    for values in (
        bgnbd.log_likelihood(cdnow_bgnbd, x, t_x, T),
        bgnbd.log_likelihood_gradient(cdnow_bgnbd, x, t_x, T),
        bgnbd.conditional_expected_transactions(cdnow_bgnbd, 52.0, x, t_x, T),
        paretonbd.log_likelihood(cdnow_paretonbd, x, t_x, T),
        paretonbd.log_likelihood_gradient(cdnow_paretonbd, x, t_x, T),
        paretonbd.conditional_expected_transactions(cdnow_paretonbd, 52.0, x, t_x, T),
    ):
        assert np.all(np.isfinite(values))
    # 5,000 purchases in the first 10 weeks, then 100,000 weeks of silence: gone.
    assert float(paretonbd.probability_alive(cdnow_paretonbd, 5000, 10.0, 1e5)) < 1e-100
    assert float(bgnbd.probability_alive(cdnow_bgnbd, 5000, 10.0, 1e5)) < 1e-100
