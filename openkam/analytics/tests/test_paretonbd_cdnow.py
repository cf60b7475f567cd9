"""Pareto/NBD on the CDNOW sample against its published estimates.

Published figures and where they were confirmed:
- r = 0.553, alpha = 10.578, s = 0.606, beta = 11.669 (FHL 2005, Marketing Science, the
  Pareto/NBD benchmark fitted to the same calibration data); LL = -9595.0: CLVTools
  tests/testthat/test_correctness_pnbd.R ("As also reported ... in Fader, Hardie, Lee (2005)")
  and lifetimes' test_params_out_is_close_to_Hardie_paper. CLVTools' own estimate gives
  LL = -9594.976 and standard errors r 0.04763, alpha 0.8427, s 0.1873, beta 6.211.
- P(alive) = 0.9979 and E[Y(52)] = 25.46 for customer 1516 of the BTYD walkthrough
  (x = 26, t_x = 30.86, T = 31) at BTYD's estimates (0.5534, 10.5802, 0.6061, 11.6562); the
  walkthrough prints the expectation to two decimals from unrounded parameters, hence 0.01.
"""

from __future__ import annotations

import numpy as np
import pytest

from openkam.analytics.paretonbd import (
    ParetoNBDParams,
    conditional_expected_transactions,
    probability_alive,
)
from openkam.analytics.tests.cdnow_data import fitted_paretonbd

BTYD_WALKTHROUGH = ParetoNBDParams(r=0.5534, alpha=10.5802, s=0.6061, beta=11.6562)


def test_fit_reproduces_the_published_estimates_to_three_decimals() -> None:
    params = fitted_paretonbd().params_
    assert round(params.r, 3) == 0.553
    assert round(params.alpha, 3) == 10.578
    assert round(params.s, 3) == 0.606
    assert round(params.beta, 3) == 11.669


def test_fit_reproduces_the_published_log_likelihood() -> None:
    assert fitted_paretonbd().log_likelihood_ == pytest.approx(-9594.98, abs=0.005)


def test_standard_errors_agree_with_clvtools() -> None:
    errors = fitted_paretonbd().standard_errors_.to_array()
    np.testing.assert_allclose(errors, [0.0476264, 0.8427222, 0.1872594, 6.2105448], rtol=2e-3)


def test_p_alive_matches_the_btyd_walkthrough_customer() -> None:
    p_alive = probability_alive(BTYD_WALKTHROUGH, 26, 30.86, 31.0)
    assert float(p_alive) == pytest.approx(0.9979, abs=5e-5)


def test_conditional_expectation_matches_the_btyd_walkthrough_customer() -> None:
    expected = conditional_expected_transactions(BTYD_WALKTHROUGH, 52.0, 26, 30.86, 31.0)
    assert float(expected) == pytest.approx(25.46, abs=0.01)


def test_fitted_model_predicts_fewer_purchases_for_a_lapsed_customer() -> None:
    model = fitted_paretonbd()
    recent, lapsed = model.predict_conditional_expected_transactions(
        39.0, 5, np.array([38.0, 10.0]), 38.86
    )
    assert lapsed < recent
