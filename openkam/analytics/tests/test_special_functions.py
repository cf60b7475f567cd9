"""Hypergeometric evaluations where scipy's hyp2f1 returns inf or NaN, against values computed
once with mpmath at 40 digits (quoted to 17 significant digits)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import hyp2f1 as scipy_hyp2f1

from openkam.analytics import bgnbd, paretonbd
from openkam.analytics.special import hyp2f1, hyp2f1_one


def test_scipy_still_fails_on_the_integer_branch_that_the_models_hit() -> None:
    # If scipy ever fixes this, the workarounds in special.py can go.
    assert not np.isfinite(scipy_hyp2f1(1.0, 2.0, 101.0, 10 / 11))


def test_unit_a_hypergeometric_is_right_where_scipy_returns_inf() -> None:
    assert float(hyp2f1_one(2.0, 101.0, 10 / 11)) == pytest.approx(1.0185009086836545, rel=1e-14)


def test_unit_a_hypergeometric_is_right_close_to_z_equal_one() -> None:
    value = float(hyp2f1_one(453.5, 461.25, 0.99996))
    assert value == pytest.approx(67.970895077990363, rel=1e-11)


def test_unit_a_hypergeometric_agrees_with_scipy_where_scipy_is_reliable() -> None:
    seed = 1234
    rng = np.random.default_rng(seed)
    k = np.exp(rng.uniform(np.log(0.01), np.log(500.0), 20_000))
    c = k + np.exp(rng.uniform(np.log(1e-3), np.log(500.0), 20_000))
    z = rng.uniform(0.5, 0.9, 20_000)
    # Above SCIPY_MAX_Z the continued fraction answers; compare it with scipy's finite values.
    ours, theirs = hyp2f1_one(k, c, z), scipy_hyp2f1(1.0, k, c, z)
    finite = np.isfinite(theirs)
    np.testing.assert_allclose(ours[finite], theirs[finite], rtol=1e-11, err_msg=f"seed {seed}")


def test_scipy_returns_a_wrong_sign_a_rounding_error_away_from_an_integer() -> None:
    # c - a - b = 6.1 - 6.0 - 0.1 = -4e-16 in floating point; the true value is positive.
    assert scipy_hyp2f1(6.0, 0.1, 6.1, 105 / 105.125) < 0


def test_general_hypergeometric_is_right_a_rounding_error_away_from_an_integer() -> None:
    value = float(hyp2f1(6.0, 0.1, 6.1, 105 / 105.125))
    assert value == pytest.approx(1.7846323139170941, rel=1e-12)


def test_bgnbd_expectation_is_right_where_scipy_gives_a_wrong_sign() -> None:
    params = bgnbd.BGNBDParams(r=0.1, alpha=0.125, a=1.1, b=6.0)
    assert float(bgnbd.expected_transactions(params, 105.0)) == pytest.approx(
        5.4864516381938409, rel=1e-11
    )


def test_general_hypergeometric_repairs_the_integer_branch() -> None:
    assert float(hyp2f1(1.0, 1.0, 101.0, 10 / 11)) == pytest.approx(1.0091657475586009, rel=1e-14)


def test_bgnbd_expectation_is_right_at_integer_parameters() -> None:
    params = bgnbd.BGNBDParams(r=1.0, alpha=1.0, a=2.0, b=1.0)
    value = float(bgnbd.expected_transactions_while_alive(params, 10.0, 102, 0.0))
    assert value == pytest.approx(94.461340714626622, rel=1e-12)


def test_bgnbd_expectation_is_continuous_through_a_equal_one() -> None:
    params = bgnbd.BGNBDParams(r=0.5, alpha=3.0, a=1.0, b=2.0)
    value = float(bgnbd.expected_transactions_while_alive(params, 20.0, 3, 30.0))
    assert value == pytest.approx(1.7516879193458064, rel=1e-6)


def test_bgnbd_expectation_is_continuous_where_a_plus_b_equals_one() -> None:
    params = bgnbd.BGNBDParams(r=1.0, alpha=1.0, a=0.5, b=0.5)
    value = float(bgnbd.expected_transactions(params, 10.0))
    assert value == pytest.approx(3.0151134457776362, rel=1e-7)


def test_bgnbd_expectation_falls_back_to_quadrature_for_extreme_parameters() -> None:
    # Here even the repaired 2F1 is NaN; the integral over p answers.
    params = bgnbd.BGNBDParams(r=94.77273846189594, alpha=1.0, a=23.470932074503704, b=0.0213)
    value = float(bgnbd.expected_transactions_while_alive(params, 100.0, 179, 0.1))
    assert np.isfinite(value)
    assert 0 < value < 100.0 * (params.r + 179) / (params.alpha + 0.1)


@pytest.mark.parametrize(
    ("params", "row", "expected"),
    [
        (paretonbd.ParetoNBDParams(1.0, 1.0, 1.0, 11.0), (98, 0.5, 1.0), 307.72905658039056),
        (paretonbd.ParetoNBDParams(0.7, 0.05, 1.0, 400.0), (30, 2.0, 39.0), 40.563721443248558),
    ],
)
def test_paretonbd_likelihood_is_right_where_scipy_fails(
    params: paretonbd.ParetoNBDParams, row: tuple[int, float, float], expected: float
) -> None:
    assert float(paretonbd.log_likelihood(params, *row)) == pytest.approx(expected, rel=1e-13)
