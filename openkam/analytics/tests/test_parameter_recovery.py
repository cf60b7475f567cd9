"""Fits recover the parameters of data simulated from the model itself.

Each simulation draws 20,000 customers from a seeded generator (the seed is in the failure
message); estimates must lie within four of their reported standard errors of the truth.
"""

from __future__ import annotations

import numpy as np
import pytest

from openkam.analytics.base import FloatArray
from openkam.analytics.bgnbd import BGNBDModel, BGNBDParams
from openkam.analytics.gammagamma import GammaGammaModel, GammaGammaParams
from openkam.analytics.paretonbd import ParetoNBDModel, ParetoNBDParams

N_CUSTOMERS = 20_000


def simulate_bgnbd(
    params: BGNBDParams, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Ages on a daily grid up to 39 weeks; FHL (2005) section 2 assumptions."""
    T = rng.integers(7, 274, N_CUSTOMERS) / 7.0
    rate = rng.gamma(params.r, 1.0 / params.alpha, N_CUSTOMERS)
    dropout = rng.beta(params.a, params.b, N_CUSTOMERS)
    # Purchases until the one after which the customer drops out (geometric, at least 1).
    last_possible = rng.geometric(dropout)
    arrivals = rng.poisson(rate * T)
    x = np.minimum(arrivals, last_possible)
    # The x-th of `arrivals` uniform times on [0, T] is T * Beta(x, arrivals - x + 1).
    t_x = np.zeros(N_CUSTOMERS)
    bought = x > 0
    t_x[bought] = T[bought] * rng.beta(x[bought], arrivals[bought] - x[bought] + 1)
    return x.astype(float), t_x, T


def simulate_paretonbd(
    params: ParetoNBDParams, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray, FloatArray]:
    T = rng.integers(7, 274, N_CUSTOMERS) / 7.0
    rate = rng.gamma(params.r, 1.0 / params.alpha, N_CUSTOMERS)
    death_rate = rng.gamma(params.s, 1.0 / params.beta, N_CUSTOMERS)
    active = np.minimum(rng.exponential(1.0 / death_rate), T)
    x = rng.poisson(rate * active)
    t_x = np.zeros(N_CUSTOMERS)
    bought = x > 0
    t_x[bought] = active[bought] * rng.beta(x[bought], 1)  # the last of x uniform times
    return x.astype(float), t_x, T


def simulate_gammagamma(
    params: GammaGammaParams, rng: np.random.Generator
) -> tuple[FloatArray, FloatArray]:
    x = rng.integers(1, 15, N_CUSTOMERS).astype(float)
    nu = rng.gamma(params.q, 1.0 / params.gamma, N_CUSTOMERS)
    # The mean of x Gamma(p, nu) values is Gamma(p x, x nu).
    m_x = rng.gamma(params.p * x, 1.0 / (nu * x))
    return x, m_x


def assert_recovered(
    truth: FloatArray, estimate: FloatArray, errors: FloatArray, seed: int
) -> None:
    z_scores = (estimate - truth) / errors
    assert np.all(np.abs(z_scores) < 4), f"seed {seed}: estimate {estimate}, z-scores {z_scores}"


@pytest.mark.parametrize("seed", [11, 12])
def test_bgnbd_recovers_simulated_parameters(seed: int) -> None:
    truth = BGNBDParams(r=0.5, alpha=6.0, a=0.8, b=2.5)
    model = BGNBDModel().fit(*simulate_bgnbd(truth, np.random.default_rng(seed)))
    errors = model.standard_errors_.to_array()
    assert_recovered(truth.to_array(), model.params_.to_array(), errors, seed)


@pytest.mark.parametrize("seed", [21, 22])
def test_paretonbd_recovers_simulated_parameters(seed: int) -> None:
    truth = ParetoNBDParams(r=0.6, alpha=8.0, s=0.9, beta=15.0)
    model = ParetoNBDModel().fit(*simulate_paretonbd(truth, np.random.default_rng(seed)))
    errors = model.standard_errors_.to_array()
    assert_recovered(truth.to_array(), model.params_.to_array(), errors, seed)


@pytest.mark.parametrize("seed", [31, 32])
def test_gammagamma_recovers_simulated_parameters(seed: int) -> None:
    truth = GammaGammaParams(p=6.0, q=3.5, gamma=15.0)
    model = GammaGammaModel().fit(*simulate_gammagamma(truth, np.random.default_rng(seed)))
    errors = model.standard_errors_.to_array()
    assert_recovered(truth.to_array(), model.params_.to_array(), errors, seed)
