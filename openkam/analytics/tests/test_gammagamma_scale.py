"""Gamma-Gamma does not depend on the currency unit: B2B order values of 10,000,000 CNY fit
as well as CDNOW's dollars (gamma is a scale parameter)."""

import numpy as np
import pytest

from openkam.analytics.gammagamma import GammaGammaModel
from openkam.analytics.tests.cdnow_data import cdnow_summary, fitted_gammagamma

SCALE = 1e6


def test_spends_a_million_times_larger_give_gamma_a_million_times_larger() -> None:
    summary = cdnow_summary()
    reference = fitted_gammagamma()
    scaled = GammaGammaModel().fit(summary.x, summary.monetary_value * SCALE)
    assert scaled.params_.p == pytest.approx(reference.params_.p, rel=1e-6)
    assert scaled.params_.q == pytest.approx(reference.params_.q, rel=1e-6)
    assert scaled.params_.gamma == pytest.approx(reference.params_.gamma * SCALE, rel=1e-6)
    assert scaled.standard_errors_.gamma == pytest.approx(
        reference.standard_errors_.gamma * SCALE, rel=1e-4
    )
    # The density of m_x picks up a Jacobian of 1 / SCALE for each of the 946 customers.
    shift = 946 * np.log(SCALE)
    assert scaled.log_likelihood_ == pytest.approx(reference.log_likelihood_ - shift, abs=1e-4)


def test_predictions_scale_with_the_spends() -> None:
    summary = cdnow_summary()
    reference = fitted_gammagamma()
    scaled = GammaGammaModel().fit(summary.x, summary.monetary_value * SCALE)
    expected = reference.conditional_expected_average_spend(summary.x, summary.monetary_value)
    got = scaled.conditional_expected_average_spend(summary.x, summary.monetary_value * SCALE)
    np.testing.assert_allclose(got, expected * SCALE, rtol=1e-6)
