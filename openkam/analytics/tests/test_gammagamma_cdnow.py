"""Gamma-Gamma on the CDNOW sample against Fader & Hardie (2013), "The Gamma-Gamma Model of
Monetary Value", and Fader, Hardie & Lee (2005), JMR.

Published figures and where they were confirmed:
- p = 6.25, q = 3.74, gamma = 15.44 on the 946 customers with at least one repeat purchase in
  the calibration period, m_x = mean spend of their calibration repeat transactions: CLVTools
  tests/testthat/test_correctness_gg.R ("Parameter estimates from Fader & Hardie, 2013"), BTYD's
  spend.LL documentation, lifetimes' test_params_out_is_close_to_Hardie_paper.
- LL = -4055.9177: CLVTools' test for the same fit (repeat transactions only).
- E(Z | m_x, x) of Hardie's spreadsheet, two decimals: 24.65 (x = 2, customer 00004),
  18.91 (x = 1, m_x = 11.77), 71.46 (x = 7, customer 00111), 35.17 for x = 0 (the population
  mean p gamma / (q - 1)); lifetimes' test_conditional_expected_average_profit.
"""

from __future__ import annotations

import numpy as np
import pytest

from openkam.analytics.gammagamma import population_mean_spend
from openkam.analytics.tests.cdnow_data import cdnow_summary, fitted_gammagamma


def test_fit_uses_the_946_customers_with_repeat_purchases() -> None:
    assert fitted_gammagamma().n_customers_ == 946


def test_fit_reproduces_the_published_estimates_to_two_decimals() -> None:
    params = fitted_gammagamma().params_
    assert round(params.p, 2) == 6.25
    assert round(params.q, 2) == 3.74
    assert round(params.gamma, 2) == 15.44


def test_fit_reproduces_the_log_likelihood_of_clvtools() -> None:
    assert fitted_gammagamma().log_likelihood_ == pytest.approx(-4055.9177, abs=5e-4)


def test_expected_spend_matches_hardies_spreadsheet() -> None:
    summary = cdnow_summary()
    wanted = ["00004", "00021", "00111", "00018"]
    index = np.searchsorted(summary.customer_ids, wanted)
    assert list(summary.x[index]) == [2, 1, 7, 0]
    spend = fitted_gammagamma().predict_conditional_expected_average_spend(
        summary.x[index], summary.monetary_value[index]
    )
    np.testing.assert_allclose(spend, [24.65, 18.91, 71.46, 35.17], atol=0.005)


def test_population_mean_is_the_expected_spend_of_a_customer_without_history() -> None:
    params = fitted_gammagamma().params_
    assert population_mean_spend(params) == pytest.approx(35.17, abs=0.005)


def test_expected_spend_shrinks_toward_the_population_mean() -> None:
    model = fitted_gammagamma()
    mean = population_mean_spend(model.params_)
    few, many = model.predict_conditional_expected_average_spend(np.array([1, 20]), 200.0)
    assert mean < few < many < 200.0
