"""Fits and predictions once per distinct (x, t_x, T) give what every customer would give.

The CDNOW calibration data rounded to whole weeks: 2,357 customers on a few hundred distinct
rows, so merging rows into weights and expanding predictions both have ties to get wrong.
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.typing import ArrayLike

from openkam.analytics import base, bgnbd, clv, gammagamma, paretonbd
from openkam.analytics.base import FloatArray, as_float_array, compress_rows
from openkam.analytics.tests.cdnow_data import cdnow_summary

PARAMETERS = 1e-9  # relative, fits on every customer against fits on distinct rows
GAMMA_GAMMA_RIDGE = 1e-5  # relative, Gamma-Gamma's parameters (see the test)
PREDICTIONS = 1e-12  # relative, once per distinct row against row by row


def weekly() -> tuple[FloatArray, FloatArray, FloatArray]:
    s = cdnow_summary()
    return s.x.astype(np.float64), np.round(s.t_x), np.round(s.T)


def assert_close(actual: ArrayLike, expected: ArrayLike, tolerance: float) -> None:
    np.testing.assert_allclose(as_float_array(actual), as_float_array(expected), rtol=tolerance)


def test_compress_rows_keeps_each_distinct_row_once_with_its_summed_weight() -> None:
    x, t_x, T = weekly()
    weights = np.random.default_rng(11).uniform(0.5, 2.0, len(x))
    rows = compress_rows(x, t_x, T, weights=weights)
    table = np.stack([x, t_x, T], axis=1)
    distinct, inverse = np.unique(table, axis=0, return_inverse=True)
    assert len(rows.weights) < len(x) / 3
    np.testing.assert_array_equal(np.stack(rows.columns, axis=1), distinct)
    assert_close(rows.weights, np.bincount(inverse.ravel(), weights=weights), 1e-12)
    np.testing.assert_array_equal(np.stack(rows.columns, axis=1)[rows.inverse], table)
    for column, by_value in zip(rows.columns, rows.distinct, strict=True):
        np.testing.assert_array_equal(by_value.values[by_value.index], column)


def test_rows_too_many_for_one_integer_key_are_grouped_the_same_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    x, t_x, T = weekly()
    by_key = compress_rows(x, t_x, T)
    monkeypatch.setattr(base, "KEY_SPACE", 2)
    by_lexsort = compress_rows(x, t_x, T)
    for a, b in zip(by_key.columns, by_lexsort.columns, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(by_key.weights, by_lexsort.weights)
    np.testing.assert_array_equal(by_key.inverse, by_lexsort.inverse)


@pytest.mark.parametrize("model_class", [bgnbd.BGNBDModel, paretonbd.ParetoNBDModel])
def test_a_purchase_model_fitted_on_distinct_rows_with_counts_has_the_same_parameters(
    model_class: type[bgnbd.BGNBDModel] | type[paretonbd.ParetoNBDModel],
) -> None:
    x, t_x, T = weekly()
    every = model_class().fit(x, t_x, T)
    rows = compress_rows(x, t_x, T)
    merged = model_class().fit(rows.columns[0], rows.columns[1], rows.columns[2], rows.weights)
    assert_close(merged.params_.to_array(), every.params_.to_array(), PARAMETERS)
    assert merged.n_customers_ == len(x)
    # The weighted total is the sum over every customer of the per-customer likelihood.
    module = bgnbd if model_class is bgnbd.BGNBDModel else paretonbd
    per_customer = module.log_likelihood(every.params_, x, t_x, T)
    assert_close(np.array(every.log_likelihood_), np.array(per_customer.sum()), PARAMETERS)


def test_gamma_gamma_fitted_on_distinct_spends_with_counts_has_the_same_parameters() -> None:
    s = cdnow_summary()
    repeat = s.x > 0
    x, spend = s.x[repeat], np.round(s.monetary_value[repeat])
    every = gammagamma.GammaGammaModel().fit(x, spend)
    rows = compress_rows(x, spend)
    assert len(rows.weights) < len(x) / 2
    merged = gammagamma.GammaGammaModel().fit(rows.columns[0], rows.columns[1], rows.weights)
    # The two fits reach the same maximum; Gamma-Gamma's p, q and gamma lie on a flat ridge of
    # the likelihood (weakly identified), so where on it L-BFGS-B stops moves in the 7th digit
    # with the order the sums are taken in (it differed between two machines of the same lock).
    assert_close(np.array(merged.log_likelihood_), np.array(every.log_likelihood_), PARAMETERS)
    assert_close(merged.params_.to_array(), every.params_.to_array(), GAMMA_GAMMA_RIDGE)
    per_customer = gammagamma.log_likelihood(every.params_, x, spend).sum()
    assert_close(np.array(every.log_likelihood_), np.array(per_customer), PARAMETERS)


BGNBD_POINTS = [
    bgnbd.BGNBDParams(r=0.243, alpha=4.414, a=0.793, b=2.426),  # CDNOW, closed form
    bgnbd.BGNBDParams(r=0.5, alpha=6.0, a=400.0, b=2500.0),  # concentrated: logit nodes
]


@pytest.mark.parametrize("params", BGNBD_POINTS)
def test_bgnbd_predictions_once_per_distinct_row_equal_row_by_row_values(
    params: bgnbd.BGNBDParams,
) -> None:
    x, _, T = weekly()
    horizons = np.array([4.3, 13.0, 52.0])
    over = bgnbd.expected_transactions_while_alive_over(params, horizons, x, T)
    row_by_row = bgnbd._expected_transactions_while_alive_over(params, horizons, x, T)
    assert over.shape == (3, len(x))
    assert_close(over, row_by_row, PREDICTIONS)
    t = np.linspace(1.0, 60.0, len(x))
    assert_close(
        bgnbd.expected_transactions_while_alive(params, t, x, T),
        bgnbd._expected_transactions_while_alive(params, t, x, T),
        PREDICTIONS,
    )


def test_bgnbd_predictions_keep_the_shape_of_their_arguments() -> None:
    params = BGNBD_POINTS[0]
    x = np.array([[0.0, 2.0], [2.0, 5.0]])
    T = np.array([30.0, 30.0])
    result = bgnbd.expected_transactions_while_alive(params, 52.0, x, T)
    assert result.shape == (2, 2)
    assert result[0, 1] == result[1, 0]
    assert np.ndim(bgnbd.expected_transactions(params, 52.0)) == 0


def test_paretonbd_p_alive_once_per_distinct_row_equals_row_by_row_values() -> None:
    x, t_x, T = weekly()
    params = paretonbd.ParetoNBDParams(r=0.55, alpha=10.58, s=0.61, beta=11.67)
    assert_close(
        paretonbd.probability_alive(params, x, t_x, T),
        paretonbd._probability_alive(params, x, t_x, T),
        PREDICTIONS,
    )


@pytest.mark.parametrize("params", BGNBD_POINTS)
def test_discounted_transactions_once_per_distinct_row_equal_row_by_row_values(
    params: bgnbd.BGNBDParams,
) -> None:
    x, t_x, T = weekly()
    model = bgnbd.BGNBDModel()
    model.params_ = params
    options = {"horizon_months": 12, "annual_discount_rate": 0.1, "time_unit": "week"}
    merged = clv.discounted_expected_transactions(model, x, t_x, T, **options)  # type: ignore[arg-type]
    row_by_row = clv._discounted_expected_transactions(model, x, t_x, T, **options)  # type: ignore[arg-type]
    assert_close(merged, row_by_row, PREDICTIONS)


@pytest.mark.parametrize("share", [0.0, 1.0])
def test_rows_mostly_distinct_are_evaluated_as_given_with_the_same_values(
    share: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    x, _, T = weekly()
    params = BGNBD_POINTS[0]
    expected = bgnbd._expected_transactions_while_alive(params, 26.0, x, T)
    monkeypatch.setattr(base, "MOSTLY_DISTINCT", share)
    assert_close(bgnbd.expected_transactions_while_alive(params, 26.0, x, T), expected, 0.0)
