"""Writes to plans, their parts, risks and reviews. Each service checks who may do it (the
account's writers work the plan; an executive or the director of the account's team decides
it), validates, then saves inside one transaction; every model keeps its history.

Services raise domain errors (NotFound, PermissionDenied, ValidationError); the pages and the
API turn them into their own answers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import writable_account_for
from openkam.common.errors import PermissionDenied, ValidationError
from openkam.plans.figures import plan_figures_refresh
from openkam.plans.models import (
    OPEN_ACTION_STATUSES,
    AccountPlan,
    Action,
    ActionStatus,
    Decision,
    JointTeamMember,
    Metric,
    Objective,
    PlanReview,
    PlanStatus,
    Progress,
    ResourceRequest,
    Risk,
    RiskStatus,
    Strategy,
    SwotItem,
    ValueItem,
)
from openkam.plans.progress import progress_of
from openkam.plans.risks import risk_rating
from openkam.plans.selectors import (
    actual_for,
    baseline_for,
    may_decide,
    plan_suggestions,
    review_figures,
    review_since,
)
from openkam.relationships.models import JointProject
from openkam.relationships.services import joint_project_record
from openkam.team.models import User


def _validated(instance: Model, *, exclude: Iterable[str] = ()) -> None:
    """Model validation before any save, so a refused write saves nothing."""
    instance.full_clean(exclude=list(exclude))


def _require_known(changes: Iterable[str], allowed: frozenset[str]) -> None:
    """Refuse a change naming a field the service does not write (one sentence for all)."""
    unknown = set(changes) - allowed
    if unknown:
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )


def _require_writer(user: User, plan: AccountPlan) -> None:
    writable_account_for(user, plan.account_id)


def _require_decider(user: User, plan: AccountPlan) -> None:
    if not may_decide(user, plan.account):
        raise PermissionDenied(
            _("Only an executive or the director of the account's team decides plans.")
        )


def _require_draft(plan: AccountPlan) -> None:
    if not plan.is_editable():
        raise ValidationError(
            _("The plan is %(status)s: only a draft can be changed. Ask for it to be returned.")
            % {"status": plan.get_status_display()}
        )


def _require_open(plan: AccountPlan) -> None:
    if plan.status == PlanStatus.CLOSED:
        raise ValidationError(_("The plan is closed."))


def _locked(plan: AccountPlan) -> AccountPlan:
    """The plan re-read under a row lock, so two decisions cannot cross. Only the plan's row
    is locked (PostgreSQL refuses FOR UPDATE on the nullable side of the join to the team)."""
    return (
        AccountPlan.objects.select_for_update(of=("self",))
        .select_related("account", "account__team")
        .get(pk=plan.pk)
    )


# --- The plan ----------------------------------------------------------------------------


def default_period(today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)


@transaction.atomic
def plan_create(
    *,
    user: User,
    account_id: int,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    title: str = "",
    accept_revenue_target: bool = False,
    accept_strategy: bool = False,
    whitespace_families: Iterable[str] = (),
    today: dt.date | None = None,
) -> AccountPlan:
    """A draft plan for one account and period. Suggestions the KAM accepted become its first
    objective (revenue target), strategy (the portfolio quadrant's) and whitespace objectives."""
    account = writable_account_for(user, account_id)
    today = today or timezone.localdate()
    start, end = default_period(today)
    period_start = period_start or start
    period_end = period_end or (end if period_start == start else None)
    if period_end is None:
        raise ValidationError({"period_end": _("Give the end of the plan period.")})
    plan = AccountPlan(
        account=account,
        owner=account.owner or user,
        period_start=period_start,
        period_end=period_end,
        title=title.strip()
        or _("%(account)s plan %(year)s") % {"account": account, "year": period_start.year},
    )
    if AccountPlan.objects.filter(account=account, period_start=period_start).exists():
        raise ValidationError(
            {"period_start": _("This account already has a plan starting on that date.")}
        )
    _validated(plan, exclude=["owner"])
    plan.save()
    suggestions = plan_suggestions(account, as_of=today)
    if accept_revenue_target and suggestions.revenue_target is not None:
        _objective_save(
            plan,
            Objective(
                plan=plan,
                metric=Metric.REVENUE,
                description=_("Revenue in the plan period"),
                target=suggestions.revenue_target,
                starts_on=period_start,
                due_on=period_end,
            ),
            today=today,
        )
    if accept_strategy and suggestions.strategy:
        Strategy.objects.create(plan=plan, description=suggestions.strategy)
    wanted = set(whitespace_families)
    for item in suggestions.whitespace:
        if item.family in wanted:
            _objective_save(
                plan,
                Objective(
                    plan=plan,
                    metric=Metric.FREE_TEXT,
                    description=_(
                        "Win the first orders of %(family)s (similar accounts spend %(spend)s each)"
                    )
                    % {"family": item.family, "spend": item.spend_per_account},
                    starts_on=period_start,
                    due_on=period_end,
                ),
                today=today,
            )
    return plan


PLAN_FIELDS = frozenset(
    {
        "title",
        "period_start",
        "period_end",
        "customer_goals",
        "customer_changes",
        "value_proposition",
        "value_plan",
        "internal_notes",
        "owner",
    }
)
# What can still be written once a plan is approved: the notes its owner keeps.
PLAN_FIELDS_ANYTIME = frozenset({"internal_notes"})


@transaction.atomic
def plan_update(*, user: User, plan: AccountPlan, changes: dict[str, Any]) -> AccountPlan:
    _require_writer(user, plan)
    _require_known(changes, PLAN_FIELDS)
    locked = _locked(plan)
    if set(changes) - PLAN_FIELDS_ANYTIME:
        _require_draft(locked)
    _require_open(locked)
    for name, value in changes.items():
        setattr(locked, name, value)
    _validated(locked)
    locked.save()
    return locked


@transaction.atomic
def plan_submit(*, user: User, plan: AccountPlan) -> AccountPlan:
    _require_writer(user, plan)
    locked = _locked(plan)
    if locked.status != PlanStatus.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    if not locked.objectives.exists():
        raise ValidationError(_("Add at least one objective before submitting the plan."))
    locked.status = PlanStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save()
    return locked


@transaction.atomic
def plan_approve(*, user: User, plan: AccountPlan, today: dt.date | None = None) -> AccountPlan:
    """Approve a submitted plan; it is active at once when its period has begun (else it
    becomes active when the period starts, at a refresh)."""
    _require_decider(user, plan)
    locked = _locked(plan)
    if locked.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be approved."))
    today = today or timezone.localdate()
    locked.status = PlanStatus.ACTIVE if locked.period_start <= today else PlanStatus.APPROVED
    locked.decided_by = user
    locked.approved_at = timezone.now()
    locked.return_comment = ""
    locked.save()
    return locked


@transaction.atomic
def plan_return(*, user: User, plan: AccountPlan, comment: str) -> AccountPlan:
    """Send a submitted plan back to its draft with a comment that says what to change."""
    _require_decider(user, plan)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what should change before the plan comes back.")})
    locked = _locked(plan)
    if locked.status != PlanStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be returned."))
    locked.status = PlanStatus.DRAFT
    locked.decided_by = user
    locked.return_comment = comment.strip()
    locked.save()
    return locked


@transaction.atomic
def plan_close(*, user: User, plan: AccountPlan) -> AccountPlan:
    _require_writer(user, plan)
    locked = _locked(plan)
    if locked.status not in (PlanStatus.APPROVED, PlanStatus.ACTIVE):
        raise ValidationError(_("Only an approved or active plan can be closed."))
    locked.status = PlanStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.save()
    return locked


# --- Parts written while the plan is a draft -------------------------------------------------


def _objective_save(plan: AccountPlan, objective: Objective, *, today: dt.date) -> Objective:
    if objective.baseline is None and objective.metric != Metric.FREE_TEXT:
        objective.baseline = baseline_for(plan.account, objective.metric, as_of=today)
    if objective.metric != Metric.FREE_TEXT and objective.target is None:
        raise ValidationError({"target": _("Give the target this objective is measured against.")})
    if objective.due_on < objective.starts_on:
        raise ValidationError({"due_on": _("The due date is before the objective starts.")})
    _validated(objective, exclude=["plan"])
    objective.save()
    return objective


OBJECTIVE_FIELDS = frozenset({"metric", "description", "baseline", "target", "starts_on", "due_on"})


@transaction.atomic
def objective_add(
    *,
    user: User,
    plan: AccountPlan,
    metric: str,
    description: str,
    target: Decimal | None = None,
    baseline: Decimal | None = None,
    starts_on: dt.date | None = None,
    due_on: dt.date | None = None,
    today: dt.date | None = None,
) -> Objective:
    """An objective, its baseline taken from the account's latest figures unless given."""
    _require_writer(user, plan)
    locked = _locked(plan)
    _require_draft(locked)
    today = today or timezone.localdate()
    objective = Objective(
        plan=locked,
        metric=metric,
        description=description.strip(),
        target=target,
        baseline=baseline,
        starts_on=starts_on or locked.period_start,
        due_on=due_on or locked.period_end,
        position=locked.objectives.count(),
    )
    _objective_save(locked, objective, today=today)
    plan_figures_refresh([locked.pk])
    return objective


@transaction.atomic
def objective_update(
    *, user: User, objective: Objective, changes: dict[str, Any], today: dt.date | None = None
) -> Objective:
    """Change an objective of a draft; a free-text objective's progress is set by hand at any
    time while the plan is open (it is not read from the data)."""
    plan = objective.plan
    _require_writer(user, plan)
    locked = _locked(plan)
    _require_open(locked)
    if set(changes) == {"progress"}:
        if objective.metric != Metric.FREE_TEXT:
            raise ValidationError(
                {"progress": _("This objective's progress is read from the data.")}
            )
        if changes["progress"] not in Progress.values:
            raise ValidationError({"progress": _("Unknown progress.")})
        objective.progress = changes["progress"]
        objective.measured_on = today or timezone.localdate()
        objective.save()
        plan_figures_refresh([locked.pk])
        return objective
    _require_known(changes, OBJECTIVE_FIELDS)
    _require_draft(locked)
    for name, value in changes.items():
        setattr(objective, name, value)
    if "metric" in changes and "baseline" not in changes:
        objective.baseline = None
    _objective_save(locked, objective, today=today or timezone.localdate())
    plan_figures_refresh([locked.pk])
    return objective


@transaction.atomic
def part_delete(
    *,
    user: User,
    part: SwotItem | Objective | Strategy | ResourceRequest | ValueItem | JointTeamMember,
) -> None:
    """Remove one part of a draft (its history keeps what it was)."""
    plan = part.plan
    _require_writer(user, plan)
    locked = _locked(plan)
    if isinstance(part, JointTeamMember):
        _require_open(locked)
    else:
        _require_draft(locked)
    part.delete()
    plan_figures_refresh([locked.pk])


@transaction.atomic
def swot_add(*, user: User, plan: AccountPlan, kind: str, text: str) -> SwotItem:
    _require_writer(user, plan)
    locked = _locked(plan)
    _require_draft(locked)
    item = SwotItem(plan=locked, kind=kind, text=text.strip(), position=locked.swot_items.count())
    _validated(item, exclude=["plan"])
    item.save()
    return item


@transaction.atomic
def strategy_add(
    *, user: User, plan: AccountPlan, description: str, objective_ids: Iterable[int] = ()
) -> Strategy:
    _require_writer(user, plan)
    locked = _locked(plan)
    _require_draft(locked)
    ids = set(objective_ids)
    objectives = list(locked.objectives.filter(pk__in=ids))
    if len(objectives) != len(ids):
        raise ValidationError({"objectives": _("Choose objectives of this plan.")})
    strategy = Strategy(
        plan=locked, description=description.strip(), position=locked.strategies.count()
    )
    _validated(strategy, exclude=["plan"])
    strategy.save()
    strategy.objectives.set(objectives)
    return strategy


@transaction.atomic
def resource_request_add(
    *,
    user: User,
    plan: AccountPlan,
    function: str,
    reason: str,
    person_days: Decimal | None = None,
    amount: Decimal | None = None,
) -> ResourceRequest:
    _require_writer(user, plan)
    locked = _locked(plan)
    _require_open(locked)
    if person_days is None and amount is None:
        raise ValidationError({"person_days": _("Ask for person-days, money or both.")})
    request = ResourceRequest(
        plan=locked,
        function=function,
        reason=reason.strip(),
        person_days=person_days,
        amount=amount,
    )
    _validated(request, exclude=["plan"])
    request.save()
    plan_figures_refresh([request.plan_id])
    return request


@transaction.atomic
def resource_decide(
    *,
    user: User,
    request: ResourceRequest,
    decision: str,
    comment: str = "",
    granted_person_days: Decimal | None = None,
    granted_amount: Decimal | None = None,
) -> ResourceRequest:
    """Grant, partly grant or refuse a request. Granted means what was asked; partly needs the
    granted figures; refused needs a comment."""
    _require_decider(user, request.plan)
    if decision not in (Decision.GRANTED, Decision.PARTLY, Decision.REFUSED):
        raise ValidationError({"decision": _("Choose granted, partly granted or refused.")})
    if decision == Decision.GRANTED:
        granted_person_days, granted_amount = request.person_days, request.amount
    elif decision == Decision.REFUSED:
        if not comment.strip():
            raise ValidationError({"comment": _("Say why the request is refused.")})
        granted_person_days, granted_amount = None, None
    elif granted_person_days is None and granted_amount is None:
        raise ValidationError(
            {"granted_person_days": _("Say what is granted: person-days, money or both.")}
        )
    request.decision = decision
    request.decision_comment = comment.strip()
    request.granted_person_days = granted_person_days
    request.granted_amount = granted_amount
    request.decided_by = user
    request.decided_at = timezone.now()
    _validated(request)
    request.save()
    plan_figures_refresh([request.plan_id])
    return request


@transaction.atomic
def team_member_add(
    *,
    user: User,
    plan: AccountPlan,
    role: str,
    member_user_id: int | None = None,
    contact_id: int | None = None,
    note: str = "",
) -> JointTeamMember:
    """One person of the joint team: one of ours or one of the account's contacts."""
    _require_writer(user, plan)
    locked = _locked(plan)
    _require_open(locked)
    member = JointTeamMember(
        plan=locked, role=role, user_id=member_user_id, contact_id=contact_id, note=note.strip()
    )
    return _member_save(locked, member)


def _member_save(plan: AccountPlan, member: JointTeamMember) -> JointTeamMember:
    if (member.user_id is None) == (member.contact_id is None):
        raise ValidationError({"user": _("Choose one of our people or one of their contacts.")})
    if (
        member.contact_id is not None
        and not plan.account.contacts.filter(pk=member.contact_id).exists()
    ):
        raise ValidationError({"contact": _("Choose a contact of this account.")})
    if (
        member.user_id is not None
        and not User.objects.filter(pk=member.user_id, is_active=True).exists()
    ):
        raise ValidationError({"user": _("Choose an active user.")})
    _validated(member, exclude=["plan"])
    member.save()
    return member


@transaction.atomic
def value_item_add(
    *,
    user: User,
    plan: AccountPlan,
    component: str,
    amount: Decimal | None = None,
    score: int | None = None,
    note: str = "",
) -> ValueItem:
    _require_writer(user, plan)
    locked = _locked(plan)
    _require_draft(locked)
    if amount is None and score is None:
        raise ValidationError({"amount": _("Give an amount or a score from 1 to 5.")})
    item = ValueItem(
        plan=locked, component=component, amount=amount, score=score, note=note.strip()
    )
    _validated(item, exclude=["plan"])
    item.save()
    return item


# --- Parts changed in place (the page's inline edit) -----------------------------------------

SWOT_FIELDS = frozenset({"kind", "text"})
STRATEGY_FIELDS = frozenset({"description", "objective_ids"})
RESOURCE_FIELDS = frozenset({"function", "reason", "person_days", "amount"})
VALUE_FIELDS = frozenset({"component", "amount", "score", "note"})
MEMBER_FIELDS = frozenset({"role", "member_user_id", "contact_id", "note"})


def _apply(part: Model, changes: dict[str, Any]) -> None:
    """Set the changed fields, texts stripped as the adding services strip them."""
    for name, value in changes.items():
        setattr(part, name, value.strip() if isinstance(value, str) else value)


@transaction.atomic
def swot_update(*, user: User, item: SwotItem, changes: dict[str, Any]) -> SwotItem:
    """Change a SWOT item of a draft (its history keeps what it said)."""
    _require_writer(user, item.plan)
    _require_known(changes, SWOT_FIELDS)
    _require_draft(_locked(item.plan))
    _apply(item, changes)
    _validated(item, exclude=["plan"])
    item.save()
    return item


@transaction.atomic
def strategy_update(*, user: User, strategy: Strategy, changes: dict[str, Any]) -> Strategy:
    """Change a strategy of a draft and the objectives it serves (ids of the same plan)."""
    _require_writer(user, strategy.plan)
    _require_known(changes, STRATEGY_FIELDS)
    locked = _locked(strategy.plan)
    _require_draft(locked)
    values = dict(changes)
    objectives = None
    if "objective_ids" in values:
        ids = set(values.pop("objective_ids"))
        objectives = list(locked.objectives.filter(pk__in=ids))
        if len(objectives) != len(ids):
            raise ValidationError({"objectives": _("Choose objectives of this plan.")})
    _apply(strategy, values)
    _validated(strategy, exclude=["plan"])
    strategy.save()
    if objectives is not None:
        strategy.objectives.set(objectives)
    return strategy


@transaction.atomic
def resource_request_update(
    *, user: User, request: ResourceRequest, changes: dict[str, Any]
) -> ResourceRequest:
    """Change a request while it waits for its decision; once decided it stays as decided
    (ask again with a new request)."""
    _require_writer(user, request.plan)
    _require_known(changes, RESOURCE_FIELDS)
    _require_open(_locked(request.plan))
    if request.decision != Decision.PENDING:
        raise ValidationError(
            _("This request is decided: ask again with a new request instead of changing it.")
        )
    _apply(request, changes)
    if request.person_days is None and request.amount is None:
        raise ValidationError({"person_days": _("Ask for person-days, money or both.")})
    _validated(request, exclude=["plan"])
    request.save()
    plan_figures_refresh([request.plan_id])
    return request


@transaction.atomic
def value_item_update(*, user: User, item: ValueItem, changes: dict[str, Any]) -> ValueItem:
    _require_writer(user, item.plan)
    _require_known(changes, VALUE_FIELDS)
    _require_draft(_locked(item.plan))
    _apply(item, changes)
    if item.amount is None and item.score is None:
        raise ValidationError({"amount": _("Give an amount or a score from 1 to 5.")})
    _validated(item, exclude=["plan"])
    item.save()
    return item


@transaction.atomic
def team_member_update(
    *, user: User, member: JointTeamMember, changes: dict[str, Any]
) -> JointTeamMember:
    """Change a person of the joint team (role, note, or who it is) while the plan is open."""
    _require_writer(user, member.plan)
    _require_known(changes, MEMBER_FIELDS)
    locked = _locked(member.plan)
    _require_open(locked)
    values = dict(changes)
    if "member_user_id" in values:
        values["user_id"] = values.pop("member_user_id")
    _apply(member, values)
    return _member_save(locked, member)


# --- Actions: worked all through the plan's life ---------------------------------------------


ACTION_FIELDS = frozenset({"title", "owner_id", "due_on", "status", "objective_id", "strategy_id"})


def _check_action(plan: AccountPlan, action: Action) -> None:
    if action.objective_id and not plan.objectives.filter(pk=action.objective_id).exists():
        raise ValidationError({"objective": _("Choose an objective of this plan.")})
    if action.strategy_id and not plan.strategies.filter(pk=action.strategy_id).exists():
        raise ValidationError({"strategy": _("Choose a strategy of this plan.")})
    if not User.objects.filter(pk=action.owner_id, is_active=True).exists():
        raise ValidationError({"owner": _("Choose an active user as the owner.")})


@transaction.atomic
def action_add(
    *,
    user: User,
    plan: AccountPlan,
    title: str,
    owner_id: int,
    due_on: dt.date,
    objective_id: int | None = None,
    strategy_id: int | None = None,
    interaction_id: int | None = None,
) -> Action:
    """An action with its owner (anyone, colleagues of other functions too) and due date."""
    _require_writer(user, plan)
    locked = _locked(plan)
    _require_open(locked)
    action = Action(
        plan=locked,
        title=title.strip(),
        owner_id=owner_id,
        due_on=due_on,
        objective_id=objective_id,
        strategy_id=strategy_id,
        interaction_id=interaction_id,
    )
    if (
        interaction_id is not None
        and not locked.account.interactions.filter(pk=interaction_id).exists()
    ):
        raise ValidationError({"interaction": _("Choose an interaction of this account.")})
    _check_action(locked, action)
    _validated(action, exclude=["plan", "owner"])
    action.save()
    return action


@transaction.atomic
def action_update(
    *, user: User, action: Action, changes: dict[str, Any], today: dt.date | None = None
) -> Action:
    """Change an action; marking it done records the day (reopening clears it). Its owner may
    update it too, even from another function without write rights on the account."""
    plan = action.plan
    if action.owner_id != user.pk:
        _require_writer(user, plan)
    _require_known(changes, ACTION_FIELDS)
    locked = _locked(plan)
    _require_open(locked)
    for name, value in changes.items():
        setattr(action, name, value)
    if action.status == ActionStatus.DONE and action.done_on is None:
        action.done_on = today or timezone.localdate()
    elif action.status in OPEN_ACTION_STATUSES:
        action.done_on = None
    _check_action(locked, action)
    _validated(action, exclude=["plan", "owner"])
    action.save()
    return action


# --- Risks --------------------------------------------------------------------------------


RISK_FIELDS = frozenset(
    {
        "source",
        "category",
        "description",
        "probability",
        "impact",
        "mitigation",
        "owner_id",
        "review_on",
        "status",
        "plan_id",
    }
)


def _risk_save(risk: Risk, *, today: dt.date, was_on: Iterable[int | None] = ()) -> Risk:
    """Rate, check and save the risk; the figures of its plan, and of the plan it was on
    (`was_on`) when it moves, are recomputed."""
    try:
        risk.rating = risk_rating(risk.probability, risk.impact)
    except ValueError as exc:
        raise ValidationError({"probability": _("Choose low, medium or high.")}) from exc
    if (
        risk.plan_id
        and not AccountPlan.objects.filter(pk=risk.plan_id, account_id=risk.account_id).exists()
    ):
        raise ValidationError({"plan": _("Choose a plan of this account.")})
    if not User.objects.filter(pk=risk.owner_id, is_active=True).exists():
        raise ValidationError({"owner": _("Choose an active user as the owner.")})
    if risk.status in (RiskStatus.CLOSED, RiskStatus.HAPPENED):
        risk.closed_on = risk.closed_on or today
    else:
        risk.closed_on = None
    _validated(risk, exclude=["account", "owner", "plan"])
    risk.save()
    plan_figures_refresh([risk.plan_id, *was_on])
    return risk


@transaction.atomic
def risk_create(
    *, user: User, account_id: int, fields: dict[str, Any], today: dt.date | None = None
) -> Risk:
    account: Account = writable_account_for(user, account_id)
    _require_known(fields, RISK_FIELDS)
    values = {"owner_id": user.pk, **fields}
    risk = Risk(account=account, **values)
    return _risk_save(risk, today=today or timezone.localdate())


@transaction.atomic
def risk_update(
    *, user: User, risk: Risk, changes: dict[str, Any], today: dt.date | None = None
) -> Risk:
    writable_account_for(user, risk.account_id)
    _require_known(changes, RISK_FIELDS)
    was_on = risk.plan_id
    for name, value in changes.items():
        setattr(risk, name, value)
    return _risk_save(risk, today=today or timezone.localdate(), was_on=[was_on])


# --- Reviews and measurement -------------------------------------------------------------


@transaction.atomic
def review_create(
    *,
    user: User,
    plan: AccountPlan,
    decisions: str = "",
    next_review_on: dt.date | None = None,
    held_on: dt.date | None = None,
) -> PlanReview:
    """A review of an approved or active plan: what changed since the last one is computed
    now and kept with the decisions taken."""
    _require_writer(user, plan)
    locked = _locked(plan)
    if locked.status not in (PlanStatus.APPROVED, PlanStatus.ACTIVE):
        raise ValidationError(_("Only an approved or active plan is reviewed."))
    held_on = held_on or timezone.localdate()
    if next_review_on is not None and next_review_on <= held_on:
        raise ValidationError({"next_review_on": _("The next review must come after this one.")})
    since = review_since(locked)
    objectives_measure(plans=[locked], as_of=held_on)
    review = PlanReview(
        plan=locked,
        held_on=held_on,
        since=since,
        figures=review_figures(locked, since=since, until=held_on),
        decisions=decisions.strip(),
        next_review_on=next_review_on,
        reviewed_by=user,
    )
    _validated(review, exclude=["plan", "reviewed_by"])
    review.save()
    plan_figures_refresh([locked.pk])
    return review


def objectives_measure(*, plans: Iterable[AccountPlan] | None = None, as_of: dt.date) -> int:
    """Read every measurable objective of the given (default: approved and active) plans
    from the data as of `as_of`, and activate approved plans whose period has begun. Returns
    the number of objectives measured, after recomputing the plans' stored figures (every
    plan's when none are given). Called after every refresh."""
    refreshed: list[int] | None = None
    if plans is None:
        # One by one, so each activation is in the plan's history.
        for starting in AccountPlan.objects.filter(
            status=PlanStatus.APPROVED, period_start__lte=as_of
        ):
            starting.status = PlanStatus.ACTIVE
            starting.save(update_fields=["status", "updated_at"])
        plans = AccountPlan.objects.filter(status=PlanStatus.ACTIVE).select_related("account")
    else:
        refreshed = []
    measured = 0
    for plan in plans:
        if refreshed is not None:
            refreshed.append(plan.pk)
        for objective in plan.objectives.exclude(metric=Metric.FREE_TEXT):
            objective.plan = plan
            objective.actual = actual_for(objective, as_of=as_of)
            objective.progress = progress_of(
                baseline=objective.baseline,
                target=objective.target,
                actual=objective.actual,
                starts_on=objective.starts_on,
                due_on=objective.due_on,
                as_of=as_of,
                cumulative=objective.metric == Metric.REVENUE,
            )
            objective.measured_on = as_of
            objective.save(update_fields=["actual", "progress", "measured_on", "updated_at"])
            measured += 1
    plan_figures_refresh(refreshed)
    return measured


@transaction.atomic
def plan_joint_project_add(*, user: User, plan: AccountPlan, **fields: Any) -> JointProject:
    """Record a joint project team (or board meeting) with the plan's account and list it on
    the plan; the relationship stage reads it from the account."""
    _require_writer(user, plan)
    locked = _locked(plan)
    _require_open(locked)
    project = joint_project_record(user=user, account_id=locked.account_id, **fields)
    locked.joint_projects.add(project)
    return project
