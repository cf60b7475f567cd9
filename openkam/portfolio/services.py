"""portfolio_refresh: the bridge from the ledger aggregates to the analytics library and back.

Reads per-account aggregates (readers.py), runs the analyses of DOMAIN §2 and §6 with
openkam.analytics, and stores one dated AccountSnapshot per account, with the tier the policy
gives each (the yearly tier review, openkam.governance, turns those into proposals: a refresh
proposes nothing). A re-run on the same date replaces that date's snapshots; older dates are
kept for trends.

Purchase models, expected spend, CLV and churn are the stages of analytics/customer_base.py,
the ones `openkam analyze` runs on a file, so both give one account the same figures (its
docstring states the conventions); what stays here is which windows the revenue measures cover,
set by PortfolioSettings.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from openkam.accounts.models import RelationshipStage
from openkam.analytics import (
    customer_base,
    loyalty,
    pareto,
    portfolio,
    quadrants,
    receivables,
    tiers,
)
from openkam.analytics.clv import monthly_discount_factors
from openkam.analytics.customer_base import Fit, PurchaseHistory
from openkam.analytics.scorecard import Criterion, scale_to_score, score_accounts
from openkam.common.bulk import BulkWriter, Column, Const, nullable
from openkam.common.months import add_months
from openkam.portfolio import hooks, readers
from openkam.portfolio.models import (
    AccountSnapshot,
    MatrixCut,
    PortfolioRun,
    PortfolioSettings,
    TierMeasure,
    TierPeriod,
)
from openkam.team.models import User

FloatArray = readers.FloatArray
Progress = Callable[[str], None]
WEEKS_PER_YEAR = 365.25 / 7
STAGE_SCORE = {
    RelationshipStage.PRE: 1.0,
    RelationshipStage.EARLY: 2.0,
    RelationshipStage.MID: 3.0,
    RelationshipStage.PARTNERSHIP: 4.0,
    RelationshipStage.SYNERGISTIC: 5.0,
}


@dataclass
class PurchaseFigures:
    frequency: FloatArray
    recency_weeks: FloatArray
    age_weeks: FloatArray
    p_alive: FloatArray
    expected_12m: FloatArray
    expected_12_24m: FloatArray
    expected_spend: FloatArray
    clv: FloatArray
    fitted: dict[str, object] = field(default_factory=dict)

    @classmethod
    def empty(cls, n: int) -> PurchaseFigures:
        names = [f for f in cls.__dataclass_fields__ if f != "fitted"]
        return cls(**{name: np.full(n, np.nan) for name in names})  # type: ignore[arg-type]


def _nan(n: int) -> FloatArray:
    return np.full(n, np.nan)


def _fit_purchase_model(
    history: PurchaseHistory, preferred: str, fitted: dict[str, object]
) -> customer_base.PurchaseModel | None:
    """The preferred model, or the other one when the data do not identify it (recorded); the
    other is not fitted when the preferred one succeeds."""
    for name in customer_base.purchase_model_order(preferred):
        fit = customer_base.fit_purchase_model(name, history.rfm)
        fitted[name] = _describe(fit)
        if fit.model is not None:
            fitted["purchase_model"] = name
            return fit.model
    return None


def purchase_figures(
    history: PurchaseHistory, *, config: PortfolioSettings, margin_rate: FloatArray
) -> PurchaseFigures:
    """Fit the purchase and spend models on every account with purchases and predict: the
    stages of customer_base, the ones `openkam analyze` runs."""
    out = PurchaseFigures.empty(history.n)
    rfm, rows = history.rfm, history.cohort
    if rows.size == 0:
        out.fitted["error"] = "no purchases"
        return out
    x, t_x, T = rfm.x.astype(float), rfm.t_x, rfm.T
    out.frequency[rows], out.recency_weeks[rows], out.age_weeks[rows] = x, t_x, T
    model = _fit_purchase_model(history, config.purchase_model, out.fitted)
    if model is None:
        return out
    one_year = model.conditional_expected_transactions(WEEKS_PER_YEAR, x, t_x, T)
    out.expected_12m[rows] = one_year
    out.expected_12_24m[rows] = (
        model.conditional_expected_transactions(2 * WEEKS_PER_YEAR, x, t_x, T) - one_year
    )
    spend = customer_base.fit_spend_model(rfm)
    out.fitted[customer_base.GAMMA_GAMMA] = _describe(spend)
    value = customer_base.predict(
        model,
        spend.model,
        rfm,
        margin=margin_rate[rows],
        horizon_months=config.clv_horizon_months,
        annual_discount_rate=float(config.discount_rate),
    )
    out.p_alive[rows] = value.p_alive
    out.expected_spend[rows] = value.expected_spend
    out.clv[rows] = value.clv
    return out


def net_customer_value(
    clv: FloatArray,
    p_alive: FloatArray,
    cost_to_serve: FloatArray,
    *,
    horizon_months: int,
    annual_discount_rate: float,
) -> FloatArray:
    """CLV less the present value of serving the customer over the CLV's horizon: last year's
    cost to serve (direct and indirect) spread evenly over the months, paid while the customer
    is alive (P(alive) now), discounted like the CLV's margins (end of month). Negative for a
    customer who costs more to serve than its margins bring (DOMAIN §2.3: value destroyers)."""
    months = monthly_discount_factors(horizon_months, annual_discount_rate)
    present_value_of_a_year = float(months.sum()) / 12.0
    return clv - cost_to_serve * p_alive * present_value_of_a_year


#: The columns of the portfolio analysis (组合分析, DOMAIN §2.8) each snapshot keeps.
ANALYSIS_COLUMNS = ("year_2", "year_1", "year_0", "forecast_1", "forecast_2")


def portfolio_analysis_rows(
    revenue: list[FloatArray],
    cost_of_goods: list[FloatArray],
    direct: list[FloatArray],
    indirect: list[FloatArray],
) -> list[str]:
    """Each account's portfolio analysis as the JSON its snapshot stores: per column, revenue,
    cost of goods, direct and indirect cost to serve and the net contribution left."""
    nets = [
        portfolio.net_contribution(r, c + d, i).net_contribution
        for r, c, d, i in zip(revenue, cost_of_goods, direct, indirect, strict=True)
    ]
    figures = np.round(np.stack([revenue, cost_of_goods, direct, indirect, nets]), 2)
    names = ("revenue", "cost_of_goods", "direct_cost", "indirect_cost", "net_contribution")
    rows = []
    for account in range(figures.shape[2]):
        rows.append(
            json.dumps(
                {
                    column: dict(zip(names, figures[:, c, account].tolist(), strict=True))
                    for c, column in enumerate(ANALYSIS_COLUMNS)
                }
            )
        )
    return rows


def _describe(fit: Fit[Any]) -> dict[str, object]:
    if fit.model is None:
        return {"error": fit.error}
    params = fit.model.params_
    described: dict[str, object] = {
        "params": {name: float(getattr(params, name)) for name in params.names()},
        "log_likelihood": float(fit.model.log_likelihood_),
    }
    if fit.model.at_limit_:
        # e.g. BG/NBD's b: the data show one drop-out probability for every account.
        described["at_limit"] = list(fit.model.at_limit_)
    return described


@dataclass(frozen=True)
class Period:
    as_of: dt.date
    fiscal_start_month: int

    def window(self, months_ago_end: int, months_ago_start: int) -> tuple[dt.date, dt.date]:
        """[start, end) of whole months, counted back from the month after as_of."""
        return (
            add_months(self.as_of, 1 - months_ago_start),
            add_months(self.as_of, 1 - months_ago_end),
        )

    def fiscal_year(self, years_back: int) -> tuple[dt.date, dt.date]:
        start_year = self.as_of.year - (self.as_of.month < self.fiscal_start_month) - years_back
        start = dt.date(start_year, self.fiscal_start_month, 1)
        return start, dt.date(start_year + 1, self.fiscal_start_month, 1)

    def windows(self) -> dict[str, tuple[dt.date, dt.date]]:
        return {
            "last_12m": self.window(0, 12),
            "prev_12m": self.window(12, 24),
            "before_12m": self.window(24, 36),
            "last_6m": self.window(0, 6),
            "prev_6m": self.window(6, 12),
            "fy0": self.fiscal_year(0),
            "fy1": self.fiscal_year(1),
            "fy2": self.fiscal_year(2),
        }


def tier_proposals(
    table: readers.AccountTable, windows: readers.Windows, config: PortfolioSettings
) -> np.ndarray:
    period = "last_12m" if config.tier_period == TierPeriod.TRAILING_12_MONTHS else "fy1"
    measure = windows.revenue[period]
    if config.tier_measure == TierMeasure.PROFIT:
        measure = measure - windows.cost[period]
    rules = tiers.TierRules(
        key_threshold=float(config.key_threshold),
        major_threshold=float(config.major_threshold),
        key_requires_leader=config.key_requires_leader,
        major_requires_mid_or_leader=config.major_requires_mid_or_leader,
    )
    position = table.industry_position
    return tiers.assign_tiers(
        measure,
        strategic=table.is_strategic,
        leader=position == "leader",
        mid_or_leader=np.isin(position, ["leader", "mid"]),
        rules=rules,
    )


def strength_scores(
    table: readers.AccountTable,
    *,
    share_of_wallet: FloatArray,
    as_of: dt.date,
    csat: FloatArray | None = None,
) -> readers.ScoreMatrix:
    """Relative strength: manual scores where given, else scores measured from facts (the
    mean CSAT of the surveys, 1-5, is the satisfaction score)."""
    manual = readers.score_matrix(table, "strength")
    years = (np.datetime64(as_of) - table.customer_since).astype("timedelta64[D]").astype(float)
    measured = {
        "share_of_wallet": scale_to_score(share_of_wallet, (0.1, 0.25, 0.4, 0.6)),
        "relationship_stage": np.array(
            [STAGE_SCORE.get(stage, np.nan) for stage in table.relationship_stage.tolist()]
        ),
        "years_as_supplier": scale_to_score(years / 365.25, (1.0, 3.0, 5.0, 10.0)),
        "satisfaction": csat if csat is not None else _nan(table.ids.size),
    }
    scores = manual.scores.copy()
    for column, key in enumerate(manual.keys):
        if key in measured:
            scores[:, column] = np.where(
                np.isfinite(scores[:, column]), scores[:, column], measured[key]
            )
    return readers.ScoreMatrix(keys=manual.keys, weights=manual.weights, scores=scores)


def _weighted_score(matrix: readers.ScoreMatrix) -> tuple[FloatArray, FloatArray]:
    if not matrix.keys:
        n = matrix.scores.shape[0]
        return _nan(n), np.zeros(n)
    criteria = tuple(
        Criterion(key, key, float(weight))
        for key, weight in zip(matrix.keys, matrix.weights, strict=True)
    )
    result = score_accounts(matrix.scores, criteria, min_coverage=0.3)
    return result.score, result.coverage


@dataclass
class Figures:
    """Every per-account array a snapshot row is built from."""

    columns: dict[str, np.ndarray]
    analysis: list[str]  # the portfolio analysis per account, as stored (JSON)
    churn_reasons: list[tuple[str, ...]]
    ageing: np.ndarray  # accounts x (not yet due, then the five overdue buckets)
    fitted: dict[str, object]
    concentration: dict[str, object]


def compute_figures(
    table: readers.AccountTable, *, as_of: dt.date, config: PortfolioSettings, progress: Progress
) -> Figures:
    n = table.ids.size
    period = Period(as_of, config.fiscal_year_start_month)
    progress("aggregates")
    windows = readers.revenue_windows(table, period.windows())
    revenue, cost = windows.revenue["last_12m"], windows.cost["last_12m"]
    margin = revenue - cost
    margin_rate = customer_base.margin_rates(revenue, cost)
    progress("purchase models")
    days = readers.purchase_days(table, until=as_of)
    history = customer_base.prepare(days.account_codes, days.days, days.revenue, n=n, as_of=as_of)
    purchases = purchase_figures(history, config=config, margin_rate=margin_rate)
    progress("pareto and tiers")
    abc_revenue = pareto.abc_classify(
        revenue, float(config.abc_a_cutoff), float(config.abc_b_cutoff)
    )
    abc_profit = pareto.abc_classify(margin, float(config.abc_a_cutoff), float(config.abc_b_cutoff))
    proposed = tier_proposals(table, windows, config)
    progress("loyalty and matrices")
    wallet = readers.latest_wallets(table, until_year=as_of.year)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_of_wallet = np.where(wallet > 0, np.clip(revenue / wallet, 0.0, 1.0), np.nan)
    regularity = history.regularity
    felt = hooks.satisfaction(table.ids, as_of)
    preference = loyalty.preference_axis(share_of_wallet, felt.level if felt else None)
    repeat = loyalty.repeat_axis(windows.active_months_12m / 12.0, regularity.gap_cv)
    loyalty_type = loyalty.loyalty_types(
        preference,
        repeat,
        preference_cut=float(config.loyalty_preference_cut),
        repeat_cut=float(config.loyalty_repeat_cut),
    )
    loyalty_score = np.nanmean(np.vstack([preference, repeat]), axis=0) if n else _nan(0)
    fixed = MatrixCut.FIXED
    sales_profit = quadrants.classify(
        quadrants.SALES_PROFIT,
        revenue,
        margin,
        x_cut=float(config.sales_profit_revenue_cut) if config.sales_profit_cut == fixed else None,
        y_cut=float(config.sales_profit_margin_cut) if config.sales_profit_cut == fixed else None,
    )
    # "Loyal" on this matrix is read against the loyalty types' own cuts (their mean), not the
    # portfolio's median: an account of no loyalty (low/low) is never shown as loyal here, a
    # premium-loyal one (high/high) always is.
    loyal_from = (float(config.loyalty_preference_cut) + float(config.loyalty_repeat_cut)) / 2
    volume_loyalty = quadrants.classify(
        quadrants.VOLUME_LOYALTY,
        revenue,
        loyalty_score,
        x_cut=(
            float(config.volume_loyalty_revenue_cut) if config.volume_loyalty_cut == fixed else None
        ),
        y_cut=loyal_from,
    )
    attractiveness, coverage = _weighted_score(readers.score_matrix(table, "attractiveness"))
    strength, _strength_coverage = _weighted_score(
        strength_scores(
            table, share_of_wallet=share_of_wallet, as_of=as_of, csat=felt.csat if felt else None
        )
    )
    portfolio_matrix = quadrants.classify(
        quadrants.PORTFOLIO,
        strength,
        attractiveness,
        x_cut=float(config.portfolio_strength_cut) if config.portfolio_cut == fixed else None,
        y_cut=(
            float(config.portfolio_attractiveness_cut) if config.portfolio_cut == fixed else None
        ),
    )
    progress("portfolio analysis")
    trend = portfolio.trend_forecast(
        np.vstack([windows.revenue["before_12m"], windows.revenue["prev_12m"], revenue]).T
    )
    model_revenue = np.vstack(
        [
            purchases.expected_12m * purchases.expected_spend,
            purchases.expected_12_24m * purchases.expected_spend,
        ]
    ).T
    forecast = portfolio.blend_forecasts(trend, model_revenue, float(config.forecast_model_weight))
    direct, indirect = readers.costs_to_serve(table, year=as_of.year - 1)
    contribution = portfolio.net_contribution(
        windows.revenue["fy1"], windows.cost["fy1"] + direct, indirect
    )
    net_value = net_customer_value(
        purchases.clv,
        purchases.p_alive,
        direct + indirect,
        horizon_months=config.clv_horizon_months,
        annual_discount_rate=float(config.discount_rate),
    )
    # The forecast years cost what last year did: goods at the last 12 months' cost rate,
    # serving at last year's cost to serve.
    direct_2, indirect_2 = readers.costs_to_serve(table, year=as_of.year - 2)
    direct_0, indirect_0 = readers.costs_to_serve(table, year=as_of.year)
    cost_rate = np.where(revenue > 0, cost / np.where(revenue > 0, revenue, 1.0), 0.0)
    next_1, next_2 = forecast.revenue[:, 0], forecast.revenue[:, 1]
    fy = [windows.revenue[name] for name in ("fy2", "fy1", "fy0")]
    fy_cost = [windows.cost[name] for name in ("fy2", "fy1", "fy0")]
    analysis = portfolio_analysis_rows(
        [*fy, next_1, next_2],
        [*fy_cost, next_1 * cost_rate, next_2 * cost_rate],
        [direct_2, direct, direct_0, direct, direct],
        [indirect_2, indirect, indirect_0, indirect, indirect],
    )
    progress("receivables and churn")
    invoices = readers.open_invoices(table, as_of=as_of)
    today = np.datetime64(as_of)
    overdue_days = (today - invoices.due_date).astype("timedelta64[D]").astype(np.int64)
    ageing = receivables.ageing(invoices.account_codes, invoices.open_amount, overdue_days, n)
    ar_open = np.clip(ageing.total - readers.unallocated_payments(table, as_of=as_of), 0.0, None)
    ar_year_ago = readers.receivables_at(table, day=as_of - dt.timedelta(days=365))
    risk = customer_base.churn_risk(
        purchases.p_alive,
        history,
        overdue_share_change=readers.overdue_share_change(table, invoices, as_of),
        satisfaction_change=felt.change if felt else None,
    )
    revenue_concentration = pareto.concentration(revenue)
    profit_concentration = pareto.concentration(margin)
    columns: dict[str, np.ndarray] = {
        "revenue_12m": revenue,
        "cost_12m": cost,
        "revenue_prev_12m": windows.revenue["prev_12m"],
        "revenue_year_2": windows.revenue["fy2"],
        "revenue_year_1": windows.revenue["fy1"],
        "revenue_year_0": windows.revenue["fy0"],
        "forecast_year_1": forecast.revenue[:, 0],
        "forecast_year_2": forecast.revenue[:, 1],
        "direct_cost": direct,
        "indirect_cost": indirect,
        "net_contribution": contribution.net_contribution,
        "abc_revenue": abc_revenue.abc_class,
        "abc_profit": abc_profit.abc_class,
        "revenue_rank": abc_revenue.rank.astype(float),
        "revenue_cumulative_share": abc_revenue.cumulative_share,
        "tier": table.tier,
        "tier_proposed": proposed,
        "purchase_days": regularity.purchase_days.astype(float),
        "frequency": np.nan_to_num(purchases.frequency, nan=0.0),
        "recency_weeks": purchases.recency_weeks,
        "age_weeks": purchases.age_weeks,
        "p_alive": purchases.p_alive,
        "expected_purchases_12m": purchases.expected_12m,
        "expected_spend": purchases.expected_spend,
        "clv": purchases.clv,
        "clv_net": net_value,
        "share_of_wallet": share_of_wallet,
        "mean_gap_days": regularity.mean_gap,
        "gap_cv": regularity.gap_cv,
        "loyalty_preference": preference,
        "loyalty_repeat": repeat,
        "loyalty_type": loyalty_type,
        "sales_profit_quadrant": sales_profit.code,
        "volume_loyalty_quadrant": volume_loyalty.code,
        "attractiveness": attractiveness,
        "attractiveness_coverage": coverage,
        "relative_strength": strength,
        "portfolio_quadrant": portfolio_matrix.code,
        "days_since_last_purchase": history.days_since_last,
        "churn_level": risk.level,
        "ar_open": ar_open,
        "ar_overdue": ageing.total - ageing.not_yet_due,
        "dso_days": receivables.days_sales_outstanding(ar_open, revenue, 365.0),
        "ar_turnover": receivables.receivables_turnover(revenue, ar_year_ago, ar_open),
        "credit_limit_use": receivables.credit_limit_use(ar_open, table.credit_limit),
    }
    return Figures(
        columns=columns,
        analysis=analysis,
        churn_reasons=risk.reasons,
        ageing=np.column_stack([ageing.not_yet_due, ageing.buckets]),
        fitted={
            **purchases.fitted,
            "forecast_method": forecast.method,
            # Where each matrix was cut (the median's value when cut at the median).
            "matrix_cuts": {
                name: [_finite(result.x_cut), _finite(result.y_cut)]
                for name, result in (
                    ("sales_profit", sales_profit),
                    ("volume_loyalty", volume_loyalty),
                    ("portfolio", portfolio_matrix),
                )
            },
        },
        concentration={
            "revenue": _concentration_dict(revenue_concentration),
            "profit": _concentration_dict(profit_concentration),
            "abc_revenue_counts": {
                c: int(np.count_nonzero(abc_revenue.abc_class == c)) for c in "ABC"
            },
        },
    )


def _finite(value: float) -> float | None:
    return float(value) if np.isfinite(value) else None


def _concentration_dict(figures: pareto.Concentration) -> dict[str, float]:
    return {
        "top_share": figures.top_share,
        "top_fraction": figures.top_fraction,
        "gini": figures.gini,
        "hhi": figures.hhi,
        "customers": figures.customers,
    }


MONEY_FIELDS = {
    f.name for f in AccountSnapshot._meta.concrete_fields if f.get_internal_type() == "DecimalField"
}
# Money the models could not estimate is unknown (NULL), not zero.
UNKNOWN_MONEY = {"expected_spend", "clv", "clv_net"}
INT_FIELDS = {"revenue_rank", "purchase_days", "frequency", "days_since_last_purchase"}


def _snapshot_column(name: str, values: np.ndarray) -> np.ndarray:
    """One figure as the column the database stores: money to the cent, counts whole, NaN as
    NULL (or 0 for money that is a sum of nothing)."""
    if values.dtype.kind in "US":
        return values
    numbers = values.astype(np.float64)
    known = np.isfinite(numbers)
    if name in MONEY_FIELDS:
        numbers = np.round(numbers, 2)
        if name not in UNKNOWN_MONEY:
            return np.where(known, numbers, 0.0)
    elif name in INT_FIELDS:
        return nullable(np.rint(np.where(known, numbers, 0.0)).astype(np.int64), known)
    return nullable(numbers, known)


def _store_snapshots(table: readers.AccountTable, figures: Figures, run: PortfolioRun) -> int:
    """Every account's snapshot in one bulk write (executemany on SQLite, COPY on PostgreSQL):
    no model instance per account. Fields the refresh does not compute take their defaults."""
    reasons = [json.dumps(list(r), ensure_ascii=False) for r in figures.churn_reasons]
    labels = (receivables.NOT_DUE_LABEL, *receivables.BUCKET_LABELS)
    ageing = [json.dumps(dict(zip(labels, row, strict=True))) for row in figures.ageing.tolist()]
    columns: dict[str, Column] = {
        "run_id": Const(run.pk),
        "account_id": table.ids,
        "as_of": Const(run.as_of.isoformat()),
        "forecast_method": Const(str(figures.fitted["forecast_method"])),
        "churn_reasons": reasons,
        "ar_ageing": ageing,
        "portfolio_analysis": figures.analysis,
    }
    for name, values in figures.columns.items():
        columns[name] = _snapshot_column(name, values)
    for snapshot_field in AccountSnapshot._meta.concrete_fields:
        if snapshot_field.column not in columns and not snapshot_field.primary_key:
            columns[str(snapshot_field.column)] = Const(_default_cell(snapshot_field))
    return BulkWriter(connection).insert(AccountSnapshot._meta.db_table, columns)


def _default_cell(model_field: Field[Any, Any]) -> str | int | float | bool | None:
    default = model_field.get_default()
    if model_field.get_internal_type() == "JSONField":
        return json.dumps(default)
    if default is None or isinstance(default, str | int | float | bool):
        return default
    return str(model_field.get_db_prep_save(default, connection))


def portfolio_refresh(
    *,
    as_of: dt.date | None = None,
    user: User | None = None,
    progress: Progress | None = None,
) -> PortfolioRun:
    """Recompute every account's figures as of a date and store them as that date's snapshot."""
    as_of = as_of or timezone.localdate()
    say = progress or (lambda _step: None)
    config = PortfolioSettings.current()
    started = time.perf_counter()
    table = readers.account_table()
    if as_of < timezone.localdate():
        table = readers.as_of(table, as_of)  # the tiers of that date, not today's
    figures = compute_figures(table, as_of=as_of, config=config, progress=say)
    say("saving")
    with transaction.atomic():
        run = PortfolioRun.objects.create(
            as_of=as_of,
            started_by=user,
            accounts=table.ids.size,
            parameters=_settings_dict(config),
            models_fitted=figures.fitted,
            concentration=figures.concentration,
        )
        AccountSnapshot.objects.filter(as_of=as_of).delete()
        _store_snapshots(table, figures, run)
        run.status = PortfolioRun.Status.DONE
        run.finished_at = timezone.now()
        run.models_fitted = {
            **figures.fitted,
            "tier_changes": int(np.count_nonzero(figures.columns["tier_proposed"] != table.tier)),
            "seconds": round(time.perf_counter() - started, 3),
        }
        run.save(update_fields=["status", "finished_at", "models_fitted"])
    return run


def _settings_dict(config: PortfolioSettings) -> dict[str, object]:
    skip = {"id", "created_at", "updated_at"}
    return {
        f.name: str(getattr(config, f.name))
        for f in PortfolioSettings._meta.concrete_fields
        if f.name not in skip
    }
