"""One customer-base analysis: the stages the portfolio refresh and `openkam analyze` both run.

    prepare (customer-days)  ->  fit (purchase and spend models)
                             ->  predict (P(alive), expected spend, CLV)
                             ->  classify (churn level and reasons here; the ABC class and the
                                 tier proposal are pareto.abc_classify and tiers.assign_tiers)

The refresh feeds it account-days read from the database, `analyze` customer-days read from a
file; each stage is a function of arrays, so the two cannot reach different figures from the
same transactions. The conventions, each stated once because the figures depend on it:

- One customer-day is one transaction (Fader, Hardie & Lee 2005). A day whose amount is below
  zero is a return: it counts in the revenue of the trailing windows, not as a purchase.
- The purchase model is the preferred one, or the other when the data do not identify the
  preferred one (too few customers, or its fit fails); the choice is recorded.
- Expected spend per transaction is Gamma-Gamma's conditional expectation on repeat spend
  (Fader & Hardie 2013). A customer without repeat purchases is not given the population mean,
  which for a small first order can be a hundred times its size: the first purchase is one
  observation of the customer's own spend, so the estimate is shrunk from it (x = 1, m = first
  spend) instead.
- CLV = margin rate x expected spend x discounted expected transactions (``clv.py``), the margin
  rate being the customer's own (revenue - cost) / revenue clipped to [0, 1], or the overall
  rate of the customer base where the customer has no positive revenue.
- Churn: a silent one-time buyer IS flagged. Days since the last purchase are compared with the
  customer's own mean gap, or, for a customer with too few purchases to have a rhythm, with the
  median rhythm of the others. BG/NBD puts P(alive) = 1 on every customer without repeat
  purchases (FHL 2005, eq. 13 with x = 0), so without that fallback a customer who bought once
  two years ago would raise no signal at all; under Pareto/NBD the same customer's low P(alive)
  adds its own points. The trailing change compares the revenue of the last 182 days with the
  182 before.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Generic, TypeVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from openkam.analytics import churn, loyalty
from openkam.analytics.base import ConvergenceError, FloatArray, MaximumLikelihoodModel
from openkam.analytics.bgnbd import BGNBDModel
from openkam.analytics.clv import discounted_expected_transactions
from openkam.analytics.gammagamma import GammaGammaModel
from openkam.analytics.paretonbd import ParetoNBDModel
from openkam.analytics.rfm import RFMSummary, TimeUnit, rfm_summary

BGNBD: Final = "bgnbd"
PARETO_NBD: Final = "pareto_nbd"
GAMMA_GAMMA: Final = "gamma_gamma"
PURCHASE_MODELS = (BGNBD, PARETO_NBD)
PurchaseModel = BGNBDModel | ParetoNBDModel
TRAILING_HALF_YEAR_DAYS = 182
# Below this the estimates mean nothing, and a fit on such data can wander for seconds before
# running into the parameter bounds (measured: 16 s of Pareto/NBD on two customers).
MIN_CUSTOMERS_FOR_PURCHASE_MODELS = 10
FIT_ERRORS = (ConvergenceError, ValueError, FloatingPointError, np.linalg.LinAlgError)
M = TypeVar("M", bound=MaximumLikelihoodModel[Any])


# --- prepare -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurchaseHistory:
    """Customers 0..n-1: their RFM summary (rows in ``cohort`` order) and purchase rhythm."""

    n: int
    rfm: RFMSummary
    cohort: NDArray[np.intp]  # customer code of each RFM row
    last_purchase: NDArray[np.datetime64]  # NaT: no purchase up to as_of
    days_since_last: FloatArray
    regularity: loyalty.Regularity
    trailing_change: FloatArray  # last 182 days' revenue / the 182 before - 1 (NaN: none before)

    def scatter(self, values: ArrayLike) -> FloatArray:
        """Values of the RFM rows as one per customer, NaN outside the cohort."""
        out = np.full(self.n, np.nan)
        out[self.cohort] = values
        return out


def prepare(
    codes: ArrayLike,
    days: ArrayLike,
    amounts: ArrayLike,
    *,
    n: int,
    as_of: dt.date,
    observation_end: dt.date | None = None,
    time_unit: TimeUnit = "week",
) -> PurchaseHistory:
    """The purchase history of n customers from one row per customer-day (codes 0..n-1).

    Days after ``as_of`` serve only the holdout counts of the RFM summary."""
    code = np.asarray(codes, dtype=np.int64)
    day = np.asarray(days, dtype="datetime64[D]")
    amount = np.asarray(amounts, dtype=np.float64)
    today = np.datetime64(as_of, "D")
    purchase = amount >= 0
    rfm = rfm_summary(
        code[purchase],
        day[purchase],
        amount[purchase],
        calibration_end=today,
        observation_end=None if observation_end is None else np.datetime64(observation_end, "D"),
        time_unit=time_unit,
    )
    known = day <= today
    bought = purchase & known
    last = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    np.maximum.at(last.view(np.int64), code[bought], day[bought].view(np.int64))
    since = (today - last).astype("timedelta64[D]").astype(np.float64)
    return PurchaseHistory(
        n=n,
        rfm=rfm,
        cohort=rfm.customer_ids.astype(np.intp),
        last_purchase=last,
        days_since_last=np.where(np.isnat(last), np.nan, since),
        regularity=loyalty.purchase_regularity(code[bought], day[bought], n),
        trailing_change=_trailing_change(code[known], day[known], amount[known], n, today),
    )


def _trailing_change(
    code: NDArray[np.int64],
    day: NDArray[np.datetime64],
    amount: FloatArray,
    n: int,
    today: np.datetime64,
) -> FloatArray:
    age = (today - day).astype("timedelta64[D]").astype(np.int64)
    last = age < TRAILING_HALF_YEAR_DAYS
    before = ~last & (age < 2 * TRAILING_HALF_YEAR_DAYS)
    recent = np.bincount(code[last], weights=amount[last], minlength=n)
    previous = np.bincount(code[before], weights=amount[before], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(previous > 0, recent / previous - 1.0, np.nan)


# --- fit -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fit(Generic[M]):
    """One model fitted, or the reason it could not be (a failed fit is reported, not raised)."""

    name: str
    model: M | None
    error: str | None
    seconds: float


def purchase_model_order(preferred: str) -> tuple[str, str]:
    """The preferred purchase model first, the one to fall back on second."""
    if preferred not in PURCHASE_MODELS:
        raise ValueError(f"unknown purchase model {preferred!r}; use one of {PURCHASE_MODELS}")
    return (BGNBD, PARETO_NBD) if preferred == BGNBD else (PARETO_NBD, BGNBD)


def fit_purchase_model(name: str, rfm: RFMSummary) -> Fit[PurchaseModel]:
    if len(rfm.x) < MIN_CUSTOMERS_FOR_PURCHASE_MODELS:
        error = (
            f"too few customers to fit a purchase model: {len(rfm.x)}, at least "
            f"{MIN_CUSTOMERS_FOR_PURCHASE_MODELS} are needed"
        )
        return Fit(name, None, error, 0.0)
    model: PurchaseModel = BGNBDModel() if name == BGNBD else ParetoNBDModel()
    return _fit(name, model, lambda: model.fit(rfm.x, rfm.t_x, rfm.T))


def fit_spend_model(rfm: RFMSummary) -> Fit[GammaGammaModel]:
    """Gamma-Gamma on the customers with repeat purchases and a positive mean repeat spend."""
    used = (rfm.x > 0) & (rfm.monetary_value > 0)
    model = GammaGammaModel()
    return _fit(GAMMA_GAMMA, model, lambda: model.fit(rfm.x[used], rfm.monetary_value[used]))


def _fit(name: str, model: M, fit: Callable[[], object]) -> Fit[M]:
    started = time.perf_counter()
    try:
        with np.errstate(all="ignore"):
            fit()
    except FIT_ERRORS as exc:
        return Fit(name, None, str(exc) or type(exc).__name__, time.perf_counter() - started)
    return Fit(name, model, None, time.perf_counter() - started)


def choose_purchase_model(fits: Mapping[str, Fit[PurchaseModel]], preferred: str) -> str | None:
    """The first model of ``purchase_model_order(preferred)`` that fitted (None: neither)."""
    for name in purchase_model_order(preferred):
        fit = fits.get(name)
        if fit is not None and fit.model is not None:
            return name
    return None


# --- predict -------------------------------------------------------------------------------------


def overall_margin_rate(revenue: ArrayLike, cost: ArrayLike) -> float:
    """1 - total cost / total revenue of the customer base, in [0, 1] (0 without revenue)."""
    total = float(np.sum(revenue))
    return float(np.clip(1.0 - float(np.sum(cost)) / total, 0.0, 1.0)) if total > 0 else 0.0


def margin_rates(revenue: ArrayLike, cost: ArrayLike) -> FloatArray:
    """(revenue - cost) / revenue per customer in [0, 1]; the overall rate where revenue <= 0."""
    sales, costs = np.asarray(revenue, dtype=np.float64), np.asarray(cost, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(sales > 0, np.clip(1.0 - costs / sales, 0.0, 1.0), np.nan)
    return np.where(sales > 0, rate, overall_margin_rate(sales, costs))


@dataclass(frozen=True)
class CustomerValues:
    """Per RFM row: P(alive), expected spend each, discounted expected transactions and CLV."""

    p_alive: FloatArray
    expected_spend: FloatArray
    discounted_transactions: FloatArray
    clv: FloatArray


def predict(
    purchase_model: PurchaseModel | None,
    spend_model: GammaGammaModel | None,
    rfm: RFMSummary,
    *,
    margin: FloatArray | float,
    horizon_months: int,
    annual_discount_rate: float,
) -> CustomerValues:
    """What the fitted models say of each customer; NaN for what a missing model would say."""
    nan = np.full(len(rfm.x), np.nan)
    if purchase_model is None:
        return CustomerValues(nan, nan, nan, nan)
    with np.errstate(all="ignore"):
        p_alive = purchase_model.probability_alive(rfm.x, rfm.t_x, rfm.T)
        if spend_model is None:
            return CustomerValues(p_alive, nan, nan, nan)
        repeat = rfm.x > 0
        spend = spend_model.conditional_expected_average_spend(
            np.where(repeat, rfm.x, 1), np.where(repeat, rfm.monetary_value, rfm.first_spend)
        )
        transactions = discounted_expected_transactions(
            purchase_model,
            rfm.x,
            rfm.t_x,
            rfm.T,
            horizon_months=horizon_months,
            annual_discount_rate=annual_discount_rate,
            time_unit=rfm.time_unit,
        )
    clv: FloatArray = np.asarray(margin, dtype=np.float64) * spend * transactions
    return CustomerValues(p_alive, spend, transactions, clv)


# --- classify ------------------------------------------------------------------------------------


def usual_gap(mean_gap: FloatArray) -> FloatArray:
    """Each customer's own mean gap; the median of the others' where there is none (see the
    module's churn convention)."""
    finite = mean_gap[np.isfinite(mean_gap)]
    median = float(np.median(finite)) if finite.size else np.nan
    return np.where(np.isfinite(mean_gap), mean_gap, median)


def churn_risk(
    p_alive: FloatArray,
    history: PurchaseHistory,
    *,
    overdue_share_change: FloatArray | None = None,
    satisfaction_change: FloatArray | None = None,
) -> churn.ChurnRisk:
    """The churn level and reasons of every customer (p_alive: one per customer, NaN unknown);
    the change in the share of receivables overdue when the caller knows the receivables, the
    change in satisfaction when surveys measure it."""
    return churn.churn_risk(
        p_alive=p_alive,
        days_since_last=history.days_since_last,
        usual_gap_days=usual_gap(history.regularity.mean_gap),
        trailing_change=history.trailing_change,
        overdue_share_change=overdue_share_change,
        satisfaction_change=satisfaction_change,
    )
