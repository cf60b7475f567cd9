"""Discounted customer lifetime value from a fitted purchase model and a fitted spend model.

    CLV = margin * E(spend per transaction | x, m_x)
                 * sum over months k = 1..H of E[transactions in month k | x, t_x, T] / (1+d)^(k/12)

Convention (stated because CLV figures are only comparable under the same one): the horizon is
cut into H calendar-free months of 30.4375 days (``rfm.DAYS_PER_UNIT``); the expected number of
transactions in month k is the difference of the purchase model's conditional expectations at
the ends of months k and k-1; each month's transactions are discounted as if they all happened at
the month's end, with the yearly rate d compounded monthly: factor (1+d)^(-k/12). This is the
discrete monthly scheme of lifetimes' ``customer_lifetime_value`` with a yearly rate instead of
a monthly one. The spend model's expectation assumes spend independent of the purchase process
(Fader, Hardie & Lee 2005, JMR, assumption iii of the Gamma-Gamma model).

Models are passed in already fitted, so any purchase model with
``conditional_expected_transactions(t, x, t_x, T)`` composes with any spend model with
``conditional_expected_average_spend(x, m_x)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike

from openkam.analytics.base import FloatArray, as_float_array, on_distinct_rows
from openkam.analytics.rfm import days_per_unit

# Customers x horizons evaluated at once by an AliveFactoredModel (16 MB of float64).
HORIZON_CELLS = 2_000_000


class PurchaseModel(Protocol):
    def conditional_expected_transactions(
        self, t: ArrayLike, x: ArrayLike, t_x: ArrayLike, T: ArrayLike
    ) -> FloatArray: ...


@runtime_checkable
class AliveFactoredModel(Protocol):
    """A purchase model whose conditional expectation is P(alive) times the expectation while
    alive (BG/NBD, Pareto/NBD): P(alive) does not depend on the horizon, so it is computed once
    for all months."""

    def probability_alive(self, x: ArrayLike, t_x: ArrayLike, T: ArrayLike) -> FloatArray: ...

    def predict_expected_transactions_while_alive_over(
        self, horizons: ArrayLike, x: ArrayLike, T: ArrayLike
    ) -> FloatArray: ...


class SpendModel(Protocol):
    def conditional_expected_average_spend(self, x: ArrayLike, m_x: ArrayLike) -> FloatArray: ...


@dataclass(frozen=True)
class CustomerValue:
    """Per customer: discounted expected transactions, expected spend each, and their product
    times the margin (the CLV, in the currency of the spend)."""

    discounted_transactions: FloatArray
    expected_average_spend: FloatArray
    clv: FloatArray


def monthly_discount_factors(horizon_months: int, annual_discount_rate: float) -> FloatArray:
    """(1 + d)^(-k/12) for k = 1..H: a yearly rate compounded monthly, end-of-month cash."""
    if horizon_months < 0:
        raise ValueError("horizon_months must be >= 0")
    if annual_discount_rate <= -1.0:
        raise ValueError("annual_discount_rate must be greater than -1")
    months = np.arange(1, horizon_months + 1, dtype=np.float64)
    result: FloatArray = (1.0 + annual_discount_rate) ** (-months / 12.0)
    return result


def discounted_expected_transactions(
    purchase_model: PurchaseModel,
    x: ArrayLike,
    t_x: ArrayLike,
    T: ArrayLike,
    *,
    horizon_months: int = 12,
    annual_discount_rate: float = 0.10,
    time_unit: str = "week",
) -> FloatArray:
    """Sum over months of the expected transactions in that month times its discount factor.

    ``time_unit`` is the unit t_x and T (and so the model) were measured in. Computed once per
    distinct (x, t_x, T) and expanded: customers at the data's time resolution share rows.
    """
    evaluate = partial(
        _discounted_expected_transactions,
        purchase_model,
        horizon_months=horizon_months,
        annual_discount_rate=annual_discount_rate,
        time_unit=time_unit,
    )
    return on_distinct_rows(evaluate, x, t_x, T)


def _discounted_expected_transactions(
    purchase_model: PurchaseModel,
    x: FloatArray,
    t_x: FloatArray,
    T: FloatArray,
    *,
    horizon_months: int,
    annual_discount_rate: float,
    time_unit: str,
) -> FloatArray:
    """``discounted_expected_transactions`` row by row."""
    month = days_per_unit("month") / days_per_unit(time_unit)
    shape = np.broadcast(x, t_x, T).shape
    factors = monthly_discount_factors(horizon_months, annual_discount_rate)
    ends = month * np.arange(1, horizon_months + 1, dtype=np.float64)
    if isinstance(purchase_model, AliveFactoredModel):
        x, t_x, T = (np.broadcast_to(v, shape).ravel() for v in (x, t_x, T))
        total = np.zeros(x.size)
        previous = np.zeros(x.size)
        # Months in groups of about HORIZON_CELLS values: memory stays flat in customers.
        group = max(1, HORIZON_CELLS // max(x.size, 1))
        for start in range(0, horizon_months, group):
            stop = min(start + group, horizon_months)
            cumulative = purchase_model.predict_expected_transactions_while_alive_over(
                ends[start:stop], x, T
            )
            for factor, at_end in zip(factors[start:stop], cumulative, strict=True):
                total += factor * (at_end - previous)
                previous = at_end
        total *= purchase_model.probability_alive(x, t_x, T)
        return total.reshape(shape)
    total = np.zeros(shape)
    previous = np.zeros_like(total)
    # One pass per month (a few dozen), never per customer: each pass is vectorised.
    for factor, end in zip(factors, ends, strict=True):
        cumulative_at = purchase_model.conditional_expected_transactions(end, x, t_x, T)
        total += factor * (cumulative_at - previous)
        previous = cumulative_at
    return total


def customer_lifetime_value(
    purchase_model: PurchaseModel,
    spend_model: SpendModel,
    x: ArrayLike,
    t_x: ArrayLike,
    T: ArrayLike,
    monetary_value: ArrayLike,
    *,
    horizon_months: int = 12,
    annual_discount_rate: float = 0.10,
    margin: float | ArrayLike = 1.0,
    time_unit: str = "week",
) -> CustomerValue:
    """Discounted, margin-weighted expected spend over the horizon, per customer."""
    transactions = discounted_expected_transactions(
        purchase_model,
        x,
        t_x,
        T,
        horizon_months=horizon_months,
        annual_discount_rate=annual_discount_rate,
        time_unit=time_unit,
    )
    spend = spend_model.conditional_expected_average_spend(x, monetary_value)
    return CustomerValue(
        discounted_transactions=transactions,
        expected_average_spend=spend,
        clv=as_float_array(margin) * spend * transactions,
    )
