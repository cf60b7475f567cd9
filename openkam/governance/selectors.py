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
    PortfolioSettings,
    ScoringCriterion,
    TierProposal,
    TierReview,
    TierServiceLevel,
)
from openkam.portfolio.scoring import Scorecard, account_scorecard
from openkam.portfolio.selectors import AccountAnalysis, account_analysis
from openkam.team.models import User

# The share of the customer's category spend worth aiming at (growth potential's target).
TARGET_SHARE_OF_WALLET = 0.5
BUYING_KEY = "strategic_buying"  # the scorecard criterion on buying orientation
PROPOSED = TierProposal.Status.PROPOSED


# The refresh's fitted models and parameters (JSON, large): no review page shows them.
RUN_DETAILS = ("run__parameters", "run__models_fitted", "run__concentration", "run__error")
# What a row of the review's proposals shows (its account's name, the KAM, who decided).
PERSON = ("id", "username", "first_name", "last_name", "display_name")
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
    rows = review.proposals.order_by().values_list("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in TierProposal.Status.values}
    counts.update(dict(rows))
    return counts


def proposal_for(user: User, pk: int) -> TierProposal:
    require_read(user)
    found = TierProposal.objects.select_related(
        "review", "account", "account__owner", "account__team", "decided_by", "proposed_by"
    )
    proposal = found.filter(pk=pk, review__isnull=False).first()
    if proposal is None:
        raise NotFound("No tier proposal with this ID.")
    return proposal


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


def proposal_evidence(proposal: TierProposal) -> Evidence:
    analysis = account_analysis(proposal.account)
    scorecard = account_scorecard(proposal.account)
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
