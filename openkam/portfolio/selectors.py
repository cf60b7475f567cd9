"""Reads of the portfolio refresh's results for the pages: an account's latest snapshot and its
trend, the latest snapshot's figures as list annotations, and the home page's summary.

"Latest" is by snapshot date (as_of), not by when a run started: a back-filled refresh of an
earlier date never hides a newer one. Every read here takes the accounts the user may see, so
the figures of other accounts never reach a page, not even as a count.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    DecimalField,
    Exists,
    Field,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.analytics import pareto
from openkam.analytics.receivables import BUCKET_LABELS
from openkam.portfolio.forecast import RevenueForecast, revenue_forecast
from openkam.portfolio.labels import ABC_CLASSES, CHURN_ORDER
from openkam.portfolio.models import AccountSnapshot, PortfolioRun, PurchaseModel, TierProposal
from openkam.portfolio.services import ANALYSIS_COLUMNS

Trend = dict[str, list[Any]]  # chart series by name, as json_script serialises them
MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Decimal("0")


# --- The account page ---------------------------------------------------------------------


@dataclass(frozen=True)
class AgeingBucket:
    label: str
    amount: Decimal
    share: float | None  # of the overdue amount


@dataclass(frozen=True)
class AnalysisRow:
    key: str  # revenue, cost_of_goods, direct_cost, indirect_cost, net_contribution
    label: str
    values: list[Decimal | None]


def analysis_rows(snapshot: AccountSnapshot) -> list[AnalysisRow]:
    stored = snapshot.portfolio_analysis or {}
    if not stored:
        return []
    labels = {
        "revenue": _("Revenue"),
        "cost_of_goods": _("− Cost of goods sold"),
        "direct_cost": _("− Direct cost to serve"),
        "indirect_cost": _("− Indirect cost to serve"),
        "net_contribution": _("= Net contribution"),
    }
    rows = []
    for key, label in labels.items():
        values = [stored.get(column, {}).get(key) for column in ANALYSIS_COLUMNS]
        row = [None if v is None else Decimal(str(v)) for v in values]
        if key == "revenue":
            # The forecast years' revenue as every page reads it (forecast.revenue_forecast).
            forecast = revenue_forecast(snapshot)
            assert forecast is not None
            row[-2:] = [forecast.next_year, forecast.year_after]
        rows.append(AnalysisRow(key, str(label), row))
    return rows


@dataclass(frozen=True)
class AccountAnalysis:
    """The latest snapshot of one account, what it is compared with, and its trend."""

    snapshot: AccountSnapshot
    open_proposal: TierProposal | None
    trend: Trend | None
    year_labels: tuple[str, str, str, str, str]  # two years ago .. the year after next

    @property
    def run(self) -> PortfolioRun:
        return self.snapshot.run

    @property
    def purchase_model(self) -> str:
        code = str(self.run.models_fitted.get("purchase_model", ""))
        return str(PurchaseModel(code).label) if code in PurchaseModel.values else ""

    @property
    def clv_horizon_months(self) -> int | None:
        value = self.run.parameters.get("clv_horizon_months")
        return int(value) if value else None

    @property
    def discount_rate(self) -> float | None:
        value = self.run.parameters.get("discount_rate")
        return float(value) if value else None

    @property
    def growth(self) -> float | None:
        """Revenue of the last 12 months against the 12 months before."""
        before = self.snapshot.revenue_prev_12m
        return float(self.snapshot.revenue_12m / before - 1) if before else None

    @property
    def cost_of_goods_last_year(self) -> Decimal:
        """What net contribution takes off last year's revenue besides the costs to serve."""
        s = self.snapshot
        return s.revenue_year_1 - s.direct_cost - s.indirect_cost - s.net_contribution

    @property
    def ageing(self) -> list[AgeingBucket]:
        amounts = [Decimal(str(self.snapshot.ar_ageing.get(label, 0))) for label in BUCKET_LABELS]
        total = sum(amounts, ZERO)
        return [
            AgeingBucket(label, amount, float(amount / total) if total else None)
            for label, amount in zip(BUCKET_LABELS, amounts, strict=True)
        ]

    @property
    def analysis_rows(self) -> list[AnalysisRow]:
        """The portfolio analysis (组合分析) by line, each with the five columns; empty for a
        snapshot stored before the refresh kept every column."""
        return analysis_rows(self.snapshot)

    @property
    def clv_cost_to_serve(self) -> Decimal | None:
        """What serving the account takes off its CLV (the CLV less the net value)."""
        s = self.snapshot
        return None if s.clv is None or s.clv_net is None else s.clv - s.clv_net

    @property
    def forecast(self) -> RevenueForecast:
        forecast = revenue_forecast(self.snapshot)
        assert forecast is not None
        return forecast

    @property
    def tier_changes(self) -> bool:
        return self.snapshot.tier != self.snapshot.tier_proposed


def latest_snapshot(account: Account) -> AccountSnapshot | None:
    return (
        AccountSnapshot.objects.filter(account_id=account.pk)
        .select_related("run", "run__started_by")
        .order_by("-as_of")
        .first()
    )


def snapshot_trend(account: Account) -> Trend | None:
    """P(alive) in %, revenue of the last 12 months and CLV at every snapshot date, oldest
    first; None when there is nothing to draw (fewer than two dates)."""
    rows = list(
        AccountSnapshot.objects.filter(account_id=account.pk)
        .order_by("as_of")
        .values_list("as_of", "p_alive", "revenue_12m", "clv")
    )
    if len(rows) < 2:
        return None
    return {
        "dates": [as_of.isoformat() for as_of, *_ in rows],
        "p_alive": [None if p is None else round(p * 100, 1) for _, p, _r, _c in rows],
        "revenue": [round(float(revenue), 2) for _, _p, revenue, _c in rows],
        "clv": [None if clv is None else round(float(clv), 2) for *_, clv in rows],
    }


def open_tier_proposal(account: Account) -> TierProposal | None:
    """The account's proposal awaiting a decision, else the latest one the general manager
    decided in a tier review (what changed its tier, or why not); one query either way."""
    waiting = Q(status=TierProposal.Status.PROPOSED)
    decided = Q(
        review__isnull=False,
        status__in=[TierProposal.Status.APPROVED, TierProposal.Status.REJECTED],
    )
    return (
        TierProposal.objects.filter(waiting | decided, account_id=account.pk)
        .select_related("run", "review", "decided_by")
        .order_by(
            Case(When(waiting, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "-decided_at",
        )
        .first()
    )


def fiscal_year_labels(as_of: dt.date, start_month: int) -> tuple[str, str, str, str, str]:
    """Names of the fiscal years the snapshot reports: two years ago, last year, this year,
    next year and the year after ("2025", or "2025/26" when the year starts after January)."""
    current = as_of.year - (as_of.month < start_month)
    years = [current + offset for offset in (-2, -1, 0, 1, 2)]
    if start_month == 1:
        labels = [str(year) for year in years]
    else:
        labels = [f"{year}/{(year + 1) % 100:02d}" for year in years]
    return (labels[0], labels[1], labels[2], labels[3], labels[4])


def account_analysis(account: Account) -> AccountAnalysis | None:
    """The account's latest analysis: three queries, one when it has never been analysed."""
    snapshot = latest_snapshot(account)
    if snapshot is None:
        return None
    start_month = int(snapshot.run.parameters.get("fiscal_year_start_month", 1) or 1)
    return AccountAnalysis(
        snapshot=snapshot,
        open_proposal=open_tier_proposal(account),
        trend=snapshot_trend(account),
        year_labels=fiscal_year_labels(snapshot.as_of, start_month),
    )


# --- The account list ---------------------------------------------------------------------


def _latest(field: str, output_field: Field[Any, Any] | None = None) -> Subquery:
    newest = AccountSnapshot.objects.filter(account_id=OuterRef("pk")).order_by("-as_of")
    return Subquery(newest.values(field)[:1], output_field=output_field)


def with_latest_figures(
    accounts: QuerySet[Account], *, churn: str = "", abc: str = "", open_proposal: bool = False
) -> QuerySet[Account]:
    """`accounts` annotated with their latest snapshot's ABC class, churn level (and its rank,
    most urgent first) and CLV, None where never analysed; kept when they match the churn
    level, the ABC class and, if asked, have a tier proposal awaiting a decision. Correlated
    subqueries on the (account, as_of) index: the list stays one query however many rows."""
    churn_rank = Case(
        *[When(churn_level=level, then=Value(rank)) for rank, level in enumerate(CHURN_ORDER)],
        default=None,
        output_field=IntegerField(),
    )
    ranked = AccountSnapshot.objects.filter(account_id=OuterRef("pk")).order_by("-as_of")
    annotated = accounts.annotate(
        snapshot_abc=_latest("abc_revenue"),
        snapshot_churn=_latest("churn_level"),
        snapshot_churn_rank=Subquery(
            ranked.annotate(rank=churn_rank).values("rank")[:1], output_field=IntegerField()
        ),
        snapshot_clv=_latest("clv", MONEY),
    )
    if churn:
        annotated = annotated.filter(snapshot_churn=churn)
    if abc:
        annotated = annotated.filter(snapshot_abc=abc)
    if open_proposal:
        waiting = TierProposal.objects.filter(
            account_id=OuterRef("pk"), status=TierProposal.Status.PROPOSED
        )
        annotated = annotated.filter(Exists(waiting))
    return annotated


# --- The home page ------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassCount:
    abc_class: str
    count: int


@dataclass(frozen=True)
class PortfolioSummary:
    """The latest refresh seen through the user's accounts."""

    run: PortfolioRun
    accounts: int  # the user's accounts in that refresh
    abc_counts: list[ClassCount]
    high_churn: int
    open_proposals: int
    concentration: dict[str, float]  # top_share, top_fraction, gini, hhi, customers
    whole_portfolio: bool  # the concentration is the company's (the user sees every account)


def latest_run() -> PortfolioRun | None:
    return (
        PortfolioRun.objects.filter(status=PortfolioRun.Status.DONE)
        .order_by("-as_of", "-started_at")
        .first()
    )


def portfolio_summary(accounts: QuerySet[Account], *, sees_all: bool) -> PortfolioSummary | None:
    """Counts of the latest refresh over `accounts`; three queries (four when the user sees
    only part of the portfolio: the concentration is then computed over their accounts, as
    the company-wide figure would describe accounts they may not see)."""
    run = latest_run()
    if run is None:
        return None
    snapshots = AccountSnapshot.objects.filter(run=run, account_id__in=accounts.values("pk"))
    counts = snapshots.aggregate(
        total=Count("pk"),
        high_churn=Count("pk", filter=Q(churn_level="high")),
        **{f"abc_{c}": Count("pk", filter=Q(abc_revenue=c)) for c in ABC_CLASSES},
    )
    proposals = TierProposal.objects.filter(
        status=TierProposal.Status.PROPOSED, account_id__in=accounts.values("pk")
    ).count()
    if sees_all:
        concentration = dict(run.concentration.get("revenue", {}))
    else:
        revenue = [float(value) for value in snapshots.values_list("revenue_12m", flat=True)]
        figures = pareto.concentration(revenue)
        concentration = {
            "top_share": figures.top_share,
            "top_fraction": figures.top_fraction,
            "gini": figures.gini,
            "hhi": figures.hhi,
            "customers": figures.customers,
        }
    return PortfolioSummary(
        run=run,
        accounts=counts["total"],
        abc_counts=[ClassCount(c, counts[f"abc_{c}"]) for c in ABC_CLASSES],
        high_churn=counts["high_churn"],
        open_proposals=proposals,
        concentration=concentration,
        whole_portfolio=sees_all,
    )
