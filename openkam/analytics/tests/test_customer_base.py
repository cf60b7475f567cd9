"""The conventions of the one customer-base analysis (customer_base.py), on hand-made data."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from openkam.analytics import churn, customer_base
from openkam.analytics.bgnbd import BGNBDModel
from openkam.analytics.customer_base import PurchaseHistory

AS_OF = dt.date(2025, 12, 31)
SEED = 11


def crowd(seed: int = SEED) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """80 customers over two years, one row per customer-day: 70 buy as a BG/NBD process would
    (Poisson purchases, a drop-out chance after each), with spends that vary between and within
    customers; the last ten bought once, 600 days before the end."""
    rng = np.random.default_rng(seed)
    codes: list[int] = []
    days: list[int] = []
    for code in range(80):
        if code >= 70:
            bought = [130]
        else:
            bought, rate = [int(rng.integers(0, 200))], rng.gamma(2.0, 1 / 8.0)
            dropout = rng.beta(1.0, 6.0)
            while rng.random() >= dropout or len(bought) == 1:
                bought.append(bought[-1] + int(rng.exponential(7 / rate)) + 1)
                if bought[-1] > 730:
                    bought.pop()
                    break
        codes += [code] * len(bought)
        days += bought
    mean_spend = 2000.0 * rng.lognormal(0.0, 0.6, size=80)
    amounts = rng.gamma(4.0, mean_spend[codes] / 4.0)
    start = np.datetime64("2024-01-01")
    return np.array(codes), start + np.array(days, "timedelta64[D]"), amounts, 80


@pytest.fixture
def history() -> PurchaseHistory:
    codes, days, amounts, n = crowd()
    return customer_base.prepare(codes, days, amounts, n=n, as_of=AS_OF)


def test_a_silent_one_time_buyer_is_flagged_even_when_bgnbd_calls_it_alive(
    history: PurchaseHistory,
) -> None:
    fit = customer_base.fit_purchase_model(customer_base.BGNBD, history.rfm)
    assert fit.model is not None, f"seed {SEED}: {fit.error}"
    p_alive = history.scatter(fit.model.probability_alive(history.rfm.x, history.rfm.t_x,
                                                          history.rfm.T))  # fmt: skip
    risk = customer_base.churn_risk(p_alive, history)
    # FHL 2005: with x = 0 BG/NBD's P(alive) is exactly 1, so only the silence can flag them.
    assert np.all(p_alive[70:] == 1.0)
    assert all(churn.LONG_SILENCE in reasons for reasons in risk.reasons[70:])
    assert set(risk.level[70:].tolist()) == {churn.MEDIUM}


def test_the_usual_gap_of_a_customer_without_rhythm_is_the_median_of_the_others() -> None:
    gaps = np.array([10.0, np.nan, 30.0, 20.0])
    np.testing.assert_array_equal(customer_base.usual_gap(gaps), [10.0, 20.0, 30.0, 20.0])


def test_a_one_order_customer_is_valued_from_its_own_order(history: PurchaseHistory) -> None:
    purchase = customer_base.fit_purchase_model(customer_base.BGNBD, history.rfm).model
    spend = customer_base.fit_spend_model(history.rfm).model
    assert purchase is not None
    assert spend is not None
    value = customer_base.predict(
        purchase, spend, history.rfm, margin=0.3, horizon_months=12, annual_discount_rate=0.1
    )
    once = history.rfm.x == 0
    expected = spend.conditional_expected_average_spend(
        np.ones(once.sum()), history.rfm.first_spend[once]
    )
    np.testing.assert_allclose(value.expected_spend[once], expected, rtol=1e-12)
    population = spend.conditional_expected_average_spend(np.zeros(1), np.zeros(1))[0]
    assert not np.allclose(value.expected_spend[once], population)
    np.testing.assert_allclose(
        value.clv, 0.3 * value.expected_spend * value.discounted_transactions, rtol=1e-12
    )


def test_a_return_day_counts_in_revenue_but_is_not_a_purchase() -> None:
    codes = np.array([0, 0, 0, 0])
    days = np.array(["2025-01-10", "2025-05-10", "2025-09-10", "2025-10-10"], "datetime64[D]")
    history = customer_base.prepare(codes, days, [100.0, 100.0, 300.0, -50.0], n=1, as_of=AS_OF)
    assert history.rfm.x.tolist() == [2]
    assert history.last_purchase[0] == np.datetime64("2025-09-10")
    assert history.regularity.purchase_days.tolist() == [3]
    # The last 182 days (from 3 July) hold 300 - 50, the 182 before them 100 + 100.
    assert history.trailing_change[0] == pytest.approx(0.25)


def test_the_other_purchase_model_is_used_when_the_preferred_one_did_not_fit() -> None:
    fitted = customer_base.Fit[customer_base.PurchaseModel]("bgnbd", BGNBDModel(), None, 0.0)
    failed = customer_base.Fit[customer_base.PurchaseModel]("pareto_nbd", None, "bound", 0.0)
    fits = {"bgnbd": fitted, "pareto_nbd": failed}
    assert customer_base.choose_purchase_model(fits, "pareto_nbd") == "bgnbd"
    assert customer_base.choose_purchase_model(fits, "bgnbd") == "bgnbd"
    assert customer_base.choose_purchase_model({"bgnbd": failed}, "bgnbd") is None


def test_too_few_customers_are_reported_not_fitted(history: PurchaseHistory) -> None:
    few = customer_base.prepare([0, 0, 1], ["2025-01-01", "2025-02-01", "2025-03-01"],
                                [1.0, 2.0, 3.0], n=2, as_of=AS_OF)  # fmt: skip
    fit = customer_base.fit_purchase_model(customer_base.PARETO_NBD, few.rfm)
    assert fit.model is None
    assert "too few customers" in str(fit.error)


def test_margin_rates_fall_back_on_the_overall_rate() -> None:
    rates = customer_base.margin_rates([100.0, 200.0, 0.0, -10.0], [60.0, 220.0, 5.0, -4.0])
    overall = 1.0 - (60.0 + 220.0 + 5.0 - 4.0) / (100.0 + 200.0 + 0.0 - 10.0)
    np.testing.assert_allclose(rates, [0.4, 0.0, overall, overall])
