"""Reads of the tier review: the reviews, one review's proposals (filtered, counted by
status), and the evidence of one proposal on one screen. The evidence is what the portfolio
already computed and the account page shows (portfolio.selectors.account_analysis,
portfolio.scoring.account_scorecard): nothing is recomputed here in another way."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from openkam.accounts.models import Account
from openkam.analytics.portfolio import growth_potential
from openkam.common.errors import NotFound
from openkam.governance.models import StrategicDesignation
from openkam.governance.permissions import require_read
from openkam.portfolio.models import (
    AccountSnapshot,
    PortfolioSettings,
    ScoringCriterion,
    TierProposal,
    TierReview,
    TierServiceLevel,
)
from openkam.portfolio.scoring import Scorecard, scorecard_of
from openkam.portfolio.selectors import AccountAnalysis, fiscal_year_labels
from openkam.team.models import User

# The share of the customer's category spend worth aiming at (growth potential's target).
TARGET_SHARE_OF_WALLET = 0.5
BUYING_KEY = "strategic_buying"  # the scorecard criterion on buying orientation
PROPOSED = TierProposal.Status.PROPOSED
# What the evidence shows of the latest snapshot and what its figures are computed from
# (the forecast, growth potential, the measured strength, the stored position).
EVIDENCE_SNAPSHOT = (
    "id", "run", "account", "as_of", "portfolio_analysis", "forecast_year_1", "forecast_year_2",
    "forecast_method", "expected_purchases_12m", "revenue_12m", "share_of_wallet", "clv",
    "clv_net", "p_alive", "abc_revenue", "sales_profit_quadrant", "volume_loyalty_quadrant",
    "attractiveness", "attractiveness_coverage", "relative_strength", "portfolio_quadrant",
)  # fmt: skip


# The refresh's fitted models and parameters (JSON, large): no review page shows them.
RUN_DETAILS = ("run__parameters", "run__models_fitted", "run__concentration", "run__error")
# What a row of the review's proposals shows (its account's name, the KAM, who decided).
PERSON = ("id", "username", "first_name", "last_name", "display_name")
HISTORY_USER = tuple(f"history_user__{name}" for name in PERSON)
# What a proposal's page shows of it, its review and its account (the scorecard's measured
# strength reads the account's relationship stage and customer-since date).
SHOWN = (
    *(f.name for f in TierProposal._meta.concrete_fields),
    "review__id", "review__year", "review__status",
    "account__id", "account__legal_name", "account__short_name", "account__is_strategic",
    "account__relationship_stage", "account__customer_since", "account__owner",
    "account__team__id", "account__team__name", *(f"account__owner__{name}" for name in PERSON),
    *(f"decided_by__{name}" for name in PERSON), *(f"proposed_by__{name}" for name in PERSON),
)  # fmt: skip
LISTED = (
    *(f.name for f in TierProposal._meta.concrete_fields),
    "account__id", "account__legal_name", "account__short_name", "account__owner",
    *(f"account__owner__{name}" for name in PERSON), *(f"decided_by__{name}" for name in PERSON),
)  # fmt: skip


def _proposals_counted(status: str | None = None) -> Subquery:
    """The review's proposals (of one status) counted in a subquery: a join and GROUP BY over
    the review's columns would carry the refresh's JSON through a temporary b-tree."""
    rows = TierProposal.objects.filter(review=OuterRef("pk"))
    if status is not None:
        rows = rows.filter(status=status)
    counted = rows.order_by().values("review").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)  # type: ignore[return-value]


def reviews_for(user: User) -> QuerySet[TierReview]:
    require_read(user)
    return (
        TierReview.objects.select_related("opened_by", "submitted_by", "run")
        .defer(*RUN_DETAILS)
        .annotate(total=_proposals_counted(), waiting=_proposals_counted(PROPOSED))
    )


def review_for(user: User, pk: int) -> TierReview:
    review = reviews_for(user).filter(pk=pk).first()
    if review is None:
        raise NotFound("No tier review with this ID.")
    return review


def review_shown(user: User, pk: int) -> TierReview:
    """review_for without the counts (the review's page counts its proposals once, by status
    and tier: proposal_tally) and, of its refresh, only the date the page names."""
    require_read(user)
    found = TierReview.objects.select_related("run").only(
        *(f.name for f in TierReview._meta.concrete_fields), "run__id", "run__as_of"
    )
    review = found.filter(pk=pk).first()
    if review is None:
        raise NotFound("No tier review with this ID.")
    return review


def current_review() -> TierReview | None:
    """The review not closed yet (at most one), else None."""
    return TierReview.objects.exclude(status=TierReview.Status.CLOSED).order_by("-year").first()


def proposals_of(review: TierReview, *, status: str = "", tier: str = "") -> QuerySet[TierProposal]:
    proposals = review.proposals.select_related("account", "account__owner", "decided_by")
    if status:
        proposals = proposals.filter(status=status)
    if tier:
        proposals = proposals.filter(proposed_tier=tier)
    return proposals


def proposals_listed(
    review: TierReview, *, status: str = "", tier: str = ""
) -> QuerySet[TierProposal]:
    """proposals_of with only the columns the review's list shows: sorting a page of 25 among
    thousands of proposals then carries narrow rows, not every column of their accounts."""
    return proposals_of(review, status=status, tier=tier).only(*LISTED)


def status_counts(review: TierReview) -> dict[str, int]:
    return Tally(proposal_tally(review)).by_status()


def proposal_tally(review: TierReview) -> dict[tuple[str, str], int]:
    """The review's proposals counted by status and proposed tier in one GROUP BY: the
    review's page takes its status counts and its filtered list's count from it."""
    rows = review.proposals.order_by().values_list("status", "proposed_tier")
    return {(status, tier): n for status, tier, n in rows.annotate(n=Count("pk"))}


@dataclass(frozen=True)
class Tally:
    counts: dict[tuple[str, str], int]  # (status, proposed tier) -> proposals

    def by_status(self) -> dict[str, int]:
        found = {status: 0 for status in TierProposal.Status.values}
        for (status, _tier), n in self.counts.items():
            found[status] = found.get(status, 0) + n
        return found

    def matching(self, *, status: str = "", tier: str = "") -> int:
        """How many proposals_of(review, status=..., tier=...) lists."""
        return sum(
            n
            for (row_status, row_tier), n in self.counts.items()
            if status in ("", row_status) and tier in ("", row_tier)
        )


def _proposal(user: User, pk: int, *columns: str) -> TierProposal:
    require_read(user)
    found = TierProposal.objects.select_related(
        "review", "account", "account__owner", "account__team", "decided_by", "proposed_by"
    )
    if columns:
        found = found.only(*columns)
    proposal = found.filter(pk=pk, review__isnull=False).first()
    if proposal is None:
        raise NotFound("No tier proposal with this ID.")
    return proposal


def proposal_for(user: User, pk: int) -> TierProposal:
    """The proposal with its review and account whole: what the services write on."""
    return _proposal(user, pk)


def proposal_shown(user: User, pk: int) -> TierProposal:
    """The proposal with only the columns its page shows (and its evidence reads of the
    account): the account's and the review's rows are wide and the page reads a few."""
    return _proposal(user, pk, *SHOWN)


def account_history(account: Account, limit: int = 10) -> list[Any]:
    """The account's history entries that name why (a review's decision, a designation),
    newest first, with only the columns the page shows of them."""
    entries = account.history.filter(history_change_reason__isnull=False).exclude(
        history_change_reason=""
    )
    shown = ("history_id", "history_date", "history_change_reason", "tier", "history_user")
    return list(entries.select_related("history_user").only(*shown, *HISTORY_USER)[:limit])


@dataclass(frozen=True)
class Growth:
    headroom: Decimal | None  # revenue still to win up to TARGET_SHARE_OF_WALLET
    years: float | None  # at the forecast growth; inf when not growing


@dataclass(frozen=True)
class Evidence:
    analysis: AccountAnalysis | None
    scorecard: Scorecard
    growth: Growth
    buying: str  # "strategic", "transactional", "mixed" or "" (not scored)


def _growth(analysis: AccountAnalysis | None) -> Growth:
    """growth_potential() on the snapshot's own figures: the wallet the refresh read (revenue
    over share of wallet) and the forecast growth of next year over the last 12 months."""
    if analysis is None:
        return Growth(None, None)
    s = analysis.snapshot
    revenue = float(s.revenue_12m)
    if not s.share_of_wallet or revenue <= 0:
        return Growth(None, None)
    wallet = revenue / s.share_of_wallet
    rate = float(s.forecast_year_1) / revenue - 1.0
    result = growth_potential([revenue], [wallet], [rate], target_share=TARGET_SHARE_OF_WALLET)
    headroom = float(result.headroom[0])
    return Growth(Decimal(str(round(headroom, 2))), float(result.years_to_reach[0]))


def _buying(scorecard: Scorecard) -> str:
    for row in scorecard.attractiveness:
        if row.criterion.key == BUYING_KEY and row.effective is not None:
            score = row.effective
            return "strategic" if score >= 4 else "transactional" if score <= 2 else "mixed"
    return ""


def _latest_snapshot(account: Account) -> AccountSnapshot | None:
    return (
        AccountSnapshot.objects.filter(account_id=account.pk)
        .select_related("run")
        .only(*EVIDENCE_SNAPSHOT, "run__id", "run__parameters", "run__models_fitted")
        .order_by("-as_of")
        .first()
    )


def proposal_evidence(proposal: TierProposal) -> Evidence:
    """The account's latest analysis and scorecard as the account page computes them, from one
    read of the latest snapshot (only the columns shown or needed) and one of the criteria
    with the account's scores. The page shows neither the account's open proposal (it is the
    proposal) nor the snapshots' trend: they are not read."""
    account = proposal.account
    snapshot = _latest_snapshot(account)
    analysis = None
    if snapshot is not None:
        start_month = int(snapshot.run.parameters.get("fiscal_year_start_month", 1) or 1)
        labels = fiscal_year_labels(snapshot.as_of, start_month)
        analysis = AccountAnalysis(snapshot, open_proposal=None, trend=None, year_labels=labels)
    scorecard = scorecard_of(account, snapshot, who_scored=False)
    return Evidence(analysis, scorecard, _growth(analysis), _buying(scorecard))


def designations_for(user: User) -> QuerySet[StrategicDesignation]:
    """Every strategic designation, newest first (the page's history), for its participants."""
    require_read(user)
    return StrategicDesignation.objects.select_related(
        "account", "proposed_by", "decided_by"
    ).order_by("-created_at", "-pk")


def designation_for(user: User, pk: int) -> StrategicDesignation:
    found = designations_for(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("No strategic designation with this ID.")
    return found


def strategic_accounts() -> QuerySet[Account]:
    return Account.objects.filter(is_strategic=True).select_related("owner").order_by("legal_name")


def settings_history(current: PortfolioSettings, limit: int = 15) -> list[Any]:
    """The latest changes of the company settings, the scorecard criteria and the tiers'
    service levels, newest first, each with who made it (three queries)."""
    entries = [
        *current.history.select_related("history_user")[:limit],
        *ScoringCriterion.history.select_related("history_user")[:limit],
        *TierServiceLevel.history.select_related("history_user")[:limit],
    ]
    entries.sort(key=lambda entry: entry.history_date, reverse=True)
    return entries[:limit]
