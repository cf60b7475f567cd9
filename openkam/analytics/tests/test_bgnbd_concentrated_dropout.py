"""BG/NBD when the drop-out probability barely varies across customers: a and b in the
thousands or millions (the data show drop-out but no spread in it). The closed form's 2F1
series does not converge there, and QUADPACK misses most of a Beta this narrow; the
expectation must still be right, and fast enough for a refresh of every account."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import betaln, expit

from openkam.analytics import bgnbd

# Fitted by OpenKAM on its 10,000-account demo: a/(a+b) = 0.3 % drop-out per purchase.
CONCENTRATED = bgnbd.BGNBDParams(r=1.7867, alpha=17.056, a=2933.9, b=991702.0)
X = np.array([0.0, 1.0, 5.0, 20.0, 80.0, 300.0])
T = np.array([10.0, 50.0, 100.0, 200.0, 200.0, 250.0])
HORIZON = np.full(X.size, 52.0)


def integral_in_logit(params: bgnbd.BGNBDParams, t: float, x: float, T: float) -> float:
    """E[(1 - (1 + p u)^-(r+x)) / p], p ~ Beta(a, b+x), integrated over y = logit(p) by
    adaptive quadrature on a window of +-60 standard deviations around the mode."""
    shape_a, shape_b = params.a, params.b + x
    n, u = params.r + x, t / (params.alpha + T)
    mode, scale = np.log(shape_a / shape_b), np.sqrt((shape_a + shape_b) / (shape_a * shape_b))

    def integrand(y: float) -> float:
        log_density = (
            -shape_a * np.logaddexp(0, -y) - shape_b * np.logaddexp(0, y) - betaln(shape_a, shape_b)
        )
        p = expit(y)
        return float(np.exp(log_density) * -np.expm1(-n * np.log1p(p * u)) / p)

    window = (mode - 60 * scale, mode + 60 * scale)
    return float(quad(integrand, *window, points=[mode], epsabs=0, epsrel=1e-13, limit=1000)[0])


@pytest.mark.parametrize(
    "params",
    [
        CONCENTRATED,
        bgnbd.BGNBDParams(r=0.5, alpha=3.0, a=5.0, b=1e6),
        bgnbd.BGNBDParams(r=0.5, alpha=3.0, a=1000.0, b=1000.0),
        bgnbd.BGNBDParams(r=2.0, alpha=10.0, a=5.0, b=5.0),
    ],
    ids=["demo-fit", "rare-dropout-a5", "even-dropout", "shapes-at-threshold"],
)
def test_gauss_hermite_in_logit_matches_adaptive_quadrature(params: bgnbd.BGNBDParams) -> None:
    expected = [integral_in_logit(params, *row) for row in zip(HORIZON, X, T, strict=True)]
    got = bgnbd._bracket_by_gauss_hermite(params, HORIZON, X, T)
    np.testing.assert_allclose(got, expected, rtol=1e-10)


def test_expectation_with_concentrated_dropout_is_the_integral() -> None:
    expected = [integral_in_logit(CONCENTRATED, *row) for row in zip(HORIZON, X, T, strict=True)]
    got = bgnbd.expected_transactions_while_alive(CONCENTRATED, HORIZON, X, T)
    np.testing.assert_allclose(got, expected, rtol=1e-8)


def test_expectation_with_concentrated_dropout_is_near_the_fixed_probability_limit() -> None:
    # As a, b grow with a/(a+b) fixed, the Beta shrinks to its mean: the expectation tends
    # to (1 - (1 + p u)^-(r+x)) / p at p = a/(a+b+x). The sd of p here is 5e-5 on 3e-3.
    p = CONCENTRATED.a / (CONCENTRATED.a + CONCENTRATED.b + X)
    n, u = CONCENTRATED.r + X, HORIZON / (CONCENTRATED.alpha + T)
    limit = -np.expm1(-n * np.log1p(p * u)) / p
    got = bgnbd.expected_transactions_while_alive(CONCENTRATED, HORIZON, X, T)
    np.testing.assert_allclose(got, limit, rtol=1e-3)


def test_quadpack_alone_would_miss_half_of_a_beta_this_narrow() -> None:
    # Why the narrow case does not go to _bracket_by_quadrature: it returns about half.
    expected = integral_in_logit(CONCENTRATED, 52.0, 20.0, 200.0)
    quadpack = float(
        bgnbd._bracket_by_quadrature(CONCENTRATED, *(np.array([v]) for v in (52.0, 20.0, 200.0)))[0]
    )
    assert abs(quadpack / expected - 1) > 0.1


def simulate_common_dropout(n: int, p: float, seed: int) -> tuple[np.ndarray, ...]:
    """A BG/NBD world where every customer drops out with the same probability p after each
    repeat purchase (the limit b -> infinity); Gamma(r=2, alpha=10) purchase rates, 100 weeks."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(2.0, 1.0 / 10.0, n)
    T = np.full(n, 100.0)
    x, t_x, clock = np.zeros(n), np.zeros(n), np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        idx = np.flatnonzero(active)
        clock[idx] += rng.exponential(1.0 / rate[idx])
        bought = clock[idx] <= T[idx]
        active[idx[~bought]] = False
        idx = idx[bought]
        x[idx] += 1
        t_x[idx] = clock[idx]
        active[idx[rng.random(idx.size) < p]] = False
    return x, t_x, T


def test_a_common_dropout_probability_is_estimated_not_refused() -> None:
    x, t_x, T = simulate_common_dropout(20_000, p=0.05, seed=7)
    model = bgnbd.BGNBDModel().fit(x, t_x, T)
    a, b = model.params_.a, model.params_.b
    assert a / (a + b) == pytest.approx(0.05, rel=0.1)
    assert a > 50  # the Beta has collapsed towards its mean
    assert model.params_.r == pytest.approx(2.0, rel=0.1)
    assert model.params_.alpha == pytest.approx(10.0, rel=0.1)
    alive = model.probability_alive(x, t_x, T)
    expected = model.conditional_expected_transactions(52.0, x, t_x, T)
    assert np.all((alive > 0) & (alive <= 1))
    assert np.all(np.isfinite(expected))


def test_b_resting_at_its_bound_is_reported_as_the_limit_with_conditional_errors() -> None:
    x, t_x, T = simulate_common_dropout(20_000, p=0.05, seed=7)
    # Started at the bound, the fit stays on the b -> infinity edge where the data put it.
    start = bgnbd.BGNBDParams(r=2.0, alpha=10.0, a=5.0e4, b=1.0e6)
    model = bgnbd.BGNBDModel(initial_params=start).fit(x, t_x, T)
    assert model.at_limit_ == ("b",)
    assert np.isinf(model.standard_errors_.b)
    assert 0 < model.standard_errors_.r < 0.1
    assert 0 < model.standard_errors_.alpha < 1.0
    assert model.params_.a / (model.params_.a + model.params_.b) == pytest.approx(0.05, rel=0.1)


def test_several_horizons_at_once_equal_one_horizon_at_a_time() -> None:
    horizons = [4.35, 52.0, 156.0]
    together = bgnbd.expected_transactions_while_alive_over(CONCENTRATED, horizons, X, T)
    one_by_one = [bgnbd.expected_transactions_while_alive(CONCENTRATED, t, X, T) for t in horizons]
    np.testing.assert_allclose(together, np.stack(one_by_one), rtol=1e-13)
