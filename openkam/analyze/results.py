"""What an analysis produces: the options it ran with and every figure, as frozen records.

The pipeline fills them; the outputs (JSON, workbook, report, console) only read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from openkam.analytics import pareto
from openkam.analytics.base import FloatArray

# The model names are the customer-base analysis's own, re-exported for the outputs.
from openkam.analytics.customer_base import BGNBD as BGNBD
from openkam.analytics.customer_base import GAMMA_GAMMA as GAMMA_GAMMA
from openkam.analytics.customer_base import PARETO_NBD as PARETO_NBD
from openkam.analytics.customer_base import PURCHASE_MODELS as PURCHASE_MODELS
from openkam.analytics.rfm import TimeUnit

PurchaseModelName = Literal["bgnbd", "pareto_nbd"]


@dataclass(frozen=True)
class AnalysisOptions:
    time_unit: TimeUnit = "week"
    calibration_end: dt.date | None = None
    annual_discount_rate: float = 0.10
    horizon_months: int = 12
    margin: float | None = None  # None: from the cost column when there is one, else 1.0
    key_threshold: float = 20_000_000.0
    major_threshold: float = 5_000_000.0
    key_requires_leader: bool = True
    purchase_model: PurchaseModelName = BGNBD  # drives P(alive), CLV and churn
    abc_a_cutoff: float = 0.80
    abc_b_cutoff: float = 0.95
    top_fraction: float = 0.20


@dataclass(frozen=True)
class ModelReport:
    name: str
    params: dict[str, float] = field(default_factory=dict)
    standard_errors: dict[str, float] = field(default_factory=dict)
    log_likelihood: float | None = None
    n_customers: float = 0.0
    n_iter: int | None = None
    seconds: float = 0.0
    error: str | None = None


@dataclass(frozen=True)
class Note:
    """Something the reader must know, as a code and its figures (the outputs word it)."""

    code: str
    params: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class DataCounts:
    rows: int
    customers: int
    cohort_customers: int
    purchase_days: int
    repeat_purchase_days: int
    return_days: int
    rows_after_calibration: int
    customers_after_calibration: int
    rows_without_cost: int


@dataclass(frozen=True)
class TierSummary:
    counts: dict[str, int]
    key_threshold: float
    major_threshold: float
    key_requires_leader: bool
    key_on_sales_alone: int
    annualisation: float  # factor applied to the revenue of the last 365 days
    days_covered: int


@dataclass(frozen=True)
class LoyaltySummary:
    high_repeat: int
    low_repeat: int
    unknown: int
    median_gap_cv: float
    median_mean_gap_days: float
    months_covered: int


@dataclass(frozen=True)
class ChurnSummary:
    counts: dict[str, int]
    reasons: dict[str, int]


@dataclass(frozen=True)
class FrequencyGroup:
    label: str  # "0" ... "6", "7+"
    customers: int
    actual_mean: float
    expected_mean: dict[str, float]  # model -> mean expected holdout purchases


@dataclass(frozen=True)
class Tracking:
    """Cumulative repeat purchases of the cohort, actual and expected (FHL 2005, figure 2)."""

    dates: list[dt.date]
    actual: FloatArray
    expected: dict[str, FloatArray]


@dataclass(frozen=True)
class HoldoutSummary:
    start: dt.date  # first day after the calibration end
    end: dt.date
    length: float  # in time units
    actual_total: float
    expected_total: dict[str, float]
    by_frequency: list[FrequencyGroup]
    tracking: Tracking


@dataclass(frozen=True)
class AnalysisResult:
    options: AnalysisOptions
    as_of: dt.date
    first_date: dt.date
    last_date: dt.date
    counts: DataCounts
    customers: dict[str, np.ndarray]  # column -> one value per customer, sorted by id
    models: dict[str, ModelReport]
    primary_model: str | None
    margin_source: str  # "option", "cost" or "default"
    overall_margin: float
    concentration: dict[str, pareto.Concentration]  # "revenue" and, with cost, "profit"
    abc_counts: dict[str, dict[str, int]]
    pareto_curves: dict[str, tuple[FloatArray, FloatArray]]
    p_alive_histogram: tuple[FloatArray, NDArray[np.int64]]  # bin edges, counts
    tiers: TierSummary
    loyalty: LoyaltySummary
    churn: ChurnSummary
    holdout: HoldoutSummary | None
    notes: list[Note]

    @property
    def has_cost(self) -> bool:
        return "profit" in self.concentration
