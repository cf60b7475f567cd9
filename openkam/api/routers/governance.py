"""The yearly tier review (DOMAIN §2.2): reviews, their proposals, submitting, and the
general manager's decisions.

Every route goes through openkam.governance's selectors and services, so the rules are the
pages' own: analysts (marketing) open a review, add, change or withdraw proposals and submit
it; executives (the general manager) approve or reject each proposal, or approve all the
undecided rest. Other roles are refused (403) on every route: the review is the company's,
and they see its outcome on their accounts (the tier, with its history). A review or proposal
that does not exist is a 404; a step the review's state forbids (deciding before it is
submitted, changing after) is a 409; nothing is saved on any refusal.
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from openkam.accounts.models import Tier
from openkam.api.common import (
    LIST_MAX_PAGE_SIZE,
    LIST_PAGE_SIZE,
    Id,
    InputSchema,
    Pages,
    user_of,
)
from openkam.api.errors import ErrorOut
from openkam.governance import selectors, services
from openkam.portfolio.models import PortfolioSettings, ScoringCriterion, TierProposal, TierReview

router = Router(tags=["tier reviews"])
READ = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ReviewOut(Schema):
    id: int
    year: int
    status: str
    run_id: int | None
    opened_by_id: int | None
    submitted_by_id: int | None
    submitted_at: dt.datetime | None
    closed_at: dt.datetime | None
    proposals: int = Field(alias="total")
    undecided: int = Field(alias="waiting")


class ProposalOut(Schema):
    id: int
    review_id: int | None
    account_id: int
    current_tier: str
    policy_tier: str
    proposed_tier: str
    justification: str = Field(alias="reason")
    status: str
    proposed_by_id: int | None
    decided_by_id: int | None
    decided_at: dt.datetime | None
    decision_comment: str
    created_at: dt.datetime
    updated_at: dt.datetime


class ReviewIn(InputSchema):
    year: int = Field(description="The year the classification is for.")


class ProposalIn(InputSchema):
    account_id: Id
    proposed_tier: Tier
    justification: str = Field(description="Why; the general manager decides on it.")


class ProposalPatch(InputSchema):
    proposed_tier: Tier | None = None
    justification: str


class WithdrawIn(InputSchema):
    justification: str = Field(description="Why the proposal is withdrawn.")


class DecisionIn(InputSchema):
    comment: str = Field("", description="Required to reject: why.")


class ApprovedOut(Schema):
    approved: int
    review: ReviewOut


class ProposalFilters(Schema):
    status: Literal["proposed", "approved", "rejected", "withdrawn", "superseded"] | None = None
    proposed_tier: Tier | None = None


def _review(request: HttpRequest, review_id: int) -> TierReview:
    return selectors.review_for(user_of(request), review_id)


def _proposal(request: HttpRequest, proposal_id: int) -> TierProposal:
    return selectors.proposal_for(user_of(request), proposal_id)


@router.get("/tier-reviews", response={200: list[ReviewOut], **READ})
@paginate(Pages, page_size=LIST_PAGE_SIZE, max_page_size=LIST_MAX_PAGE_SIZE)
def list_reviews(request: HttpRequest) -> QuerySet[TierReview]:
    """The yearly reviews, newest first (analysts and executives)."""
    return selectors.reviews_for(user_of(request)).order_by("-year")


@router.post("/tier-reviews", response={201: ReviewOut, **WRITE})
def open_review(request: HttpRequest, payload: ReviewIn) -> Status:
    """Open the year's review (analysts): its proposals are computed from the tier policy on
    the latest refresh's figures. One review at a time (409 while another is not closed)."""
    review = services.review_open(user=user_of(request), year=payload.year)
    return Status(201, _review(request, review.pk))


@router.get("/tier-reviews/{int:review_id}", response={200: ReviewOut, **READ})
def get_review(request: HttpRequest, review_id: int) -> TierReview:
    return _review(request, review_id)


@router.get("/tier-reviews/{int:review_id}/proposals", response={200: list[ProposalOut], **READ})
@paginate(Pages, page_size=LIST_PAGE_SIZE, max_page_size=LIST_MAX_PAGE_SIZE)
def list_proposals(
    request: HttpRequest, review_id: int, filters: Query[ProposalFilters]
) -> QuerySet[TierProposal]:
    review = _review(request, review_id)
    return selectors.proposals_of(
        review, status=filters.status or "", tier=filters.proposed_tier or ""
    ).order_by("account__legal_name", "pk")


@router.post("/tier-reviews/{int:review_id}/proposals", response={201: ProposalOut, **WRITE})
def add_proposal(request: HttpRequest, review_id: int, payload: ProposalIn) -> Status:
    """A proposal the policy did not make (analysts, while the review is being prepared)."""
    proposal = services.proposal_add(
        user=user_of(request),
        review=_review(request, review_id),
        account_id=payload.account_id,
        proposed_tier=payload.proposed_tier,
        reason=payload.justification,
    )
    return Status(201, proposal)


@router.patch("/tier-proposals/{int:proposal_id}", response={200: ProposalOut, **WRITE})
def change_proposal(request: HttpRequest, proposal_id: int, payload: ProposalPatch) -> TierProposal:
    """Change the proposed tier and its justification (analysts, before submitting)."""
    proposal = _proposal(request, proposal_id)
    return services.proposal_change(
        user=user_of(request),
        proposal=proposal,
        proposed_tier=payload.proposed_tier or proposal.proposed_tier,
        reason=payload.justification,
    )


@router.post("/tier-proposals/{int:proposal_id}/withdraw", response={200: ProposalOut, **WRITE})
def withdraw_proposal(request: HttpRequest, proposal_id: int, payload: WithdrawIn) -> TierProposal:
    return services.proposal_withdraw(
        user=user_of(request),
        proposal=_proposal(request, proposal_id),
        reason=payload.justification,
    )


@router.post("/tier-reviews/{int:review_id}/submit", response={200: ReviewOut, **WRITE})
def submit_review(request: HttpRequest, review_id: int) -> TierReview:
    """Hand the review to the general manager (analysts); with nothing to decide it closes."""
    services.review_submit(user=user_of(request), review=_review(request, review_id))
    return _review(request, review_id)


@router.post("/tier-proposals/{int:proposal_id}/approve", response={200: ProposalOut, **WRITE})
def approve_proposal(request: HttpRequest, proposal_id: int, payload: DecisionIn) -> TierProposal:
    """Approve (executives): the account takes the tier, its history naming the review."""
    return services.proposal_decide(
        user=user_of(request),
        proposal=_proposal(request, proposal_id),
        approve=True,
        comment=payload.comment,
    )


@router.post("/tier-proposals/{int:proposal_id}/reject", response={200: ProposalOut, **WRITE})
def reject_proposal(request: HttpRequest, proposal_id: int, payload: DecisionIn) -> TierProposal:
    """Reject (executives), saying why in `comment` (422 without it)."""
    return services.proposal_decide(
        user=user_of(request),
        proposal=_proposal(request, proposal_id),
        approve=False,
        comment=payload.comment,
    )


@router.post("/tier-reviews/{int:review_id}/approve-rest", response={200: ApprovedOut, **WRITE})
def approve_rest(request: HttpRequest, review_id: int, payload: DecisionIn) -> dict[str, object]:
    """Approve every proposal still undecided (executives): reject the exceptions first."""
    count = services.review_approve_rest(
        user=user_of(request), review=_review(request, review_id), comment=payload.comment
    )
    return {"approved": count, "review": _review(request, review_id)}


# --- Company settings ------------------------------------------------------------------------


class ServiceLevelOut(Schema):
    """What a tier is entitled to (分级差异化服务)."""

    tier: str
    every_days: int | None = Field(description="visit cadence: days between two contacts")
    executive_sponsor: bool
    priority_delivery: bool
    dedicated_training: bool
    support_response_hours: int = Field(description="technical support responds within (hours)")


class CriterionOut(Schema):
    id: int
    scorecard: str
    key: str
    name: str = Field(description="the name in Chinese")
    name_en: str
    weight: Decimal
    is_active: bool


class SettingsOut(Schema):
    key_threshold: Decimal
    major_threshold: Decimal
    key_requires_leader: bool
    major_requires_mid_or_leader: bool
    tier_measure: str
    tier_period: str
    fiscal_year_start_month: int
    abc_a_cutoff: Decimal
    abc_b_cutoff: Decimal
    discount_rate: Decimal
    clv_horizon_months: int
    purchase_model: str
    forecast_model_weight: Decimal
    loyalty_preference_cut: Decimal
    loyalty_repeat_cut: Decimal
    portfolio_attractiveness_cut: int
    portfolio_strength_cut: int
    portfolio_cut: Literal["median", "fixed"]
    sales_profit_cut: Literal["median", "fixed"]
    sales_profit_revenue_cut: Decimal
    sales_profit_margin_cut: Decimal
    volume_loyalty_cut: Literal["median", "fixed"]
    volume_loyalty_revenue_cut: Decimal
    default_vat_rate: Decimal
    updated_at: dt.datetime
    service_levels: list[ServiceLevelOut]
    criteria: list[CriterionOut]


class ServiceLevelPatch(InputSchema):
    """One tier's entitlements; only the fields sent change."""

    tier: Tier
    every_days: int | None = None
    executive_sponsor: bool | None = None
    priority_delivery: bool | None = None
    dedicated_training: bool | None = None
    support_response_hours: int | None = None


class CriterionPatch(InputSchema):
    """Rename (both languages), weigh or switch a criterion off or on."""

    id: int
    name: str | None = None
    name_en: str | None = None
    weight: Decimal | None = None
    is_active: bool | None = None


class CriterionNew(InputSchema):
    scorecard: Literal["attractiveness", "strength"]
    key: str
    name: str
    name_en: str
    weight: Decimal


class SettingsPatch(InputSchema):
    """Only the fields sent change; the next refresh uses them. A change of the criteria scores
    the latest refresh again at once."""

    key_threshold: Decimal | None = None
    major_threshold: Decimal | None = None
    key_requires_leader: bool | None = None
    major_requires_mid_or_leader: bool | None = None
    tier_measure: str | None = None
    tier_period: str | None = None
    fiscal_year_start_month: int | None = None
    abc_a_cutoff: Decimal | None = None
    abc_b_cutoff: Decimal | None = None
    discount_rate: Decimal | None = None
    clv_horizon_months: int | None = None
    purchase_model: str | None = None
    forecast_model_weight: Decimal | None = None
    loyalty_preference_cut: Decimal | None = None
    loyalty_repeat_cut: Decimal | None = None
    portfolio_attractiveness_cut: int | None = None
    portfolio_strength_cut: int | None = None
    portfolio_cut: Literal["median", "fixed"] | None = None
    sales_profit_cut: Literal["median", "fixed"] | None = None
    sales_profit_revenue_cut: Decimal | None = None
    sales_profit_margin_cut: Decimal | None = None
    volume_loyalty_cut: Literal["median", "fixed"] | None = None
    volume_loyalty_revenue_cut: Decimal | None = None
    default_vat_rate: Decimal | None = None
    service_levels: list[ServiceLevelPatch] | None = None
    criteria: list[CriterionPatch] | None = None
    new_criterion: CriterionNew | None = None


def _settings_out() -> dict[str, object]:
    current = PortfolioSettings.current()
    current.refresh_from_db()  # the decimals as stored (a new row holds the defaults' scale)
    lists = {"service_levels", "criteria"}
    out: dict[str, object] = {
        name: getattr(current, name) for name in SettingsOut.model_fields if name not in lists
    }
    out["service_levels"] = services.service_levels()
    out["criteria"] = list(ScoringCriterion.objects.order_by("scorecard", "position", "pk"))
    return out


@router.get("/settings", response={200: SettingsOut, **READ}, tags=["settings"])
def get_settings(request: HttpRequest) -> dict[str, object]:
    """The company's tier policy, cut-offs, value-matrix cuts (each matrix at the portfolio's
    median or at fixed values), model settings, the service level of each tier and the
    scorecard criteria (every user may read them)."""
    return _settings_out()


@router.patch("/settings", response={200: SettingsOut, **WRITE}, tags=["settings"])
def patch_settings(request: HttpRequest, payload: SettingsPatch) -> dict[str, object]:
    """Change the settings (analysts and executives; 403 for the others), checked as on the
    settings page (the thresholds and cut-offs in order; a tier's field as `<tier>.<field>`,
    a criterion's as `criteria.<id>.<field>`, the new one's as `new_criterion.<field>`; 422
    naming the field); all or nothing; each change kept in history with who and when."""
    user = user_of(request)
    data = payload.model_dump(exclude_unset=True)
    levels = data.pop("service_levels", None)
    criteria = data.pop("criteria", None)
    new = data.pop("new_criterion", None)
    with transaction.atomic():
        if data or (levels is None and criteria is None and new is None):
            services.settings_update(user=user, changes=data)
        if levels is not None:
            services.service_levels_set(user=user, levels={row.pop("tier"): row for row in levels})
        if criteria is not None or new is not None:
            services.criteria_update(
                user=user, changes={row.pop("id"): row for row in criteria or []}, add=new
            )
    return _settings_out()
