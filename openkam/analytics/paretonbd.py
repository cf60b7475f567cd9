"""Pareto/NBD purchase model: Schmittlein, Morrison & Colombo (1987), "Counting Your Customers:
Who Are They and What Will They Do Next?", Management Science 33(1), 1-24; likelihood as in
Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions" (FH).

While alive a customer buys as a Poisson process, rate lambda ~ Gamma(r, alpha); their lifetime
is exponential with rate mu ~ Gamma(s, beta). FH equation (22):

    L = Gamma(r+x) alpha^r beta^s / Gamma(r)
        * [ (alpha+T)^-(r+x) (beta+T)^-s  +  s J ],
    J = integral over tau in [t_x, T] of (alpha+tau)^-(r+x) (beta+tau)^-(s+1)

(FH write s J as s/(r+s+x) A_0, with A_0 a difference of two Gaussian hypergeometric terms whose
form depends on alpha >= beta or alpha < beta.) Here J(p, q) = G(t_x) - G(T) with

    G(t) = (min(alpha, beta) + t) 2F1(1, k; p+q; z) / ((p+q-1) (alpha+t)^p (beta+t)^q),
    z = |alpha - beta| / (max(alpha, beta) + t),  k = p if alpha >= beta else q,

which is FH's A_0 after Euler's transformation 2F1(A,B;C;z) = (1-z)^(C-A-B) 2F1(C-A,C-B;C;z).
In this form the series has positive terms with ratio below z, nothing in it grows with x or T,
and G is handled in logs, so large frequencies and long ages neither overflow nor underflow.
2F1(1, k; c; z) is evaluated by ``special.hyp2f1_one``, which stays correct where scipy's
``hyp2f1`` returns NaN (z near 1, integer c - k - 1).

Gradient: the derivatives in alpha and beta are analytic (dJ/dalpha = -p J(p+1, q),
dJ/dbeta = -q J(p, q+1), again closed forms). The derivative of 2F1 with respect to its
parameters has no practical closed form, so the r- and s-derivatives of log 2F1(1, k; c; z) are
central differences in k and c (relative step 1e-5; the function is smooth and positive, error
about 1e-10). Everything else in the r- and s-derivatives is analytic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import digamma, expit, gammaln

from openkam.analytics.base import (
    ConvergenceError,
    FloatArray,
    MaximumLikelihoodModel,
    ModelParams,
    as_float_array,
    check_purchase_data,
    compress_rows,
    maximise_log_likelihood,
)
from openkam.analytics.special import hyp2f1_one

PARAMETER_STEP = 1e-5


@dataclass(frozen=True)
class ParetoNBDParams(ModelParams):
    r: float
    alpha: float
    s: float
    beta: float


@dataclass(frozen=True)
class _Integral:
    """log J(p, q) over [t_x, T] and what its derivatives need."""

    log_j: FloatArray
    log_g_start: FloatArray  # log G(t_x)
    log_g_end: FloatArray  # log G(T)


def _log_hyp(k: FloatArray | float, c: FloatArray | float, z: FloatArray) -> FloatArray:
    result: FloatArray = np.log(hyp2f1_one(k, c, z))
    return result


def _log_g(
    t: FloatArray, p: FloatArray, q: float, alpha: float, beta: float
) -> tuple[FloatArray, FloatArray, FloatArray | float]:
    """log G(t) (see module docstring) plus the z and k it used."""
    z = abs(alpha - beta) / (max(alpha, beta) + t)
    k: FloatArray | float = p if alpha >= beta else q
    log_g = (
        np.log(min(alpha, beta) + t)
        + _log_hyp(k, p + q, z)
        - np.log(p + q - 1.0)
        - p * np.log(alpha + t)
        - q * np.log(beta + t)
    )
    return log_g, z, k


def _integral(
    p: FloatArray, q: float, alpha: float, beta: float, t_x: FloatArray, T: FloatArray
) -> _Integral:
    start = _log_g(t_x, p, q, alpha, beta)[0]
    end = _log_g(T, p, q, alpha, beta)[0]
    # G decreases in t, so end <= start; the clamp only absorbs rounding when t_x ~ T.
    with np.errstate(divide="ignore"):
        log_j = start + np.log(-np.expm1(np.minimum(end - start, 0.0)))
    return _Integral(log_j, start, end)


def _split_terms(
    theta: FloatArray, x: FloatArray, t_x: FloatArray, T: FloatArray
) -> tuple[FloatArray, FloatArray, _Integral]:
    """The two terms of FH (22) in logs: alive at T, and dropped out in (t_x, T]."""
    r, alpha, s, beta = theta
    alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    integral = _integral(r + x, s + 1.0, alpha, beta, t_x, T)
    dropped = np.log(s) + integral.log_j
    return alive, dropped, integral


def log_likelihood(
    params: ParetoNBDParams, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> FloatArray:
    """Per-customer log-likelihood, FH equation (22), in log space."""
    x, t_x, T = as_float_array(x), as_float_array(t_x), as_float_array(T)
    r, alpha, s, beta = params.r, params.alpha, params.s, params.beta
    alive, dropped, _ = _split_terms(params.to_array(), x, t_x, T)
    result: FloatArray = (
        gammaln(r + x)
        - gammaln(r)
        + r * np.log(alpha)
        + s * np.log(beta)
        + np.logaddexp(alive, dropped)
    )
    return result


def log_likelihood_gradient(
    params: ParetoNBDParams,
    x: ArrayLike,
    t_x: ArrayLike,
    T: ArrayLike,
    weights: ArrayLike | None = None,
) -> FloatArray:
    """Gradient of the (weighted) total log-likelihood with respect to (r, alpha, s, beta)."""
    x, t_x, T = as_float_array(x), as_float_array(t_x), as_float_array(T)
    w = np.ones_like(x) if weights is None else as_float_array(weights)
    return _total_and_gradient(params.to_array(), x, t_x, T, w)[1]


def _total_and_gradient(
    theta: FloatArray, x: FloatArray, t_x: FloatArray, T: FloatArray, w: FloatArray
) -> tuple[float, FloatArray]:
    r, alpha, s, beta = theta
    p, q = r + x, s + 1.0
    total_w = w.sum()
    alive, dropped, integral = _split_terms(theta, x, t_x, T)
    mix = np.logaddexp(alive, dropped)
    value = w @ (gammaln(p) + mix) + total_w * (r * np.log(alpha) + s * np.log(beta) - gammaln(r))
    # Posterior weight of the "dropped out in (t_x, T]" term (= 1 - P(alive)).
    gone = expit(dropped - alive)
    has_j = np.isfinite(integral.log_j)
    d_logj_dp, d_logj_dq = _log_integral_parameter_derivatives(
        p, q, alpha, beta, t_x, T, integral, has_j
    )
    d_logj_dalpha = -p * _integral_ratio(p + 1.0, q, alpha, beta, t_x, T, integral, has_j)
    d_logj_dbeta = -q * _integral_ratio(p, q + 1.0, alpha, beta, t_x, T, integral, has_j)
    stays = 1.0 - gone
    gradient = np.array(
        [
            w @ (digamma(p) - stays * np.log(alpha + T) + gone * d_logj_dp)
            + total_w * (np.log(alpha) - digamma(r)),
            w @ (-stays * p / (alpha + T) + gone * d_logj_dalpha) + total_w * r / alpha,
            w @ (-stays * np.log(beta + T) + gone * (1.0 / s + d_logj_dq)) + total_w * np.log(beta),
            w @ (-stays * s / (beta + T) + gone * d_logj_dbeta) + total_w * s / beta,
        ]
    )
    return float(value), gradient


def _integral_ratio(
    p: FloatArray,
    q: float,
    alpha: float,
    beta: float,
    t_x: FloatArray,
    T: FloatArray,
    base: _Integral,
    has_j: NDArray[np.bool_],
) -> FloatArray:
    """J(p, q) with shifted exponents divided by the base J; 0 where the base J is 0."""
    shifted = _integral(p, q, alpha, beta, t_x, T).log_j
    with np.errstate(invalid="ignore"):
        return np.where(has_j, np.exp(shifted - base.log_j), 0.0)


def _log_integral_parameter_derivatives(
    p: FloatArray,
    q: float,
    alpha: float,
    beta: float,
    t_x: FloatArray,
    T: FloatArray,
    base: _Integral,
    has_j: NDArray[np.bool_],
) -> tuple[FloatArray, FloatArray]:
    """d log J / dp and d log J / dq.

    From log G(t) = log(min + t) + log 2F1(1, k; p+q; z) - log(p+q-1) - p log(alpha+t)
    - q log(beta+t), and J = G(t_x) - G(T): d log J = (dG(t_x) - dG(T)) / J.
    """
    k_is_p = alpha >= beta
    derivatives = []
    for t in (t_x, T):
        z = abs(alpha - beta) / (max(alpha, beta) + t)
        k: FloatArray | float = p if k_is_p else q
        d_k, d_c = _log_hyp_parameter_derivatives(k, p + q, z)
        common = d_c - 1.0 / (p + q - 1.0)
        d_p = common - np.log(alpha + t) + (d_k if k_is_p else 0.0)
        d_q = common - np.log(beta + t) + (0.0 if k_is_p else d_k)
        derivatives.append((d_p, d_q))
    (dp_start, dq_start), (dp_end, dq_end) = derivatives
    gap = np.minimum(base.log_g_end - base.log_g_start, 0.0)
    ratio = np.exp(gap)
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = 1.0 / -np.expm1(gap)
        d_logj_dp = np.where(has_j, (dp_start - ratio * dp_end) * scale, 0.0)
        d_logj_dq = np.where(has_j, (dq_start - ratio * dq_end) * scale, 0.0)
    return d_logj_dp, d_logj_dq


def _log_hyp_parameter_derivatives(
    k: FloatArray | float, c: FloatArray, z: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Central differences of log 2F1(1, k; c; z) in k and in c."""
    h_k = PARAMETER_STEP * (1.0 + np.abs(k))
    h_c = PARAMETER_STEP * (1.0 + np.abs(c))
    d_k = (_log_hyp(k + h_k, c, z) - _log_hyp(k - h_k, c, z)) / (2 * h_k)
    d_c = (_log_hyp(k, c + h_c, z) - _log_hyp(k, c - h_c, z)) / (2 * h_c)
    return d_k, d_c


def probability_alive(
    params: ParetoNBDParams, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> FloatArray:
    """P(alive at T | x, t_x, T), FH equation (18): the share of the first term of (22)."""
    x, t_x, T = as_float_array(x), as_float_array(t_x), as_float_array(T)
    alive, dropped, _ = _split_terms(params.to_array(), x, t_x, T)
    result: FloatArray = expit(alive - dropped)
    return result


def _survival_integral(s: float, beta_age: FloatArray, t: FloatArray) -> FloatArray:
    """Integral over u in [0, t] of ((beta+T)/(beta+T+u))^s: expected alive time in (T, T+t].

    = (beta+T)/(s-1) [1 - ((beta+T)/(beta+T+t))^(s-1)], written with expm1 so that s near 1
    (where the closed form is 0/0) keeps its digits; at s = 1 it is (beta+T) log(1 + t/(beta+T)).
    """
    log_ratio = -np.log1p(t / beta_age)
    if s == 1.0:
        at_one: FloatArray = -beta_age * log_ratio
        return at_one
    result: FloatArray = beta_age * -np.expm1((s - 1.0) * log_ratio) / (s - 1.0)
    return result


def expected_transactions(params: ParetoNBDParams, t: ArrayLike) -> FloatArray:
    """E[X(t)] for a new customer, FH equation (17): (r/alpha) times expected alive time."""
    t = as_float_array(t)
    beta_age = np.full_like(t, params.beta)
    return params.r / params.alpha * _survival_integral(params.s, beta_age, t)


def conditional_expected_transactions(
    params: ParetoNBDParams, t: ArrayLike, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> FloatArray:
    """E[Y(t) | x, t_x, T] in (T, T+t], FH equation (24) / SMC (1987) equation (22)."""
    t, x, t_x, T = (as_float_array(v) for v in (t, x, t_x, T))
    rate = (params.r + x) / (params.alpha + T)
    alive_time = _survival_integral(params.s, params.beta + T, t)
    return rate * alive_time * probability_alive(params, x, t_x, T)


class ParetoNBDModel(MaximumLikelihoodModel[ParetoNBDParams]):
    """Pareto/NBD estimator: ``ParetoNBDModel().fit(x, t_x, T)`` then the ``predict`` methods.

    Identical (x, t_x, T) rows are merged into weights before fitting.
    """

    params_class = ParetoNBDParams

    def fit(
        self, x: ArrayLike, t_x: ArrayLike, T: ArrayLike, weights: ArrayLike | None = None
    ) -> Self:
        x, t_x, T = as_float_array(x), as_float_array(t_x), as_float_array(T)
        check_purchase_data(x, t_x, T)
        if not np.any(x > 0):
            raise ConvergenceError(
                "Pareto/NBD cannot be fitted: no customer made a repeat purchase (all x = 0), so "
                "the purchase and drop-out rates are not identified"
            )
        (x, t_x, T), w = compress_rows(x, t_x, T, weights=weights)
        start = self._start(_default_start(x, T, w))
        result = maximise_log_likelihood(
            lambda theta: _total_and_gradient(theta, x, t_x, T, w),
            start,
            total_weight=float(w.sum()),
            names=ParetoNBDParams.names(),
            tol=self.tol,
            max_iter=self.max_iter,
        )
        self._store(result, float(w.sum()))
        return self

    def predict_probability_alive(self, x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> FloatArray:
        return probability_alive(self._fitted_params(), x, t_x, T)

    def predict_expected_transactions(self, t: ArrayLike) -> FloatArray:
        return expected_transactions(self._fitted_params(), t)

    def predict_conditional_expected_transactions(
        self, t: ArrayLike, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
    ) -> FloatArray:
        return conditional_expected_transactions(self._fitted_params(), t, x, t_x, T)

    def conditional_expected_transactions(
        self, t: ArrayLike, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
    ) -> FloatArray:
        return self.predict_conditional_expected_transactions(t, x, t_x, T)

    def probability_alive(self, x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> FloatArray:
        return self.predict_probability_alive(x, t_x, T)

    def expected_transactions(self, t: ArrayLike) -> FloatArray:
        return self.predict_expected_transactions(t)


def _default_start(x: FloatArray, T: FloatArray, w: FloatArray) -> ParetoNBDParams:
    # Mean purchase rate r/alpha at the observed repeat rate; mean lifetime beta/(s-1) of the
    # order of the observed ages.
    rate = max(float(w @ x) / max(float(w @ T), 1e-9), 1e-6)
    mean_age = max(float(w @ T) / float(w.sum()), 1e-3)
    return ParetoNBDParams(r=1.0, alpha=1.0 / rate, s=1.0, beta=mean_age)
