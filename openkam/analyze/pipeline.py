"""The customer-base analysis of one transactions table, with the analytics library only.

Input: a polars frame with one row per order line (customer, date, amount, and optionally cost
and quantity), as ``reading`` produces it. Output: ``AnalysisResult``, every figure the outputs
print, with one row per customer in ``customers``.

Conventions (each one stated because the figures depend on it):

- The analysis is *as of* the calibration end (default: the last date in the file). Transactions
  after it are used for one thing only: the holdout comparison of the purchase models.
- The customers are those with a transaction up to the calibration end; those whose first
  transaction comes later are counted and left out.
- One customer-day is one transaction (Fader, Hardie & Lee 2005) and its lines are added up. A
  day whose lines add up to less than zero is a return, not a purchase: its amount counts in
  revenue but the day does not count as a purchase.
- Revenue, profit, ABC and concentration are over the whole file up to the calibration end; tiers
  use the last 365 days, annualised when the file covers less; the trailing change compares the
  last 182 days with the 182 before.
- Purchase models, expected spend, CLV and churn are the stages of
  ``openkam.analytics.customer_base``, the ones the portfolio refresh runs: its docstring states
  their conventions (a silent one-time buyer is flagged; a customer without repeat purchases has
  an expected spend shrunk from the first purchase).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from numpy.typing import NDArray

from openkam.analytics import churn, customer_base, loyalty, pareto, tiers
from openkam.analytics.base import FloatArray, MaximumLikelihoodModel
from openkam.analytics.customer_base import Fit, PurchaseHistory, PurchaseModel
from openkam.analytics.gammagamma import GammaGammaModel
from openkam.analytics.rfm import RFMSummary, TimeUnit, days_per_unit
from openkam.analyze.results import (
    BGNBD,
    GAMMA_GAMMA,
    PARETO_NBD,
    PURCHASE_MODELS,
    AnalysisOptions,
    AnalysisResult,
    ChurnSummary,
    DataCounts,
    FrequencyGroup,
    HoldoutSummary,
    LoyaltySummary,
    ModelReport,
    Note,
    TierSummary,
    Tracking,
)

__all__ = [
    "BGNBD", "GAMMA_GAMMA", "PARETO_NBD", "PURCHASE_MODELS", "STEPS", "AnalysisError",
    "AnalysisOptions", "AnalysisResult", "Progress", "run_analysis",
]  # fmt: skip

STEPS = (
    "prepare",
    BGNBD,
    PARETO_NBD,
    GAMMA_GAMMA,
    "clv",
    "pareto",
    "tiers",
    "loyalty",
    "churn",
    "holdout",
)
Progress = Callable[[str], None]

# The order of the per-customer columns; the model-specific ones (p_alive_bgnbd ...) follow.
CUSTOMER_COLUMN_ORDER = (
    "customer_id", "first_purchase", "last_purchase", "order_lines", "purchase_days", "quantity",
    "revenue", "cost", "profit", "margin_rate", "x", "t_x", "T", "monetary_value", "p_alive",
    "expected_purchases", "expected_spend", "discounted_purchases", "clv", "holdout_purchases",
    "expected_holdout_purchases", "holdout_revenue", "revenue_rank", "revenue_share",
    "cumulative_revenue_share", "abc_class", "profit_rank", "profit_share",
    "cumulative_profit_share", "profit_abc_class", "revenue_12m", "tier_measure", "tier",
    "mean_gap_days", "gap_cv", "active_months_12m", "repeat_rate", "repeat_axis",
    "days_since_last", "usual_gap_days", "trailing_change", "churn_points", "churn_level",
    "churn_reasons",
)  # fmt: skip

TRAILING_YEAR_DAYS = 365
HIGH_REPEAT = 0.5  # loyalty.loyalty_types' default cut on the repeat axis
FREQUENCY_GROUPS = 7  # holdout by calibration frequency: 0, 1, ..., 6 and 7+ (FHL 2005, fig. 4)
TRACKING_POINTS = 200
PARETO_CURVE_POINTS = 500
P_ALIVE_BINS = 10


class AnalysisError(ValueError):
    """The data cannot be analysed (no rows, a calibration end outside the data ...)."""


def _silent(step: str) -> None:
    del step


# --- the customer base ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerBase:
    """Customers (codes 0..n-1 in id order), their days, their RFM summary and aggregates."""

    ids: NDArray[np.str_]
    days: pl.DataFrame  # code, date, amount, cost, purchase: one row per customer-day
    history: PurchaseHistory
    totals: pl.DataFrame  # per code, up to the calibration end
    holdout_revenue: FloatArray
    counts: DataCounts
    has_cost: bool

    @property
    def n(self) -> int:
        return len(self.ids)

    @property
    def rfm(self) -> RFMSummary:
        return self.history.rfm

    @property
    def cohort(self) -> NDArray[np.intp]:
        return self.history.cohort


def run_analysis(
    frame: pl.DataFrame, options: AnalysisOptions, progress: Progress = _silent
) -> AnalysisResult:
    """Every figure of the analysis; ``progress`` is called with each name of ``STEPS``."""
    _check_options(options)
    if frame.height == 0:
        raise AnalysisError("no usable rows: every row was rejected or the file is empty")
    first, last = frame["date"].min(), frame["date"].max()
    assert isinstance(first, dt.date)
    assert isinstance(last, dt.date)
    as_of = options.calibration_end or last
    if as_of < first:
        raise AnalysisError(f"the calibration end {as_of} is before the first date {first}")
    holdout_end = last if last > as_of else None
    progress("prepare")
    base = prepare(frame, as_of=as_of, holdout_end=holdout_end, time_unit=options.time_unit)
    del frame  # the rows are freed here when the caller kept no reference (the command)
    return _analyse(base, options, as_of=as_of, first=first, last=last, progress=progress)


def _check_options(options: AnalysisOptions) -> None:
    if not 0 <= options.major_threshold <= options.key_threshold:
        raise AnalysisError("need 0 <= major threshold <= key threshold")
    if options.horizon_months < 1:
        raise AnalysisError("the horizon must be at least one month")
    if options.annual_discount_rate <= -1:
        raise AnalysisError("the discount rate must be greater than -1")
    if options.margin is not None and not 0 <= options.margin <= 1:
        raise AnalysisError("the margin is a share of revenue, between 0 and 1")


def prepare(
    frame: pl.DataFrame, *, as_of: dt.date, holdout_end: dt.date | None, time_unit: TimeUnit
) -> CustomerBase:
    lazy = frame.lazy()
    ids = (
        lazy.filter(pl.col("date") <= as_of)
        .select("customer")
        .unique()
        .sort("customer")
        .with_row_index("code")
        .collect()
    )
    # Only the columns the customer-days need, the customer's text replaced by its code.
    keep = [name for name in ("date", "amount", "cost", "quantity") if name in frame.columns]
    lines = (
        lazy.select("customer", *keep)
        .join(ids.lazy(), on="customer", how="inner")
        .select("code", *keep)
        .collect()
    )
    rows, rows_without_cost, has_cost = _with_cost(lines)
    del lines
    days = _customer_days(rows)
    history = customer_base.prepare(
        days["code"].to_numpy(),
        days["date"].to_numpy(),
        days["amount"].to_numpy(),
        n=ids.height,
        as_of=as_of,
        observation_end=holdout_end,
        time_unit=time_unit,
    )
    rfm = history.rfm
    totals = _totals(days.filter(pl.col("date") <= as_of), as_of, ids.height)
    later = frame.filter(pl.col("date") > as_of)
    counts = DataCounts(
        rows=frame.height,
        customers=ids.height,
        cohort_customers=len(rfm.x),
        purchase_days=int(totals["purchase_days"].sum()),
        repeat_purchase_days=int(rfm.x.sum()),
        return_days=int(days.filter(~pl.col("purchase") & (pl.col("date") <= as_of)).height),
        rows_after_calibration=later.height,
        customers_after_calibration=int(
            later.join(ids, on="customer", how="anti")["customer"].n_unique()
        ),
        rows_without_cost=rows_without_cost,
    )
    return CustomerBase(
        ids=ids["customer"].to_numpy().astype(str),
        days=days,
        history=history,
        totals=totals,
        holdout_revenue=_holdout_revenue(days, as_of, ids.height),
        counts=counts,
        has_cost=has_cost,
    )


def _with_cost(rows: pl.DataFrame) -> tuple[pl.DataFrame, int, bool]:
    """(rows, lines without a cost, whether there are costs at all). Lines without a cost are
    costed at the cost ratio of the lines that have one."""
    known = rows.filter(pl.col("cost").is_not_null()) if "cost" in rows.columns else rows.clear()
    if known.height == 0:
        return rows.with_columns(cost=pl.lit(None, dtype=pl.Float64)), 0, False
    sales = float(known["amount"].sum())
    ratio = float(known["cost"].sum()) / sales if sales > 0 else 0.0
    filled = pl.col("cost").fill_null(pl.col("amount") * ratio)
    return rows.with_columns(cost=filled), rows.height - known.height, True


def _customer_days(rows: pl.DataFrame) -> pl.DataFrame:
    """One row per (code, date), sorted by both: the lines' amounts, costs and quantities added
    up, their count, and whether the day is a purchase (it adds up to zero or more).

    The lines are sorted by (code, date) when they do not come so already (a stable sort: each
    day's lines keep their order) and each run of equal keys is added up with numpy: a tenth of
    the CPU of a hash group-by with a sort after it. Missing costs and quantities count as
    nothing, as polars' sums skip them; a file without a quantity column has none (null)."""
    code = rows["code"].cast(pl.UInt32).to_numpy()
    day = rows["date"].to_physical().to_numpy().astype(np.int64)
    key = code.astype(np.int64) << 32 | (day - (day.min() if len(day) else 0))
    order = None if bool(np.all(key[1:] >= key[:-1])) else np.argsort(key, kind="stable")

    def in_order(values: np.ndarray) -> np.ndarray:
        return values if order is None else values[order]

    key = in_order(key)
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else np.zeros(0, int)

    def added(name: str) -> FloatArray:
        values = in_order(rows[name].cast(pl.Float64).fill_null(0.0).to_numpy())
        return np.add.reduceat(values, starts) if len(starts) else np.zeros(0)

    amount = added("amount")
    if "quantity" in rows.columns:
        quantity = pl.Series("quantity", added("quantity"))
    else:
        quantity = pl.Series("quantity", [None] * len(starts), pl.Float64)
    return pl.DataFrame(
        [
            pl.Series("code", in_order(code)[starts], pl.UInt32),
            pl.Series("date", in_order(day)[starts].astype(np.int32)).cast(pl.Date),
            pl.Series("amount", amount),
            pl.Series("cost", added("cost")),
            quantity,
            pl.Series("lines", np.diff(np.r_[starts, len(key)]), pl.UInt32),
            pl.Series("purchase", amount >= 0),
        ]
    )


def _totals(days: pl.DataFrame, as_of: dt.date, n: int) -> pl.DataFrame:
    """Per customer (row = code): revenue, cost, windows, purchase days, first and last purchase.

    ``days`` come by code and date (``_customer_days``), so each customer's days are one run of
    rows, added up with numpy's reduceat (a third of the CPU of a polars group-by); the months a
    customer bought in are counted where they change along the run."""
    code = days["code"].to_numpy()
    starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else code[:0]
    if len(starts) != n or not np.array_equal(code[starts], np.arange(n)):
        # every customer has a day up to as_of by construction
        raise AssertionError("customer totals out of step with the customer list")
    day = days["date"].to_physical().to_numpy().astype(np.int64)
    amount = days["amount"].to_numpy()
    purchase = days["purchase"].to_numpy()
    year_ago = (as_of - dt.timedelta(days=TRAILING_YEAR_DAYS) - EPOCH).days
    month = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    as_of_month = (as_of.year - EPOCH.year) * 12 + as_of.month - 1

    def added(values: np.ndarray) -> np.ndarray:
        return np.add.reduceat(values, starts) if n else values[:0]

    def dates(values: NDArray[np.int64]) -> pl.Series:
        return (
            pl.Series(np.where(np.abs(values) == NO_DAY, 0, values).astype(np.int32))
            .cast(pl.Date)
            .set(pl.Series(np.abs(values) == NO_DAY), None)
        )

    first = np.minimum.reduceat(np.where(purchase, day, NO_DAY), starts) if n else day[:0]
    last = np.maximum.reduceat(np.where(purchase, day, -NO_DAY), starts) if n else day[:0]
    counted = np.flatnonzero(purchase & (month > as_of_month - 12))
    new_month = np.r_[True, np.diff(month[counted]) != 0] | np.r_[True, np.diff(code[counted]) != 0]
    return pl.DataFrame(
        [
            pl.Series("code", np.arange(n), pl.UInt32),
            pl.Series("revenue", added(amount)),
            pl.Series("cost", added(days["cost"].fill_null(0.0).to_numpy())),
            pl.Series("quantity", added(days["quantity"].fill_null(0.0).to_numpy())),
            pl.Series("lines", added(days["lines"].to_numpy()), pl.UInt32),
            pl.Series("purchase_days", added(purchase.astype(np.uint32)), pl.UInt32),
            dates(first).alias("first_purchase"),
            dates(last).alias("last_purchase"),
            pl.Series("revenue_12m", added(np.where(day > year_ago, amount, 0.0))),
            pl.Series(
                "active_months_12m",
                np.bincount(code[counted][new_month[: len(counted)]], minlength=n),
                pl.UInt32,
            ),
        ]
    )


EPOCH = dt.date(1970, 1, 1)
NO_DAY = np.iinfo(np.int64).max  # no purchase day: first and last purchase are null


def _holdout_revenue(days: pl.DataFrame, as_of: dt.date, n: int) -> FloatArray:
    later = days.filter(pl.col("date") > as_of).group_by("code").agg(pl.col("amount").sum())
    revenue = np.zeros(n)
    revenue[later["code"].to_numpy()] = later["amount"].to_numpy()
    return revenue


# --- models --------------------------------------------------------------------------------------


def fit_purchase_model(name: str, rfm: RFMSummary) -> tuple[PurchaseModel | None, ModelReport]:
    fit = customer_base.fit_purchase_model(name, rfm)
    return fit.model, _report(fit)


def fit_spend_model(rfm: RFMSummary) -> tuple[GammaGammaModel | None, ModelReport]:
    fit = customer_base.fit_spend_model(rfm)
    return fit.model, _report(fit)


def _report(fit: Fit[Any]) -> ModelReport:
    """A fit as the outputs describe it; a failed fit by its error."""
    model: MaximumLikelihoodModel[Any] | None = fit.model
    if model is None:
        return ModelReport(fit.name, seconds=fit.seconds, error=fit.error)
    params, errors = model.params_, model.standard_errors_
    return ModelReport(
        name=fit.name,
        params={key: float(getattr(params, key)) for key in params.names()},
        standard_errors={key: float(getattr(errors, key)) for key in errors.names()},
        log_likelihood=float(model.log_likelihood_),
        n_customers=float(model.n_customers_),
        n_iter=int(model.n_iter_),
        seconds=fit.seconds,
    )


@dataclass(frozen=True)
class Prediction:
    p_alive: FloatArray
    expected_horizon: FloatArray  # expected purchases over the CLV horizon
    expected_holdout: FloatArray | None


def predict(model: PurchaseModel, rfm: RFMSummary, horizon: float) -> Prediction:
    x, t_x, T = rfm.x, rfm.t_x, rfm.T
    with np.errstate(all="ignore"):
        holdout = None
        if rfm.holdout_length is not None:
            holdout = model.conditional_expected_transactions(rfm.holdout_length, x, t_x, T)
        return Prediction(
            p_alive=model.probability_alive(x, t_x, T),
            expected_horizon=model.conditional_expected_transactions(horizon, x, t_x, T),
            expected_holdout=holdout,
        )


# --- the analysis ------------------------------------------------------------------------------


@dataclass
class _Work:
    """What the steps add to, in order."""

    base: CustomerBase
    options: AnalysisOptions
    as_of: dt.date
    first: dt.date
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    models: dict[str, ModelReport] = field(default_factory=dict)
    fitted: dict[str, PurchaseModel] = field(default_factory=dict)
    predictions: dict[str, Prediction] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def put(self, name: str, values: np.ndarray) -> None:
        self.columns[name] = values

    def put_cohort(self, name: str, values: np.ndarray) -> None:
        self.columns[name] = self.base.history.scatter(values)


def _analyse(
    base: CustomerBase,
    options: AnalysisOptions,
    *,
    as_of: dt.date,
    first: dt.date,
    last: dt.date,
    progress: Progress,
) -> AnalysisResult:
    work = _Work(base=base, options=options, as_of=as_of, first=first)
    _customer_columns(work)
    for name in PURCHASE_MODELS:
        progress(name)
        _purchase_model(work, name)
    primary = _primary_model(work)
    progress(GAMMA_GAMMA)
    spend, work.models[GAMMA_GAMMA] = fit_spend_model(base.rfm)
    progress("clv")
    margin_source, overall_margin = _clv(work, primary, spend)
    progress("pareto")
    concentration, abc_counts, curves = _pareto(work)
    progress("tiers")
    tier_summary = _tiers(work)
    progress("loyalty")
    loyalty_summary = _loyalty(work)
    progress("churn")
    churn_summary = _churn(work)
    progress("holdout")
    holdout = _holdout(work, last) if base.rfm.holdout_length is not None else None
    _data_notes(work)
    return AnalysisResult(
        options=options,
        as_of=as_of,
        first_date=first,
        last_date=last,
        counts=base.counts,
        customers=_in_order(work.columns),
        models=work.models,
        primary_model=primary,
        margin_source=margin_source,
        overall_margin=overall_margin,
        concentration=concentration,
        abc_counts=abc_counts,
        pareto_curves=curves,
        p_alive_histogram=_histogram(work.columns["p_alive"]),
        tiers=tier_summary,
        loyalty=loyalty_summary,
        churn=churn_summary,
        holdout=holdout,
        notes=work.notes,
    )


def _in_order(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    first = [key for key in CUSTOMER_COLUMN_ORDER if key in columns]
    return {key: columns[key] for key in [*first, *(k for k in columns if k not in first)]}


def _customer_columns(work: _Work) -> None:
    base, totals = work.base, work.base.totals
    work.put("customer_id", base.ids)
    work.put("first_purchase", totals["first_purchase"].to_numpy())
    work.put("last_purchase", totals["last_purchase"].to_numpy())
    work.put("order_lines", totals["lines"].to_numpy())
    work.put("purchase_days", totals["purchase_days"].to_numpy())
    if base.days["quantity"].null_count() < base.days.height:
        work.put("quantity", totals["quantity"].to_numpy())
    work.put("revenue", totals["revenue"].to_numpy())
    if base.has_cost:
        work.put("cost", totals["cost"].to_numpy())
        work.put("profit", (totals["revenue"] - totals["cost"]).to_numpy())
    rfm = base.rfm
    work.put_cohort("x", rfm.x.astype(float))
    work.put_cohort("t_x", rfm.t_x)
    work.put_cohort("T", rfm.T)
    work.put_cohort("monetary_value", rfm.monetary_value)


def _purchase_model(work: _Work, name: str) -> None:
    rfm = work.base.rfm
    model, work.models[name] = fit_purchase_model(name, rfm)
    horizon = work.options.horizon_months * days_per_unit("month") / days_per_unit(rfm.time_unit)
    nan = np.full(len(rfm.x), np.nan)
    prediction = Prediction(nan, nan, None if rfm.holdout_length is None else nan)
    if model is not None:
        work.fitted[name] = model
        prediction = predict(model, rfm, horizon)
    else:
        work.notes.append(Note("model_failed", {"model": name, "error": work.models[name].error}))
    work.predictions[name] = prediction
    work.put_cohort(f"p_alive_{name}", prediction.p_alive)
    work.put_cohort(f"expected_purchases_{name}", prediction.expected_horizon)
    if prediction.expected_holdout is not None:
        work.put_cohort(f"expected_holdout_purchases_{name}", prediction.expected_holdout)


def _primary_model(work: _Work) -> str | None:
    wanted = work.options.purchase_model
    fits: dict[str, Fit[PurchaseModel]] = {
        name: Fit(name, model, None, 0.0) for name, model in work.fitted.items()
    }
    primary = customer_base.choose_purchase_model(fits, wanted)
    if primary is not None and primary != wanted:
        work.notes.append(Note("primary_fallback", {"wanted": wanted, "used": primary}))
    if primary is None:
        work.notes.append(Note("no_purchase_model"))
    chosen = work.predictions[primary or wanted]
    work.put_cohort("p_alive", chosen.p_alive)
    work.put_cohort("expected_purchases", chosen.expected_horizon)
    if chosen.expected_holdout is not None:
        work.put_cohort("expected_holdout_purchases", chosen.expected_holdout)
    return primary


def _clv(work: _Work, primary: str | None, spend: GammaGammaModel | None) -> tuple[str, float]:
    rfm, options, totals = work.base.rfm, work.options, work.base.totals
    revenue, cost = totals["revenue"].to_numpy(), totals["cost"].to_numpy()
    source, overall, margin = _margins(options.margin, revenue, cost, work.base.has_cost)
    work.put("margin_rate", np.broadcast_to(margin, (work.base.n,)).astype(float))
    purchase = work.fitted.get(primary) if primary is not None else None
    value = customer_base.predict(
        purchase,
        spend,
        rfm,
        margin=np.broadcast_to(margin, (work.base.n,))[work.base.cohort],
        horizon_months=options.horizon_months,
        annual_discount_rate=options.annual_discount_rate,
    )
    spend_each, discounted, clv = (
        value.expected_spend,
        value.discounted_transactions,
        value.clv,
    )
    if spend is None:
        work.notes.append(Note("no_clv", {"error": work.models[GAMMA_GAMMA].error}))
    work.put_cohort("expected_spend", spend_each)
    work.put_cohort("discounted_purchases", discounted)
    work.put_cohort("clv", clv)
    excluded = int(np.count_nonzero((rfm.x > 0) & (rfm.monetary_value <= 0)))
    if excluded:
        work.notes.append(Note("spend_zero_excluded", {"customers": excluded}))
    return source, overall


def _margins(
    option: float | None, revenue: FloatArray, cost: FloatArray, has_cost: bool
) -> tuple[str, float, FloatArray | float]:
    """(source, overall margin rate, per-customer margin rate or one rate for all)."""
    if option is not None:
        return "option", option, option
    if not has_cost:
        return "default", 1.0, 1.0
    overall = customer_base.overall_margin_rate(revenue, cost)
    return "cost", overall, customer_base.margin_rates(revenue, cost)


def _pareto(
    work: _Work,
) -> tuple[
    dict[str, pareto.Concentration],
    dict[str, dict[str, int]],
    dict[str, tuple[FloatArray, FloatArray]],
]:
    options = work.options
    measures = {"revenue": work.columns["revenue"].astype(float)}
    if "profit" in work.columns:
        measures["profit"] = work.columns["profit"].astype(float)
    concentration, counts, curves = {}, {}, {}
    for name, values in measures.items():
        abc = pareto.abc_classify(values, options.abc_a_cutoff, options.abc_b_cutoff)
        prefix = "" if name == "revenue" else "profit_"
        work.put(f"{name}_rank", abc.rank)
        work.put(f"{name}_share", abc.share)
        work.put(f"cumulative_{name}_share", abc.cumulative_share)
        work.put(f"{prefix}abc_class", abc.abc_class)
        concentration[name] = pareto.concentration(values, options.top_fraction)
        counts[name] = {c: int(np.count_nonzero(abc.abc_class == c)) for c in "ABC"}
        curves[name] = _thin_curve(*pareto.pareto_curve(values))
    return concentration, counts, curves


def _thin_curve(share: FloatArray, cumulative: FloatArray) -> tuple[FloatArray, FloatArray]:
    """At most PARETO_CURVE_POINTS + 1 points of the curve: enough for a chart."""
    if len(share) <= PARETO_CURVE_POINTS + 1:
        return share, cumulative
    keep = np.unique(np.linspace(0, len(share) - 1, PARETO_CURVE_POINTS + 1).round().astype(int))
    return share[keep], cumulative[keep]


def _tiers(work: _Work) -> TierSummary:
    options, totals = work.options, work.base.totals
    days_covered = (work.as_of - work.first).days + 1
    annualisation = TRAILING_YEAR_DAYS / min(days_covered, TRAILING_YEAR_DAYS)
    measure = totals["revenue_12m"].to_numpy() * annualisation
    rules = tiers.TierRules(
        key_threshold=options.key_threshold,
        major_threshold=options.major_threshold,
        key_requires_leader=options.key_requires_leader,
    )
    assigned = tiers.assign_tiers(measure, rules=rules)
    work.put("revenue_12m", totals["revenue_12m"].to_numpy())
    work.put("tier_measure", measure)
    work.put("tier", assigned)
    on_sales = int(np.count_nonzero(measure >= options.key_threshold))
    if options.key_requires_leader:
        work.notes.append(Note("key_needs_leader", {"customers": on_sales}))
    if annualisation > 1:
        work.notes.append(Note("tiers_annualised", {"days": days_covered, "factor": annualisation}))
    return TierSummary(
        counts={tier: int(np.count_nonzero(assigned == tier)) for tier in tiers.TIER_ORDER},
        key_threshold=options.key_threshold,
        major_threshold=options.major_threshold,
        key_requires_leader=options.key_requires_leader,
        key_on_sales_alone=on_sales,
        annualisation=annualisation,
        days_covered=days_covered,
    )


def _loyalty(work: _Work) -> LoyaltySummary:
    totals = work.base.totals
    regularity = work.base.history.regularity
    months_covered = min(
        12, (work.as_of.year - work.first.year) * 12 + work.as_of.month - work.first.month + 1
    )
    repeat_rate = totals["active_months_12m"].to_numpy() / months_covered
    repeat = loyalty.repeat_axis(repeat_rate, regularity.gap_cv)
    for name, values in (
        ("mean_gap_days", regularity.mean_gap),
        ("gap_cv", regularity.gap_cv),
        ("active_months_12m", totals["active_months_12m"].to_numpy()),
        ("repeat_rate", repeat_rate),
        ("repeat_axis", repeat),
    ):
        work.put(name, values)
    work.notes.append(Note("loyalty_preference_unknown"))
    known = np.isfinite(repeat)
    return LoyaltySummary(
        high_repeat=int(np.count_nonzero(known & (repeat >= HIGH_REPEAT))),
        low_repeat=int(np.count_nonzero(known & (repeat < HIGH_REPEAT))),
        unknown=int(np.count_nonzero(~known)),
        median_gap_cv=_nanmedian(regularity.gap_cv),
        median_mean_gap_days=_nanmedian(regularity.mean_gap),
        months_covered=months_covered,
    )


def _nanmedian(values: FloatArray) -> float:
    finite = values[np.isfinite(values)]
    return float(np.median(finite)) if finite.size else math.nan


def _churn(work: _Work) -> ChurnSummary:
    history = work.base.history
    risk = customer_base.churn_risk(work.columns["p_alive"], history)
    since, trailing = history.days_since_last, history.trailing_change
    usual_gap = customer_base.usual_gap(history.regularity.mean_gap)
    work.put("days_since_last", since)
    work.put("usual_gap_days", usual_gap)
    work.put("trailing_change", trailing)
    work.put("churn_points", risk.points)
    work.put("churn_level", risk.level)
    reasons = np.empty(work.base.n, dtype=object)
    reasons[:] = risk.reasons
    work.put("churn_reasons", reasons)
    levels = (churn.LOW, churn.MEDIUM, churn.HIGH)
    reason_counts: dict[str, int] = {}
    # Counted per distinct tuple (in order of first appearance, so ties keep the codes' order).
    for codes, customers in Counter(risk.reasons).items():
        for code in codes:
            reason_counts[code] = reason_counts.get(code, 0) + customers
    return ChurnSummary(
        counts={level: int(np.count_nonzero(risk.level == level)) for level in levels},
        reasons=dict(sorted(reason_counts.items(), key=lambda item: -item[1])),
    )


def _histogram(p_alive: FloatArray) -> tuple[FloatArray, NDArray[np.int64]]:
    edges = np.linspace(0.0, 1.0, P_ALIVE_BINS + 1)
    counts, _ = np.histogram(p_alive[np.isfinite(p_alive)], bins=edges)
    return edges, counts.astype(np.int64)


# --- holdout -------------------------------------------------------------------------------------


def _holdout(work: _Work, last: dt.date) -> HoldoutSummary:
    rfm = work.base.rfm
    assert rfm.n_transactions_holdout is not None
    assert rfm.holdout_length is not None
    actual = rfm.n_transactions_holdout.astype(float)
    work.put_cohort("holdout_purchases", actual)
    work.put("holdout_revenue", work.base.holdout_revenue)
    expected = {
        name: prediction.expected_holdout
        for name, prediction in work.predictions.items()
        if prediction.expected_holdout is not None and name in work.fitted
    }
    return HoldoutSummary(
        start=work.as_of + dt.timedelta(days=1),
        end=last,
        length=float(rfm.holdout_length),
        actual_total=float(actual.sum()),
        expected_total={name: float(np.nansum(values)) for name, values in expected.items()},
        by_frequency=_by_frequency(rfm.x, actual, expected),
        tracking=_tracking(work, last),
    )


def _by_frequency(
    x: NDArray[np.int64], actual: FloatArray, expected: dict[str, FloatArray]
) -> list[FrequencyGroup]:
    group = np.minimum(x, FREQUENCY_GROUPS)
    sizes = np.bincount(group, minlength=FREQUENCY_GROUPS + 1)

    def mean(values: FloatArray) -> FloatArray:
        sums = np.bincount(group, weights=np.nan_to_num(values), minlength=FREQUENCY_GROUPS + 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(sizes > 0, sums / sizes, np.nan)

    actual_mean = mean(actual)
    expected_mean = {name: mean(values) for name, values in expected.items()}
    return [
        FrequencyGroup(
            label=f"{k}+" if k == FREQUENCY_GROUPS else str(k),
            customers=int(sizes[k]),
            actual_mean=float(actual_mean[k]),
            expected_mean={name: float(values[k]) for name, values in expected_mean.items()},
        )
        for k in range(FREQUENCY_GROUPS + 1)
    ]


def _tracking(work: _Work, last: dt.date) -> Tracking:
    """Cumulative repeat purchases of the cohort on a grid of at most TRACKING_POINTS dates."""
    rfm, unit = work.base.rfm, days_per_unit(work.base.rfm.time_unit)
    start = np.datetime64(work.first).astype(np.int64)
    end = np.datetime64(last).astype(np.int64)
    step = max(unit, math.ceil((end - start) / unit / TRACKING_POINTS) * unit)
    grid = np.unique(np.append(np.arange(start + step, end, step).round(), end)).astype(np.int64)
    births = np.datetime64(work.as_of).astype(np.int64) - np.round(rfm.T * unit).astype(np.int64)
    repeat_days = _repeat_purchase_days(work)
    actual = np.searchsorted(repeat_days, grid, side="right").astype(float)
    distinct, weight = np.unique(births, return_counts=True)
    # Few distinct ages (whole days): the model is evaluated once per age, never at age 0.
    ages, position = np.unique(
        np.clip(grid[:, None] - distinct[None, :], 0, None), return_inverse=True
    )
    alive = ages > 0
    expected = {}
    for name, model in work.fitted.items():
        per_age = np.zeros(len(ages))
        with np.errstate(all="ignore"):
            per_age[alive] = model.expected_transactions(ages[alive] / unit)
        curve = per_age[position.reshape(len(grid), len(distinct))]
        expected[name] = curve @ weight.astype(float)
    dates = [dt.date(1970, 1, 1) + dt.timedelta(days=int(day)) for day in grid]
    return Tracking(dates=dates, actual=actual, expected=expected)


def _repeat_purchase_days(work: _Work) -> NDArray[np.int64]:
    """Day numbers of the cohort's purchase days after each one's first, sorted."""
    days = work.base.days.filter(pl.col("purchase"))
    code = days["code"].to_numpy()
    day = days["date"].to_numpy().astype("datetime64[D]").astype(np.int64)
    in_cohort = np.zeros(work.base.n, dtype=bool)
    in_cohort[work.base.cohort] = True
    first = np.full(work.base.n, np.iinfo(np.int64).max)
    np.minimum.at(first, code, day)
    keep = in_cohort[code] & (day > first[code])
    return np.sort(day[keep])


def _data_notes(work: _Work) -> None:
    counts = work.base.counts
    if counts.customers_after_calibration:
        work.notes.append(
            Note("customers_after_calibration", {"customers": counts.customers_after_calibration})
        )
    if counts.return_days:
        work.notes.append(Note("return_days", {"days": counts.return_days}))
    if counts.rows_without_cost and "cost" in work.columns:
        work.notes.append(Note("cost_filled", {"rows": counts.rows_without_cost}))
