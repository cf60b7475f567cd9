"""Discounted CLV composed from a fitted purchase model and a fitted spend model."""

from __future__ import annotations

import numpy as np
import pytest

from openkam.analytics.bgnbd import BGNBDModel, BGNBDParams
from openkam.analytics.clv import (
    customer_lifetime_value,
    discounted_expected_transactions,
    monthly_discount_factors,
)
from openkam.analytics.gammagamma import GammaGammaModel, GammaGammaParams
from openkam.analytics.paretonbd import ParetoNBDModel, ParetoNBDParams
from openkam.analytics.rfm import DAYS_PER_UNIT
from openkam.analytics.tests.cdnow_data import (
    cdnow_summary,
    fitted_bgnbd,
    fitted_gammagamma,
    fitted_paretonbd,
)

MONTH_IN_WEEKS = DAYS_PER_UNIT["month"] / DAYS_PER_UNIT["week"]


def bgnbd_with(params: BGNBDParams) -> BGNBDModel:
    model = BGNBDModel()
    model.params_ = params
    return model


def paretonbd_with(params: ParetoNBDParams) -> ParetoNBDModel:
    model = ParetoNBDModel()
    model.params_ = params
    return model


def test_a_yearly_rate_is_compounded_monthly() -> None:
    factors = monthly_discount_factors(24, 0.10)
    assert factors[11] == pytest.approx(1 / 1.10, rel=1e-15)
    assert factors[23] == pytest.approx(1 / 1.10**2, rel=1e-15)
    assert factors[0] == pytest.approx(1.10 ** (-1 / 12), rel=1e-15)


def test_without_discounting_the_months_add_up_to_the_whole_horizon() -> None:
    s = cdnow_summary()
    model = fitted_bgnbd()
    monthly = discounted_expected_transactions(
        model, s.x, s.t_x, s.T, horizon_months=12, annual_discount_rate=0.0
    )
    whole = model.predict_conditional_expected_transactions(12 * MONTH_IN_WEEKS, s.x, s.t_x, s.T)
    np.testing.assert_allclose(monthly, whole, rtol=1e-12)


def test_discounting_matches_a_month_by_month_hand_calculation() -> None:
    model = bgnbd_with(BGNBDParams(r=0.243, alpha=4.414, a=0.793, b=2.426))
    x, t_x, T = 2, 30.43, 38.86
    expected = 0.0
    for month in (1, 2, 3):
        in_month = model.conditional_expected_transactions(
            month * MONTH_IN_WEEKS, x, t_x, T
        ) - model.conditional_expected_transactions((month - 1) * MONTH_IN_WEEKS, x, t_x, T)
        expected += float(in_month) / 1.12 ** (month / 12)
    value = discounted_expected_transactions(
        model, x, t_x, T, horizon_months=3, annual_discount_rate=0.12
    )
    assert float(value) == pytest.approx(expected, rel=1e-14)


def test_clv_is_margin_times_expected_spend_times_discounted_transactions() -> None:
    s = cdnow_summary()
    value = customer_lifetime_value(
        fitted_bgnbd(),
        fitted_gammagamma(),
        s.x,
        s.t_x,
        s.T,
        s.monetary_value,
        horizon_months=24,
        annual_discount_rate=0.10,
        margin=0.3,
    )
    np.testing.assert_allclose(
        value.clv, 0.3 * value.expected_average_spend * value.discounted_transactions, rtol=1e-15
    )
    assert np.all(value.clv >= 0)
    assert np.all(np.isfinite(value.clv))


def test_discounting_lowers_value_but_by_no_more_than_the_last_months_factor() -> None:
    s = cdnow_summary()
    model = fitted_paretonbd()
    plain = discounted_expected_transactions(
        model, s.x, s.t_x, s.T, horizon_months=36, annual_discount_rate=0.0
    )
    discounted = discounted_expected_transactions(
        model, s.x, s.t_x, s.T, horizon_months=36, annual_discount_rate=0.15
    )
    assert np.all(discounted <= plain)
    assert np.all(discounted >= plain / 1.15**3 * (1 - 1e-12))


def test_a_zero_horizon_is_worth_nothing() -> None:
    s = cdnow_summary()
    value = customer_lifetime_value(
        fitted_bgnbd(), fitted_gammagamma(), s.x, s.t_x, s.T, s.monetary_value, horizon_months=0
    )
    assert np.all(value.clv == 0)


def test_clv_does_not_depend_on_the_time_unit_of_the_model() -> None:
    weekly = BGNBDParams(r=0.243, alpha=4.414, a=0.793, b=2.426)
    daily = BGNBDParams(r=0.243, alpha=4.414 * 7, a=0.793, b=2.426)
    spend = GammaGammaModel()
    spend.params_ = GammaGammaParams(p=6.25, q=3.74, gamma=15.44)
    x, t_x, T, m_x = np.array([0, 2, 7]), np.array([0, 30.43, 29.43]), 38.86, 30.0
    in_weeks = customer_lifetime_value(
        bgnbd_with(weekly), spend, x, t_x, T, m_x, horizon_months=12, time_unit="week"
    )
    in_days = customer_lifetime_value(
        bgnbd_with(daily), spend, x, t_x * 7, T * 7, m_x, horizon_months=12, time_unit="day"
    )
    np.testing.assert_allclose(in_days.clv, in_weeks.clv, rtol=1e-12)


class ConditionalOnly:
    """A purchase model seen only through conditional_expected_transactions (the Protocol)."""

    def __init__(self, model: BGNBDModel | ParetoNBDModel) -> None:
        self.model = model

    def conditional_expected_transactions(
        self, t: object, x: object, t_x: object, T: object
    ) -> np.ndarray:
        return self.model.conditional_expected_transactions(t, x, t_x, T)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "model",
    [
        bgnbd_with(BGNBDParams(r=0.243, alpha=4.414, a=0.793, b=2.426)),
        paretonbd_with(ParetoNBDParams(r=0.5533, alpha=10.5777, s=0.6062, beta=11.6687)),
    ],
    ids=["bgnbd", "pareto-nbd"],
)
def test_computing_p_alive_once_for_all_months_gives_the_month_by_month_sum(
    model: BGNBDModel | ParetoNBDModel,
) -> None:
    s = cdnow_summary()
    factored = discounted_expected_transactions(
        model, s.x, s.t_x, s.T, horizon_months=24, annual_discount_rate=0.12
    )
    month_by_month = discounted_expected_transactions(
        ConditionalOnly(model), s.x, s.t_x, s.T, horizon_months=24, annual_discount_rate=0.12
    )
    np.testing.assert_allclose(factored, month_by_month, rtol=1e-12)
