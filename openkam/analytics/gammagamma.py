"""Gamma-Gamma spend model: Fader, Hardie & Lee (2005), "RFM and CLV: Using Iso-Value Curves
for Customer Base Analysis", Journal of Marketing Research 42(4), 415-430; equations as in
Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value" (FH13).

Each transaction value z ~ Gamma(p, nu); across customers nu ~ Gamma(q, gamma). The data per
customer are x, the number of transactions averaged, and m_x, their mean value. As in FH13,
fit on repeat transactions of customers with x > 0 (the first purchase is not a repeat purchase
and may differ systematically); ``rfm.rfm_summary`` prepares exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import digamma, gammaln

from openkam.analytics.base import (
    ConvergenceError,
    FloatArray,
    MaximumLikelihoodModel,
    ModelParams,
    as_float_array,
    compress_rows,
    dot,
    maximise_log_likelihood,
)


@dataclass(frozen=True)
class GammaGammaParams(ModelParams):
    p: float
    q: float
    gamma: float  # called v in some texts (and in lifetimes)


def log_likelihood(params: GammaGammaParams, x: ArrayLike, m_x: ArrayLike) -> FloatArray:
    """Per-customer log density of the mean spend m_x of x transactions, FH13 equation (3)."""
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
    x, m_x = as_float_array(x), as_float_array(m_x)
    w = np.ones_like(x) if weights is None else as_float_array(weights)
    return _total_and_gradient(params.to_array(), x, m_x, w)[1]


def _total_and_gradient(
    theta: FloatArray, x: FloatArray, m_x: FloatArray, w: FloatArray
) -> tuple[float, FloatArray]:
    """Total of FH13 (3) and its gradient:
    d/dp     = x [psi(px+q) - psi(px) + log m_x + log x - log(gamma + x m_x)]
    d/dq     = psi(px+q) - psi(q) + log gamma - log(gamma + x m_x)
    d/dgamma = q/gamma - (px+q)/(gamma + x m_x)
    """
    p, q, gamma = theta
    total_w = w.sum()
    px = p * x
    log_spend = np.log(gamma + x * m_x)
    psi_pxq = digamma(px + q)
    log_m, log_x = np.log(m_x), np.log(x)
    value = dot(
        w, gammaln(px + q) - gammaln(px) + (px - 1.0) * log_m + px * log_x - (px + q) * log_spend
    ) + total_w * (q * np.log(gamma) - gammaln(q))
    gradient = np.array(
        [
            dot(w, x * (psi_pxq - digamma(px) + log_m + log_x - log_spend)),
            dot(w, psi_pxq - log_spend) + total_w * (np.log(gamma) - digamma(q)),
            total_w * q / gamma - dot(w, (px + q) / (gamma + x * m_x)),
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
        rows = compress_rows(x[used], m_x[used], weights=w[used])
        (x, m_x), w = rows.columns, rows.weights
        start = self._start(_default_start(m_x, w))
        result = maximise_log_likelihood(
            lambda theta: _total_and_gradient(theta, x, m_x, w),
            start,
            total_weight=float(w.sum()),
            names=GammaGammaParams.names(),
            tol=self.tol,
            max_iter=self.max_iter,
        )
        self._store(result, float(w.sum()))
        return self

    def predict_conditional_expected_average_spend(
        self, x: ArrayLike, m_x: ArrayLike
    ) -> FloatArray:
        return conditional_expected_average_spend(self._fitted_params(), x, m_x)

    def conditional_expected_average_spend(self, x: ArrayLike, m_x: ArrayLike) -> FloatArray:
        return self.predict_conditional_expected_average_spend(x, m_x)


def _default_start(m_x: FloatArray, w: FloatArray) -> GammaGammaParams:
    # p = 1, q = 2 puts the population mean p gamma / (q - 1) at gamma: start it at the data mean.
    return GammaGammaParams(p=1.0, q=2.0, gamma=dot(w, m_x) / float(w.sum()))
