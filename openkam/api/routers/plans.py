"""Account plans and the risk register: plans with their parts, the approval cycle (submit,
approve, return, close), resource requests and their decision, risks and plan reviews.

Every route goes through openkam.plans' selectors and services, so the rules (who may write,
who decides, what a draft allows) are the pages' own. A plan or risk whose account the user
does not see is a 404; a read-only role (analyst, viewer) is refused writes with a 403, and so
is anyone but an executive or the account team's director on approve, return and decide. A
plan or risk named by an `account_id` in the body follows the API's body rule instead: an
account that does not exist is a 422 on that field, one the user may not change a 403.

Risks are not deleted: a risk that no longer applies is closed (`status: closed`, or
`happened` when it came true), so the register and the reviews keep what was known.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from openkam.api.common import (
    LIST_MAX_PAGE_SIZE,
    LIST_PAGE_SIZE,
    Id,
    InputSchema,
    Money,
    Pages,
    Quantity,
    in_api_names,
    inline_enum,
    user_of,
    visible_or_404,
)
from openkam.api.errors import ErrorOut
from openkam.api.permissions import require_writable
from openkam.plans import services
from openkam.plans.models import (
    AccountPlan,
    Action,
    ActionStatus,
    Decision,
    Metric,
    Objective,
    PlanReview,
    PlanStatus,
    Progress,
    ResourceFunction,
    ResourceRequest,
    Risk,
    RiskCategory,
    RiskSource,
    RiskStatus,
    Strategy,
)
from openkam.plans.risks import Level, Rating
from openkam.plans.selectors import (
    plan_detail_queryset,
    plan_for,
    plans_visible_to,
    risk_for,
    risks_visible_to,
    writable_plan_for,
)
from openkam.team.models import User

M = TypeVar("M", bound=models.Model)
router = Router(tags=["plans"])
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PAGES = {"page_size": LIST_PAGE_SIZE, "max_page_size": LIST_MAX_PAGE_SIZE}


# --- Output ------------------------------------------------------------------------------


class PlanOut(Schema):
    id: int
    account_id: int
    title: str
    period_start: dt.date
    period_end: dt.date
    year: int
    status: str
    owner_id: int | None
    customer_goals: str
    customer_changes: str
    value_proposition: str
    value_plan: str
    internal_notes: str
    return_comment: str
    submitted_at: dt.datetime | None
    decided_by_id: int | None
    approved_at: dt.datetime | None
    closed_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime


class SwotOut(Schema):
    id: int
    kind: str
    text: str


class ObjectiveOut(Schema):
    id: int
    plan_id: int
    metric: str
    description: str
    baseline: Decimal | None
    target: Decimal | None
    starts_on: dt.date
    due_on: dt.date
    actual: Decimal | None
    progress: str
    measured_on: dt.date | None


class StrategyOut(Schema):
    id: int
    description: str
    objective_ids: list[int]

    @staticmethod
    def resolve_objective_ids(obj: Strategy) -> list[int]:
        return [objective.pk for objective in obj.objectives.all()]


class ActionOut(Schema):
    id: int
    plan_id: int
    title: str
    owner_id: int
    due_on: dt.date
    status: str
    objective_id: int | None
    strategy_id: int | None
    interaction_id: int | None
    done_on: dt.date | None


class ResourceOut(Schema):
    id: int
    plan_id: int
    function: str
    person_days: Decimal | None
    amount: Decimal | None
    currency: str
    reason: str
    decision: str
    granted_person_days: Decimal | None
    granted_amount: Decimal | None
    decision_comment: str
    decided_by_id: int | None
    decided_at: dt.datetime | None


class TeamMemberOut(Schema):
    id: int
    user_id: int | None = Field(description="One of ours, or")
    contact_id: int | None = Field(description="one of the account's contacts.")
    role: str
    note: str


class ValueItemOut(Schema):
    id: int
    component: str
    side: str = Field(description="value or cost: delivered value is value minus cost.")
    amount: Decimal | None
    score: int | None
    note: str


class ReviewOut(Schema):
    id: int
    plan_id: int
    held_on: dt.date
    since: dt.date
    figures: dict[str, Any] = Field(description="What changed since, computed at the review.")
    decisions: str
    next_review_on: dt.date | None
    reviewed_by_id: int | None


class PlanDetailOut(PlanOut):
    swot_items: list[SwotOut]
    objectives: list[ObjectiveOut]
    strategies: list[StrategyOut]
    actions: list[ActionOut]
    resources: list[ResourceOut]
    team_members: list[TeamMemberOut]
    value_items: list[ValueItemOut]
    reviews: list[ReviewOut]


class RiskOut(Schema):
    id: int
    account_id: int
    plan_id: int | None
    source: str
    category: str
    description: str
    probability: str
    impact: str
    rating: str = Field(description="From probability and impact on the 3x3 grid.")
    mitigation: str
    owner_id: int
    review_on: dt.date | None
    status: str
    closed_on: dt.date | None
    created_at: dt.datetime
    updated_at: dt.datetime


# --- Input -------------------------------------------------------------------------------


class PlanIn(InputSchema):
    account_id: Id
    title: str = Field("", description="'<account> plan <year>' when left empty.")
    period_start: dt.date | None = Field(None, description="1 January of this year if left out.")
    period_end: dt.date | None = Field(None, description="31 December, with the default start.")
    accept_revenue_target: bool = Field(
        False, description="Start with the suggested revenue objective."
    )
    accept_strategy: bool = Field(False, description="Start with the quadrant's strategy.")
    whitespace_families: list[str] = Field(
        default_factory=list, description="Product families to win, as suggested."
    )


class PlanPatch(InputSchema):
    """The fields to change. Only a draft's frame changes; `internal_notes` at any time until
    the plan is closed."""

    title: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    customer_goals: str | None = None
    customer_changes: str | None = None
    value_proposition: str | None = None
    value_plan: str | None = None
    internal_notes: str | None = None
    owner_id: Id | None = None


class ReturnIn(InputSchema):
    comment: str = Field(description="What should change before the plan comes back.")


class ObjectiveIn(InputSchema):
    metric: Annotated[Metric, inline_enum(Metric)]
    description: str
    target: Money | None = Field(None, description="Required unless the metric is free_text.")
    baseline: Money | None = Field(None, description="Read from the data when left out.")
    starts_on: dt.date | None = Field(None, description="The plan's start when left out.")
    due_on: dt.date | None = Field(None, description="The plan's end when left out.")


class ObjectivePatch(InputSchema):
    """The fields to change while the plan is a draft; `progress` alone, for a free-text
    objective, while the plan is open."""

    metric: Annotated[Metric, inline_enum(Metric)] | None = None
    description: str | None = None
    target: Money | None = None
    baseline: Money | None = None
    starts_on: dt.date | None = None
    due_on: dt.date | None = None
    progress: Annotated[Progress, inline_enum(Progress)] | None = None


class ActionIn(InputSchema):
    title: str
    owner_id: Id | None = Field(None, description="You, when left out.")
    due_on: dt.date
    objective_id: Id | None = None
    strategy_id: Id | None = None
    interaction_id: Id | None = Field(None, description="The interaction it came from.")


class ActionPatch(InputSchema):
    """The fields to change; `done` records the day, reopening clears it."""

    title: str | None = None
    owner_id: Id | None = None
    due_on: dt.date | None = None
    status: Annotated[ActionStatus, inline_enum(ActionStatus)] | None = None
    objective_id: Id | None = None
    strategy_id: Id | None = None


class ResourceIn(InputSchema):
    function: Annotated[ResourceFunction, inline_enum(ResourceFunction)]
    reason: str
    person_days: Quantity | None = None
    amount: Money | None = Field(None, description="Money, in the account's currency.")


class DecideIn(InputSchema):
    decision: Annotated[Decision, inline_enum(Decision)] = Field(
        description="granted, partly or refused."
    )
    comment: str = Field("", description="Required when refused.")
    granted_person_days: Quantity | None = Field(None, description="When partly granted.")
    granted_amount: Money | None = Field(None, description="When partly granted.")


class RiskIn(InputSchema):
    account_id: Id
    plan_id: Id | None = Field(None, description="A plan of the same account.")
    source: Annotated[RiskSource, inline_enum(RiskSource)]
    category: Annotated[RiskCategory, inline_enum(RiskCategory)]
    description: str
    probability: Annotated[Level, inline_enum(Level)]
    impact: Annotated[Level, inline_enum(Level)]
    mitigation: str = ""
    owner_id: Id | None = Field(None, description="You, when left out.")
    review_on: dt.date | None = None
    status: Annotated[RiskStatus, inline_enum(RiskStatus)] = RiskStatus.OPEN


class RiskPatch(InputSchema):
    """The fields to change; closing (or `happened`) records the day."""

    plan_id: Id | None = None
    source: Annotated[RiskSource, inline_enum(RiskSource)] | None = None
    category: Annotated[RiskCategory, inline_enum(RiskCategory)] | None = None
    description: str | None = None
    probability: Annotated[Level, inline_enum(Level)] | None = None
    impact: Annotated[Level, inline_enum(Level)] | None = None
    mitigation: str | None = None
    owner_id: Id | None = None
    review_on: dt.date | None = None
    status: Annotated[RiskStatus, inline_enum(RiskStatus)] | None = None


class ReviewIn(InputSchema):
    decisions: str = ""
    next_review_on: dt.date | None = None
    held_on: dt.date | None = Field(None, description="Today when left out.")


class PlanFilters(Schema):
    account_id: Id | None = None
    status: Annotated[PlanStatus, inline_enum(PlanStatus)] | None = None
    # Bounded by the calendar Django's year lookup builds dates in (year 0 was a 500).
    year: int | None = Field(
        None, ge=dt.MINYEAR, le=dt.MAXYEAR, description="The year the plan's period starts in."
    )


class RiskFilters(Schema):
    account_id: Id | None = None
    plan_id: Id | None = None
    rating: Annotated[Rating, inline_enum(Rating)] | None = None
    status: Annotated[RiskStatus, inline_enum(RiskStatus)] | None = None


# --- Helpers -----------------------------------------------------------------------------


@contextmanager
def api_names(model: type[models.Model]) -> Iterator[None]:
    """A service's field errors under the API's names (`owner_id`, not `owner`)."""
    try:
        yield
    except DjangoValidationError as exc:
        raise in_api_names(model(), exc) from exc


def _detail(user: User, plan_id: int) -> AccountPlan:
    return visible_or_404(plan_detail_queryset(user), plan_id)


def _part_of_visible_plan(model: type[Any], user: User, pk: int) -> Any:
    rows = model.objects.filter(plan__in=plans_visible_to(user)).select_related(
        "plan", "plan__account", "plan__account__team"
    )
    return visible_or_404(rows, pk)


def stored(instance: M) -> M:
    """The row as saved (decimals at their stored places), not as the service was given it."""
    instance.refresh_from_db()
    return instance


def _changes(payload: Schema) -> dict[str, Any]:
    return payload.model_dump(exclude_unset=True)


# --- Plans -------------------------------------------------------------------------------


@router.get(
    "/plans", response={200: list[PlanOut], 401: ErrorOut, 422: ErrorOut}, summary="List plans"
)
@paginate(Pages, **PAGES)
def list_plans(request: HttpRequest, filters: Query[PlanFilters]) -> QuerySet[AccountPlan]:
    """Plans of the accounts you may see, the latest period first."""
    plans = plans_visible_to(user_of(request))
    exact = filters.model_dump(include={"account_id", "status"}, exclude_none=True)
    plans = plans.filter(**exact)
    if filters.year is not None:
        plans = plans.filter(period_start__year=filters.year)
    return plans.order_by("-period_start", "account_id", "pk")


@router.post("/plans", response={201: PlanDetailOut, **WRITE}, summary="Create a draft plan")
def create_plan(request: HttpRequest, payload: PlanIn) -> Status:
    """A draft plan for one account and period (by default the calendar year); accepted
    suggestions become its first objectives and strategy. One plan per account and start."""
    user = user_of(request)
    require_writable(user, payload.account_id, field="account_id")
    with api_names(AccountPlan):
        plan = services.plan_create(user=user, **payload.model_dump())
    return Status(201, _detail(user, plan.pk))


@router.get("/plans/{int:plan_id}", response={200: PlanDetailOut, **READ}, summary="Read a plan")
def get_plan(request: HttpRequest, plan_id: int) -> AccountPlan:
    """The plan with its SWOT, objectives, strategies, actions, resources, joint team, value
    items and reviews."""
    return _detail(user_of(request), plan_id)


@router.patch("/plans/{int:plan_id}", response={200: PlanDetailOut, **WRITE}, summary="Edit a plan")
def update_plan(request: HttpRequest, plan_id: int, payload: PlanPatch) -> AccountPlan:
    """Change a draft's fields (a submitted or approved plan is returned first); internal
    notes change until the plan is closed."""
    user = user_of(request)
    plan = writable_plan_for(user, plan_id)
    changes = _changes(payload)
    if "owner_id" in changes:
        changes["owner"] = _user_or_error(changes.pop("owner_id"), field="owner_id")
    with api_names(AccountPlan):
        services.plan_update(user=user, plan=plan, changes=changes)
    return _detail(user, plan_id)


def _user_or_error(pk: int | None, *, field: str) -> User | None:
    if pk is None:
        return None
    found = User.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise DjangoValidationError({field: _("Choose an active user as the owner.")})
    return found


@router.post(
    "/plans/{int:plan_id}/submit", response={200: PlanDetailOut, **WRITE}, summary="Submit a plan"
)
def submit_plan(request: HttpRequest, plan_id: int) -> AccountPlan:
    """Send a draft with at least one objective for approval."""
    user = user_of(request)
    services.plan_submit(user=user, plan=writable_plan_for(user, plan_id))
    return _detail(user, plan_id)


@router.post(
    "/plans/{int:plan_id}/approve",
    response={200: PlanDetailOut, **WRITE},
    summary="Approve a plan",
)
def approve_plan(request: HttpRequest, plan_id: int) -> AccountPlan:
    """An executive or the director of the account's team approves a submitted plan; it is
    active at once when its period has begun."""
    user = user_of(request)
    services.plan_approve(user=user, plan=plan_for(user, plan_id))
    return _detail(user, plan_id)


@router.post(
    "/plans/{int:plan_id}/return",
    response={200: PlanDetailOut, **WRITE},
    summary="Return a plan to its draft",
)
def return_plan(request: HttpRequest, plan_id: int, payload: ReturnIn) -> AccountPlan:
    """An executive or the account team's director sends a submitted plan back, saying what
    should change."""
    user = user_of(request)
    services.plan_return(user=user, plan=plan_for(user, plan_id), comment=payload.comment)
    return _detail(user, plan_id)


@router.post(
    "/plans/{int:plan_id}/close", response={200: PlanDetailOut, **WRITE}, summary="Close a plan"
)
def close_plan(request: HttpRequest, plan_id: int) -> AccountPlan:
    """Close an approved or active plan at the end of its period."""
    user = user_of(request)
    services.plan_close(user=user, plan=writable_plan_for(user, plan_id))
    return _detail(user, plan_id)


# --- Objectives --------------------------------------------------------------------------


@router.get(
    "/plans/{int:plan_id}/objectives",
    response={200: list[ObjectiveOut], **READ},
    summary="List a plan's objectives",
)
@paginate(Pages, **PAGES)
def list_objectives(request: HttpRequest, plan_id: int) -> QuerySet[Objective]:
    """With their latest measure (actual, progress) from the last refresh."""
    return plan_for(user_of(request), plan_id).objectives.order_by("position", "pk")


@router.post(
    "/plans/{int:plan_id}/objectives",
    response={201: ObjectiveOut, **WRITE},
    summary="Add an objective",
)
def create_objective(request: HttpRequest, plan_id: int, payload: ObjectiveIn) -> Status:
    """Add an objective to a draft; its baseline is read from the account's latest figures
    unless given."""
    user = user_of(request)
    plan = writable_plan_for(user, plan_id)
    with api_names(Objective):
        objective = services.objective_add(user=user, plan=plan, **payload.model_dump())
    return Status(201, stored(objective))


@router.patch(
    "/objectives/{int:objective_id}",
    response={200: ObjectiveOut, **WRITE},
    summary="Edit an objective",
)
def update_objective(request: HttpRequest, objective_id: int, payload: ObjectivePatch) -> Objective:
    """Change an objective of a draft; send `progress` alone to assess a free-text objective
    by hand while the plan is open."""
    user = user_of(request)
    objective = _part_of_visible_plan(Objective, user, objective_id)
    with api_names(Objective):
        updated = services.objective_update(
            user=user, objective=objective, changes=_changes(payload)
        )
    return stored(updated)


# --- Actions -----------------------------------------------------------------------------


@router.get(
    "/plans/{int:plan_id}/actions",
    response={200: list[ActionOut], **READ},
    summary="List a plan's actions",
)
@paginate(Pages, **PAGES)
def list_actions(request: HttpRequest, plan_id: int) -> QuerySet[Action]:
    """Soonest due first."""
    return plan_for(user_of(request), plan_id).actions.order_by("due_on", "pk")


@router.post(
    "/plans/{int:plan_id}/actions", response={201: ActionOut, **WRITE}, summary="Add an action"
)
def create_action(request: HttpRequest, plan_id: int, payload: ActionIn) -> Status:
    """An action with its owner (anyone, colleagues of other functions too) and due date, on
    any plan that is not closed."""
    user = user_of(request)
    plan = writable_plan_for(user, plan_id)
    fields = payload.model_dump()
    fields["owner_id"] = fields["owner_id"] or user.pk
    with api_names(Action):
        action = services.action_add(user=user, plan=plan, **fields)
    return Status(201, stored(action))


@router.patch(
    "/actions/{int:action_id}", response={200: ActionOut, **WRITE}, summary="Edit an action"
)
def update_action(request: HttpRequest, action_id: int, payload: ActionPatch) -> Action:
    """Change or complete an action; its owner may, without write rights on the account."""
    user = user_of(request)
    action = _part_of_visible_plan(Action, user, action_id)
    with api_names(Action):
        updated = services.action_update(user=user, action=action, changes=_changes(payload))
    return stored(updated)


# --- Resources ---------------------------------------------------------------------------


@router.get(
    "/plans/{int:plan_id}/resources",
    response={200: list[ResourceOut], **READ},
    summary="List a plan's resource requests",
)
@paginate(Pages, **PAGES)
def list_resources(request: HttpRequest, plan_id: int) -> QuerySet[ResourceRequest]:
    """Person-days and money asked of each function, with the decision."""
    return plan_for(user_of(request), plan_id).resources.order_by("pk")


@router.post(
    "/plans/{int:plan_id}/resources",
    response={201: ResourceOut, **WRITE},
    summary="Ask for resources",
)
def create_resource(request: HttpRequest, plan_id: int, payload: ResourceIn) -> Status:
    """Ask a function for person-days, money or both, saying why."""
    user = user_of(request)
    plan = writable_plan_for(user, plan_id)
    with api_names(ResourceRequest):
        resource = services.resource_request_add(user=user, plan=plan, **payload.model_dump())
    return Status(201, stored(resource))


@router.post(
    "/resources/{int:resource_id}/decide",
    response={200: ResourceOut, **WRITE},
    summary="Decide a resource request",
)
def decide_resource(request: HttpRequest, resource_id: int, payload: DecideIn) -> ResourceRequest:
    """An executive or the account team's director grants what was asked, grants part of it
    (give the figures) or refuses it (give the reason)."""
    user = user_of(request)
    resource = _part_of_visible_plan(ResourceRequest, user, resource_id)
    with api_names(ResourceRequest):
        decided = services.resource_decide(user=user, request=resource, **payload.model_dump())
    return stored(decided)


# --- Reviews -----------------------------------------------------------------------------


@router.get(
    "/plans/{int:plan_id}/reviews",
    response={200: list[ReviewOut], **READ},
    summary="List a plan's reviews",
)
@paginate(Pages, **PAGES)
def list_reviews(request: HttpRequest, plan_id: int) -> QuerySet[PlanReview]:
    """The latest first, each with the figures as they were at the review."""
    return plan_for(user_of(request), plan_id).reviews.order_by("-held_on", "-pk")


@router.post(
    "/plans/{int:plan_id}/reviews", response={201: ReviewOut, **WRITE}, summary="Review a plan"
)
def create_review(request: HttpRequest, plan_id: int, payload: ReviewIn) -> Status:
    """Review an approved or active plan: what changed since the last review is computed and
    kept with the decisions taken."""
    user = user_of(request)
    plan = writable_plan_for(user, plan_id)
    with api_names(PlanReview):
        review = services.review_create(user=user, plan=plan, **payload.model_dump())
    return Status(201, stored(review))


# --- Risks -------------------------------------------------------------------------------


@router.get(
    "/risks", response={200: list[RiskOut], 401: ErrorOut, 422: ErrorOut}, summary="List risks"
)
@paginate(Pages, **PAGES)
def list_risks(request: HttpRequest, filters: Query[RiskFilters]) -> QuerySet[Risk]:
    """Risks of the accounts you may see, newest first."""
    risks = risks_visible_to(user_of(request))
    return risks.filter(**filters.model_dump(exclude_none=True)).order_by("-pk")


@router.post("/risks", response={201: RiskOut, **WRITE}, summary="Record a risk")
def create_risk(request: HttpRequest, payload: RiskIn) -> Status:
    """A risk of an account you may change; its rating is read from probability and impact
    on the 3x3 grid."""
    user = user_of(request)
    require_writable(user, payload.account_id, field="account_id")
    fields = payload.model_dump(exclude={"account_id"})
    fields["owner_id"] = fields["owner_id"] or user.pk
    with api_names(Risk):
        risk = services.risk_create(user=user, account_id=payload.account_id, fields=fields)
    return Status(201, stored(risk))


@router.get("/risks/{int:risk_id}", response={200: RiskOut, **READ}, summary="Read a risk")
def get_risk(request: HttpRequest, risk_id: int) -> Risk:
    return risk_for(user_of(request), risk_id)


@router.patch("/risks/{int:risk_id}", response={200: RiskOut, **WRITE}, summary="Edit a risk")
def update_risk(request: HttpRequest, risk_id: int, payload: RiskPatch) -> Risk:
    """Change a risk; the rating follows probability and impact. A risk is not deleted:
    close it (`status: closed`, or `happened`) and the day is recorded."""
    user = user_of(request)
    risk = risk_for(user, risk_id, write=True)
    with api_names(Risk):
        updated = services.risk_update(user=user, risk=risk, changes=_changes(payload))
    return stored(updated)
