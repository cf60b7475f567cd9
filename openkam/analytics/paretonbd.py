"""Pareto/NBD purchase model: Schmittlein, Morrison & Colombo (1987, SMC), "Counting Your Customers:
Who Are They and What Will They Do Next?", Management Science 33(1), 1-24; likelihood as in
Fader & Hardie (2005), "A Note on Deriving the Pareto/NBD Model and Related Expressions" (FH).

While alive a customer buys as a Poisson process, rate lambda ~ Gamma(r, alpha); their lifetime
is exponential with rate mu ~ Gamma(s, beta). The likelihood (FH, section on the likelihood
function; SMC 1987):

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

Speed: G(t_x) depends on (x, t_x) only and G(T) on (x, T) only, so while fitting, the
hypergeometric functions are evaluated once per distinct pair (a few thousand for daily data)
and gathered onto the distinct (x, t_x, T) rows.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import partial
from typing import Self

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import digamma, expit, gammaln

from openkam.analytics.base import (
    ConvergenceError,
    Distinct,
    FloatArray,
    ModelParams,
    PurchaseModelBase,
    PurchaseRows,
    as_float_array,
    check_purchase_data,
    dot,
    maximise_log_likelihood,
    on_distinct_rows,
)
from openkam.analytics.special import hyp2f1_one

PARAMETER_STEP = 1e-5


@dataclass(frozen=True)
class ParetoNBDParams(ModelParams):
    r: float
    alpha: float
    s: float
    beta: float


def _log_hyp(k: FloatArray | float, c: FloatArray, z: FloatArray) -> FloatArray:
    result: FloatArray = np.log(hyp2f1_one(k, c, z))
    return result


def _log_g(t: FloatArray, p: FloatArray, q: float, alpha: float, beta: float) -> FloatArray:
    """log G(t) of the module docstring, for J(p, q) = G(t_x) - G(T)."""
    z = abs(alpha - beta) / (max(alpha, beta) + t)
    k: FloatArray | float = p if alpha >= beta else q
    result: FloatArray = (
        np.log(min(alpha, beta) + t)
        + _log_hyp(k, p + q, z)
        - np.log(p + q - 1.0)
        - p * np.log(alpha + t)
        - q * np.log(beta + t)
    )
    return result


def _log_difference(start: FloatArray, end: FloatArray) -> FloatArray:
    """log(e^start - e^end) for end <= start (-inf when equal): log J from log G(t_x), log G(T).

    G decreases in t, so end <= start; the clamp only absorbs rounding when t_x ~ T.
    """
    with np.errstate(divide="ignore"):
        result: FloatArray = start + np.log(-np.expm1(np.minimum(end - start, 0.0)))
    return result


def _split_terms(
    params: ParetoNBDParams, x: FloatArray, t_x: FloatArray, T: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """The two terms of the likelihood in logs, without the common factor: alive at T, and
    dropped out somewhere in (t_x, T]."""
    r, alpha, s, beta = params.r, params.alpha, params.s, params.beta
    alive = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    start = _log_g(t_x, r + x, s + 1.0, alpha, beta)
    end = _log_g(T, r + x, s + 1.0, alpha, beta)
    return alive, np.log(s) + _log_difference(start, end)


def log_likelihood(
    params: ParetoNBDParams, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> FloatArray:
    """Per-customer log-likelihood (FH; module docstring), in log space."""
    x, t_x, T = as_float_array(x), as_float_array(t_x), as_float_array(T)
    r, alpha, s, beta = params.r, params.alpha, params.s, params.beta
    alive, dropped = _split_terms(params, x, t_x, T)
    result: FloatArray = (
        gammaln(r + x)
        - gammaln(r)
        + r * np.log(alpha)
        + s * np.log(beta)
        + np.logaddexp(alive, dropped)
    )
    return result


@dataclass(frozen=True)
class _End:
    """log G at one end of the integral (t = t_x or t = T) and what the gradient needs."""

    log_g: FloatArray  # log G(t; p, q)
    log_g_next_p: FloatArray  # log G(t; p + 1, q), for dJ/dalpha = -p J(p + 1, q)
    log_g_next_q: FloatArray  # log G(t; p, q + 1), for dJ/dbeta = -q J(p, q + 1)
    d_p: FloatArray  # d log G(t; p, q) / dp
    d_q: FloatArray  # d log G(t; p, q) / dq

    @classmethod
    def at(cls, t: FloatArray, p: FloatArray, q: float, alpha: float, beta: float) -> _End:
        d_p, d_q = _log_g_parameter_derivatives(t, p, q, alpha, beta)
        return cls(
            log_g=_log_g(t, p, q, alpha, beta),
            log_g_next_p=_log_g(t, p + 1.0, q, alpha, beta),
            log_g_next_q=_log_g(t, p, q + 1.0, alpha, beta),
            d_p=d_p,
            d_q=d_q,
        )

    def take(self, index: NDArray[np.intp]) -> _End:
        return _End(*(getattr(self, f.name)[index] for f in fields(self)))


def _log_g_parameter_derivatives(
    t: FloatArray, p: FloatArray, q: float, alpha: float, beta: float
) -> tuple[FloatArray, FloatArray]:
    """d log G / dp and d log G / dq, from log G(t) = log(min + t) + log 2F1(1, k; p+q; z)
    - log(p+q-1) - p log(alpha+t) - q log(beta+t); the 2F1 part by central differences."""
    k_is_p = alpha >= beta
    z = abs(alpha - beta) / (max(alpha, beta) + t)
    k: FloatArray | float = p if k_is_p else q
    c = p + q
    h_k = PARAMETER_STEP * (1.0 + np.abs(k))
    h_c = PARAMETER_STEP * (1.0 + np.abs(c))
    d_k = (_log_hyp(k + h_k, c, z) - _log_hyp(k - h_k, c, z)) / (2 * h_k)
    d_c = (_log_hyp(k, c + h_c, z) - _log_hyp(k, c - h_c, z)) / (2 * h_c)
    common = d_c - 1.0 / (p + q - 1.0)
    d_p = common - np.log(alpha + t) + (d_k if k_is_p else 0.0)
    d_q = common - np.log(beta + t) + (0.0 if k_is_p else d_k)
    return d_p, d_q


@dataclass(frozen=True)
class _PairedRows:
    """Purchase rows plus the distinct (x, t_x) and (x, T) pairs that G(t_x) and G(T) need."""

    rows: PurchaseRows
    start_x: FloatArray
    start_t: FloatArray
    start_index: NDArray[np.intp]
    end_x: FloatArray
    end_t: FloatArray
    end_index: NDArray[np.intp]

    @classmethod
    def build(cls, rows: PurchaseRows) -> _PairedRows:
        start_x, start_t, start_index = _pairs(rows.by_x, rows.by_t_x)
        end_x, end_t, end_index = _pairs(rows.by_x, rows.by_T)
        return cls(rows, start_x, start_t, start_index, end_x, end_t, end_index)


def _pairs(first: Distinct, second: Distinct) -> tuple[FloatArray, FloatArray, NDArray[np.intp]]:
    """Distinct (first, second) value pairs of the rows, and each row's pair."""
    width = len(second.values)
    pairs = Distinct.of((first.index * width + second.index).astype(np.float64))
    codes = pairs.values.astype(np.int64)
    return first.values[codes // width], second.values[codes % width], pairs.index


def log_likelihood_gradient(
    params: ParetoNBDParams,
    x: ArrayLike,
    t_x: ArrayLike,
    T: ArrayLike,
    weights: ArrayLike | None = None,
) -> FloatArray:
    """Gradient of the (weighted) total log-likelihood with respect to (r, alpha, s, beta)."""
    data = _PairedRows.build(PurchaseRows.build(x, t_x, T, weights))
    return _total_and_gradient(params.to_array(), data)[1]


def _total_and_gradient(theta: FloatArray, data: _PairedRows) -> tuple[float, FloatArray]:
    """Total log-likelihood and its gradient. With gone = P(dropped out | data) = 1 - P(alive):
    d/dr     = psi(r+x) - psi(r) + ln alpha - (1-gone) ln(alpha+T) + gone dlogJ/dp
    d/dalpha = r/alpha - (1-gone) (r+x)/(alpha+T) - gone (r+x) J(p+1,q)/J
    d/ds     = ln beta - (1-gone) ln(beta+T) + gone (1/s + dlogJ/dq)
    d/dbeta  = s/beta - (1-gone) s/(beta+T) - gone (s+1) J(p,q+1)/J
    """
    r, alpha, s, beta = theta
    q = s + 1.0
    rows = data.rows
    w, x, total_w = rows.weights, rows.x, rows.total_weight
    p = r + x
    start = _End.at(data.start_t, r + data.start_x, q, alpha, beta).take(data.start_index)
    end = _End.at(data.end_t, r + data.end_x, q, alpha, beta).take(data.end_index)
    log_aT = np.log(alpha + rows.by_T.values)[rows.by_T.index]
    log_bT = np.log(beta + rows.by_T.values)[rows.by_T.index]
    alive = -p * log_aT - s * log_bT
    log_j = _log_difference(start.log_g, end.log_g)
    dropped = np.log(s) + log_j
    gone = expit(dropped - alive)
    stays = 1.0 - gone
    has_j = np.isfinite(log_j)
    gap = np.minimum(end.log_g - start.log_g, 0.0)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        scale = 1.0 / -np.expm1(gap)
        ratio = np.exp(gap)
        d_logj_dp = np.where(has_j, (start.d_p - ratio * end.d_p) * scale, 0.0)
        d_logj_dq = np.where(has_j, (start.d_q - ratio * end.d_q) * scale, 0.0)
        j_next_p = np.where(
            has_j, np.exp(_log_difference(start.log_g_next_p, end.log_g_next_p) - log_j), 0.0
        )
        j_next_q = np.where(
            has_j, np.exp(_log_difference(start.log_g_next_q, end.log_g_next_q) - log_j), 0.0
        )
    x_values, w_by_x = rows.by_x.values, rows.weight_by_x
    value = (
        dot(w_by_x, gammaln(r + x_values))
        + dot(w, np.logaddexp(alive, dropped))
        + total_w * (r * np.log(alpha) + s * np.log(beta) - gammaln(r))
    )
    inv_aT = (1.0 / (alpha + rows.by_T.values))[rows.by_T.index]
    inv_bT = (1.0 / (beta + rows.by_T.values))[rows.by_T.index]
    gradient = np.array(
        [
            dot(w_by_x, digamma(r + x_values))
            + dot(w, gone * d_logj_dp - stays * log_aT)
            + total_w * (np.log(alpha) - digamma(r)),
            -dot(w, p * (stays * inv_aT + gone * j_next_p)) + total_w * r / alpha,
            dot(w, gone * (1.0 / s + d_logj_dq) - stays * log_bT) + total_w * np.log(beta),
            -dot(w, stays * s * inv_bT + gone * q * j_next_q) + total_w * s / beta,
        ]
    )
    return float(value), gradient


def probability_alive(
    params: ParetoNBDParams, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> FloatArray:
    """P(alive at T | x, t_x, T) (FH; SMC 1987): the share of the likelihood's first term.
    Once per distinct (x, t_x, T): each needs two hypergeometric functions."""
    return on_distinct_rows(partial(_probability_alive, params), x, t_x, T)


def _probability_alive(
    params: ParetoNBDParams, x: FloatArray, t_x: FloatArray, T: FloatArray
) -> FloatArray:
    """``probability_alive`` row by row."""
    alive, dropped = _split_terms(params, x, t_x, T)
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
    """E[X(t)] for a new customer (FH; SMC 1987): (r/alpha) times the expected alive time."""
    t = as_float_array(t)
    beta_age = np.full_like(t, params.beta)
    return params.r / params.alpha * _survival_integral(params.s, beta_age, t)


def conditional_expected_transactions(
    params: ParetoNBDParams, t: ArrayLike, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
) -> FloatArray:
    """E[Y(t) | x, t_x, T] in (T, T+t] (FH; SMC 1987): P(alive) times (r+x)/(alpha+T) times
    the expected alive time in (T, T+t]."""
    t, x, t_x, T = (as_float_array(v) for v in (t, x, t_x, T))
    return expected_transactions_while_alive(params, t, x, T) * probability_alive(params, x, t_x, T)


def expected_transactions_while_alive(
    params: ParetoNBDParams, t: ArrayLike, x: ArrayLike, T: ArrayLike
) -> FloatArray:
    """E[Y(t) | alive at T, x, T]: the rate (r+x)/(alpha+T) times the expected alive time."""
    t, x, T = (as_float_array(v) for v in (t, x, T))
    rate = (params.r + x) / (params.alpha + T)
    result: FloatArray = rate * _survival_integral(params.s, params.beta + T, t)
    return result


class ParetoNBDModel(PurchaseModelBase[ParetoNBDParams]):
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
        rows = PurchaseRows.build(x, t_x, T, weights)
        data = _PairedRows.build(rows)
        start = self._start(_default_start(rows))
        result = maximise_log_likelihood(
            lambda theta: _total_and_gradient(theta, data),
            start,
            total_weight=rows.total_weight,
            names=ParetoNBDParams.names(),
            tol=self.tol,
            max_iter=self.max_iter,
        )
        self._store(result, rows.total_weight)
        return self

    def predict_probability_alive(self, x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> FloatArray:
        return probability_alive(self._fitted_params(), x, t_x, T)

    def predict_expected_transactions(self, t: ArrayLike) -> FloatArray:
        return expected_transactions(self._fitted_params(), t)

    def predict_conditional_expected_transactions(
        self, t: ArrayLike, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
    ) -> FloatArray:
        return conditional_expected_transactions(self._fitted_params(), t, x, t_x, T)

    def predict_expected_transactions_while_alive(
        self, t: ArrayLike, x: ArrayLike, T: ArrayLike
    ) -> FloatArray:
        return expected_transactions_while_alive(self._fitted_params(), t, x, T)


def _default_start(rows: PurchaseRows) -> ParetoNBDParams:
    # Mean purchase rate r/alpha at the observed repeat rate; mean lifetime beta/(s-1) of the
    # order of the observed ages.
    w, x, T = rows.weights, rows.x, rows.T
    rate = max(dot(w, x) / max(dot(w, T), 1e-9), 1e-6)
    mean_age = max(dot(w, T) / float(w.sum()), 1e-3)
    return ParetoNBDParams(r=1.0, alpha=1.0 / rate, s=1.0, beta=mean_age)
