"""Analytic gradients agree with central finite differences of the log-likelihood.

Random parameter points from a seeded generator (the seed is in every failure message), on the
first 400 CDNOW customers so that the totals stay small enough for finite differences to be
accurate to about 1e-9.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from openkam.analytics import bgnbd, gammagamma, paretonbd
from openkam.analytics.base import FloatArray, ModelParams
from openkam.analytics.tests.cdnow_data import cdnow_summary

SEEDS = [20240501, 7, 314159]
RELATIVE_STEP = 1e-5


def central_differences(total: Callable[[FloatArray], float], theta: FloatArray) -> FloatArray:
    gradient = np.empty_like(theta)
    for j in range(len(theta)):
        step = RELATIVE_STEP * theta[j]
        up, down = theta.copy(), theta.copy()
        up[j] += step
        down[j] -= step
        gradient[j] = (total(up) - total(down)) / (2 * step)
    return gradient


def random_point(rng: np.random.Generator, low: list[float], high: list[float]) -> FloatArray:
    return np.exp(rng.uniform(np.log(low), np.log(high)))


def assert_gradient_matches(
    analytic: FloatArray, numeric: FloatArray, params: ModelParams, seed: int
) -> None:
    # Relative 1e-5 per component; components near zero are compared on the gradient's scale.
    tolerance = 1e-5 * np.maximum(np.abs(numeric), 1e-3 * np.max(np.abs(numeric)))
    assert np.all(np.abs(analytic - numeric) <= tolerance), (
        f"seed {seed}: {params}: analytic {analytic} vs finite differences {numeric}"
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_bgnbd_gradient_matches_finite_differences(seed: int) -> None:
    s = cdnow_summary()
    x, t_x, T = s.x[:400], s.t_x[:400], s.T[:400]
    rng = np.random.default_rng(seed)
    for _ in range(5):
        theta = random_point(rng, [0.05, 0.5, 0.05, 0.2], [5.0, 50.0, 5.0, 20.0])
        params = bgnbd.BGNBDParams.from_array(theta)

        def total(th: FloatArray) -> float:
            return float(bgnbd.log_likelihood(bgnbd.BGNBDParams.from_array(th), x, t_x, T).sum())

        analytic = bgnbd.log_likelihood_gradient(params, x, t_x, T)
        assert_gradient_matches(analytic, central_differences(total, theta), params, seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_paretonbd_gradient_matches_finite_differences(seed: int) -> None:
    s = cdnow_summary()
    x, t_x, T = s.x[:400], s.t_x[:400], s.T[:400]
    rng = np.random.default_rng(seed)
    for _ in range(5):
        theta = random_point(rng, [0.05, 0.5, 0.05, 0.5], [5.0, 50.0, 5.0, 50.0])
        params = paretonbd.ParetoNBDParams.from_array(theta)

        def total(th: FloatArray) -> float:
            p = paretonbd.ParetoNBDParams.from_array(th)
            return float(paretonbd.log_likelihood(p, x, t_x, T).sum())

        analytic = paretonbd.log_likelihood_gradient(params, x, t_x, T)
        assert_gradient_matches(analytic, central_differences(total, theta), params, seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_gammagamma_gradient_matches_finite_differences(seed: int) -> None:
    s = cdnow_summary()
    repeaters = s.x > 0
    x, m_x = s.x[repeaters][:400], s.monetary_value[repeaters][:400]
    rng = np.random.default_rng(seed)
    for _ in range(5):
        theta = random_point(rng, [0.5, 1.5, 1.0], [20.0, 20.0, 100.0])
        params = gammagamma.GammaGammaParams.from_array(theta)

        def total(th: FloatArray) -> float:
            p = gammagamma.GammaGammaParams.from_array(th)
            return float(gammagamma.log_likelihood(p, x, m_x).sum())

        analytic = gammagamma.log_likelihood_gradient(params, x, m_x)
        assert_gradient_matches(analytic, central_differences(total, theta), params, seed)


def test_weighted_gradient_is_the_weighted_sum_of_row_gradients() -> None:
    params = bgnbd.BGNBDParams(0.3, 4.0, 0.8, 2.5)
    x, t_x, T = np.array([0, 2, 5]), np.array([0.0, 10.0, 30.0]), np.array([20.0, 38.0, 38.0])
    weights = np.array([3.0, 1.0, 2.0])
    weighted = bgnbd.log_likelihood_gradient(params, x, t_x, T, weights)
    repeated = bgnbd.log_likelihood_gradient(
        params, np.repeat(x, [3, 1, 2]), np.repeat(t_x, [3, 1, 2]), np.repeat(T, [3, 1, 2])
    )
    np.testing.assert_allclose(weighted, repeated, rtol=1e-12)
