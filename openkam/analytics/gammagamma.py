"""Gamma-Gamma spend model: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves
for Customer Base Analysis", Journal of Marketing Research 42(4), 415-430; equations as in
Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value" (FH13).

Each transaction value z ~ Gamma(p, nu); across customers nu ~ Gamma(q, gamma). The data per
customer are x, the number of transactions averaged, and m_x, their mean value. As in FH13,
fit on repeat transactions of customers with x > 0 (the first purchase is not a repeat purchase
and may differ systematically); ``rfm.rfm_summary`` prepares exactly that.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Self

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import digamma, gammaln

from openkam.analytics.base import (
    ConvergenceError,
    Distinct,
    FitResult,
    FloatArray,
    MaximumLikelihoodModel,
    ModelParams,
    as_float_array,
    dot,
    maximise_log_likelihood,
)


@dataclass(frozen=True)
class GammaGammaParams(ModelParams):
    p: float
    q: float
    gamma: float  # called v in some texts (and in lifetimes)


def log_likelihood(params: GammaGammaParams, x: ArrayLike, m_x: ArrayLike) -> FloatArray:
    """Per-customer log density of the mean spend m_x of x transactions, FH13 equation (1a)."""
    x, m_x = as_float_array(x), as_float_array(m_x)
    p, q, gamma = params.p, params.q, params.gamma
    px = p * x
    result: FloatArray = (
        gammaln(px + q)
        - gammaln(px)
        - gammaln(q)
        + q * np.log(gamma)
        + (px - 1.0) * np.log(m_x)
        + px * np.log(x)
        - (px + q) * np.log(gamma + x * m_x)
    )
    return result


def log_likelihood_gradient(
    params: GammaGammaParams, x: ArrayLike, m_x: ArrayLike, weights: ArrayLike | None = None
) -> FloatArray:
    """Gradient of the (weighted) total log-likelihood with respect to (p, q, gamma)."""
    return _total_and_gradient(params.to_array(), _SpendRows.build(x, m_x, weights))[1]


@dataclass(frozen=True)
class _SpendRows:
    """The (x, m_x) rows, weights, and what does not depend on the parameters: the
    parameter-free sums, and the distinct x at which the x-only special functions are taken.

    Rows are not merged: mean spends are continuous amounts that customers seldom share, so
    finding the distinct (x, m_x) rows costs more (a sort of the spends) than the one logarithm
    per row it could save; the special functions already run once per distinct x."""

    x: FloatArray
    total_spend: FloatArray  # x m_x
    weights: FloatArray
    by_x: Distinct
    weight_by_x: FloatArray
    weighted_x_log_m: float  # sum of w x log m_x
    weighted_log_m: float  # sum of w log m_x

    @classmethod
    def build(cls, x: ArrayLike, m_x: ArrayLike, weights: ArrayLike | None) -> _SpendRows:
        x_rows, m_rows = as_float_array(x), as_float_array(m_x)
        w = np.ones_like(x_rows) if weights is None else as_float_array(weights)
        by_x = Distinct.of(x_rows)
        log_m = np.log(m_rows)
        return cls(
            x=x_rows,
            total_spend=x_rows * m_rows,
            weights=w,
            by_x=by_x,
            weight_by_x=by_x.weight_of_each(w),
            weighted_x_log_m=dot(w, x_rows * log_m),
            weighted_log_m=dot(w, log_m),
        )


def _total_and_gradient(theta: FloatArray, rows: _SpendRows) -> tuple[float, FloatArray]:
    """Total of FH13 (1a) and its gradient:
    d/dp     = x [psi(px+q) - psi(px) + log m_x + log x - log(gamma + x m_x)]
    d/dq     = psi(px+q) - psi(q) + log gamma - log(gamma + x m_x)
    d/dgamma = q/gamma - (px+q)/(gamma + x m_x)
    Terms in x alone are evaluated per distinct x; only log(gamma + x m_x) is per row.
    """
    p, q, gamma = theta
    w, x, total_w = rows.weights, rows.x, float(rows.weights.sum())
    x_values, w_by_x = rows.by_x.values, rows.weight_by_x
    px_values = p * x_values
    psi_pxq = digamma(px_values + q)
    log_spend = np.log(gamma + rows.total_spend)
    w_log_spend_by_x = rows.by_x.weight_of_each(w * log_spend)
    value = (
        dot(w_by_x, gammaln(px_values + q) - gammaln(px_values) + px_values * np.log(x_values))
        + p * rows.weighted_x_log_m
        - rows.weighted_log_m
        - dot(w_log_spend_by_x, px_values + q)
        + total_w * (q * np.log(gamma) - gammaln(q))
    )
    gradient = np.array(
        [
            dot(w_by_x * x_values, psi_pxq - digamma(px_values) + np.log(x_values))
            + rows.weighted_x_log_m
            - dot(w_log_spend_by_x, x_values),
            dot(w_by_x, psi_pxq)
            - float(w_log_spend_by_x.sum())
            + total_w * (np.log(gamma) - digamma(q)),
            total_w * q / gamma - dot(w, (p * x + q) / (gamma + rows.total_spend)),
        ]
    )
    return float(value), gradient


def conditional_expected_average_spend(
    params: GammaGammaParams, x: ArrayLike, m_x: ArrayLike
) -> FloatArray:
    """E(Z | p, q, gamma, m_x, x), FH13 equation (5): a weighted mean of the population mean
    p gamma / (q - 1) and the customer's own m_x, the weight on m_x being p x / (p x + q - 1).
    For x = 0 it is the population mean, which exists only when q > 1 (else NaN).
    """
    x, m_x = as_float_array(x), as_float_array(m_x)
    p, q, gamma = params.p, params.q, params.gamma
    own = np.where(x > 0, x * m_x, 0.0)
    denominator = p * x + q - 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        result: FloatArray = np.where(denominator > 0, p * (gamma + own) / denominator, np.nan)
    return result


def population_mean_spend(params: GammaGammaParams) -> float:
    """E(Z) = p gamma / (q - 1), FH13 section 2; infinite when q <= 1."""
    if params.q <= 1.0:
        return float("inf")
    return params.p * params.gamma / (params.q - 1.0)


class GammaGammaModel(MaximumLikelihoodModel[GammaGammaParams]):
    """Gamma-Gamma estimator: ``GammaGammaModel().fit(x, monetary_value)``.

    Customers with x = 0 carry no spend information and are left out of the fit (FH13); their
    prediction is the population mean. Mean spends must be positive.
    """

    params_class = GammaGammaParams

    def fit(self, x: ArrayLike, m_x: ArrayLike, weights: ArrayLike | None = None) -> Self:
        x, m_x = as_float_array(x), as_float_array(m_x)
        w = np.ones_like(x) if weights is None else as_float_array(weights)
        if not (x.shape == m_x.shape == w.shape) or x.ndim != 1:
            raise ValueError("x, m_x and weights must be 1-D arrays of the same length")
        used = x > 0
        if np.any(m_x[used] <= 0) or not np.all(np.isfinite(m_x[used])):
            raise ValueError("mean spends of customers with x > 0 must be positive and finite")
        if np.count_nonzero(used) < 2 or np.ptp(m_x[used]) == 0:
            raise ConvergenceError(
                "Gamma-Gamma cannot be fitted: it needs at least two customers with repeat "
                "purchases and different mean spends"
            )
        # gamma is a scale parameter: z / c ~ Gamma(p, c nu) and c nu ~ Gamma(q, gamma / c). Fit
        # on spends divided by their median c, so the parameter box of base.py means the same
        # for CDNOW dollars and for B2B orders of 10,000,000 CNY, then scale back.
        scale = float(np.median(m_x[used]))
        rows = _SpendRows.build(x[used], m_x[used] / scale, w[used])
        total_weight = float(rows.weights.sum())
        start = self._start(_default_start(rows))
        if self.initial_params is not None:  # given for the spends themselves
            start = start / np.array([1.0, 1.0, scale])
        result = maximise_log_likelihood(
            lambda theta: _total_and_gradient(theta, rows),
            start,
            total_weight=total_weight,
            names=GammaGammaParams.names(),
            tol=self.tol,
            max_iter=self.max_iter,
        )
        self._store(_rescaled(result, scale, total_weight), total_weight)
        return self

    def predict_conditional_expected_average_spend(
        self, x: ArrayLike, m_x: ArrayLike
    ) -> FloatArray:
        return conditional_expected_average_spend(self._fitted_params(), x, m_x)

    def conditional_expected_average_spend(self, x: ArrayLike, m_x: ArrayLike) -> FloatArray:
        return self.predict_conditional_expected_average_spend(x, m_x)


def _rescaled(result: FitResult, scale: float, total_weight: float) -> FitResult:
    """The fit on spends / scale, expressed for the spends themselves: gamma times the scale,
    the log-likelihood less the log of the Jacobian (one 1/scale per customer's m_x)."""
    jacobian = np.array([1.0, 1.0, scale])
    return dataclasses.replace(
        result,
        params=result.params * jacobian,
        log_likelihood=result.log_likelihood - total_weight * float(np.log(scale)),
        covariance=result.covariance * np.outer(jacobian, jacobian),
    )


def _default_start(rows: _SpendRows) -> GammaGammaParams:
    # p = 1, q = 2 puts the population mean p gamma / (q - 1) at gamma: start it at the data mean.
    mean_spend = dot(rows.weights, rows.total_spend / rows.x) / float(rows.weights.sum())
    return GammaGammaParams(p=1.0, q=2.0, gamma=mean_spend)
