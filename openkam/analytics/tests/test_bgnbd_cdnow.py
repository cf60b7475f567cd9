"""BG/NBD on the CDNOW sample against Fader, Hardie & Lee (2005), Marketing Science 24(2).

Published figures and where they were confirmed:
- r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4: FHL 2005 section 4; also
  /work/shared/data/README.md and CLVTools tests/testthat/test_correctness_bgnbd.R.
- E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226 at the published parameters: Hardie's BG/NBD
  spreadsheet (customer 1 of the sample), pinned by lifetimes' test
  test_conditional_expectation_returns_same_value_as_Hardie_excel_sheet.
- E[X(t)] = 0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576 at t = 0.1429, 1, 3, 31.8571, 32, 78
  weeks: Hardie's spreadsheet at the maximum likelihood estimates (lifetimes'
  test_expectation_returns_same_value_Hardie_excel_sheet).
"""

from __future__ import annotations

import numpy as np
import pytest

from openkam.analytics.bgnbd import BGNBDModel, BGNBDParams, conditional_expected_transactions
from openkam.analytics.tests.cdnow_data import cdnow_summary, fitted_bgnbd

PUBLISHED = BGNBDParams(r=0.243, alpha=4.414, a=0.793, b=2.426)


def test_fit_reproduces_the_published_estimates_to_three_decimals() -> None:
    params = fitted_bgnbd().params_
    assert round(params.r, 3) == 0.243
    assert round(params.alpha, 3) == 4.414
    assert round(params.a, 3) == 0.793
    assert round(params.b, 3) == 2.426


def test_fit_reproduces_the_published_log_likelihood_to_a_tenth() -> None:
    assert fitted_bgnbd().log_likelihood_ == pytest.approx(-9582.4, abs=0.05)


def test_fit_counts_every_customer_once() -> None:
    assert fitted_bgnbd().n_customers_ == 2357


def test_standard_errors_are_positive_and_smaller_than_the_estimates() -> None:
    model = fitted_bgnbd()
    errors, params = model.standard_errors_.to_array(), model.params_.to_array()
    assert np.all(errors > 0)
    assert np.all(errors < params)
    assert np.allclose(model.covariance_, model.covariance_.T)


def test_conditional_expectation_matches_hardies_spreadsheet_for_customer_one() -> None:
    expected = conditional_expected_transactions(PUBLISHED, 39.0, 2, 30.43, 38.86)
    assert float(expected) == pytest.approx(1.226, abs=5e-4)


def test_unconditional_expectation_matches_hardies_spreadsheet() -> None:
    weeks = np.array([0.1429, 1.0, 3.0, 31.8571, 32.0, 78.0])
    published = np.array([0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576])
    predicted = fitted_bgnbd().predict_expected_transactions(weeks)
    np.testing.assert_allclose(predicted, published, atol=5e-4)


def test_fit_with_compressed_weights_equals_fit_on_every_customer() -> None:
    summary = cdnow_summary()
    rows = np.stack([summary.x, summary.t_x, summary.T], axis=1)
    unique_rows, counts = np.unique(rows, axis=0, return_counts=True)
    x, t_x, T = unique_rows.T
    compressed = BGNBDModel().fit(x, t_x, T, weights=counts)
    full = fitted_bgnbd()
    np.testing.assert_allclose(compressed.params_.to_array(), full.params_.to_array(), rtol=1e-6)
    assert compressed.log_likelihood_ == pytest.approx(full.log_likelihood_, abs=1e-6)


def test_a_customer_without_repeat_purchases_is_certainly_alive() -> None:
    assert fitted_bgnbd().predict_probability_alive(0, 0.0, 38.86) == 1.0


def test_p_alive_falls_as_the_last_purchase_recedes() -> None:
    p_alive = fitted_bgnbd().predict_probability_alive(3, np.array([35.0, 20.0, 5.0]), 38.86)
    assert np.all(np.diff(p_alive) < 0)
