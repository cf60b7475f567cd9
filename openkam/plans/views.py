"""Plan pages: create a plan from the account (with the data's suggestions), the plan with
every section and its inline (htmx) forms, its approval cycle and reviews, the account's risk
register with its heat map, the portfolio's heat map and the plans overview.

Reads fetch through plan_for / account_for / part_for (404 for what the user does not see);
writes through writable_plan_for / writable_account_for / part_for(write=True) (also 403 for
a role that reads only, nothing saved). The services decide every business rule; a refusal
with fields lands on the form, one without is shown as a message on the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from openkam.accounts.models import Account, Tier
from openkam.accounts.selectors import (
    account_for,
    accounts_visible_to,
    teams_visible_to,
    user_writes,
    writable_account_for,
)
from openkam.common.errors import NotFound
from openkam.common.http import is_htmx
from openkam.interactions.models import Interaction
from openkam.interactions.selectors import writable_interaction_for
from openkam.plans import selectors, services
from openkam.plans.forms import (
    ActionForm,
    DecideForm,
    JointProjectForm,
    ObjectiveForm,
    ObjectiveProgressForm,
    OverviewFilterForm,
    PlanCreateForm,
    PlanTextsForm,
    ResourceForm,
    ReturnForm,
    ReviewForm,
    RiskFilterForm,
    RiskForm,
    StrategyForm,
    StyledForm,
    SwotForm,
    TeamMemberForm,
    ValueItemForm,
    active_users,
    attach_error,
)
from openkam.plans.models import (
    OPEN_RISK_STATUSES,
    AccountPlan,
    Action,
    ActionStatus,
    JointTeamMember,
    Objective,
    PlanStatus,
    Progress,
    ResourceRequest,
    Risk,
    Strategy,
    SwotItem,
    SwotKind,
    ValueItem,
)
from openkam.team.http import AuthenticatedRequest
from openkam.team.models import Role, User

OVERSEEING_ROLES = frozenset({Role.EXECUTIVE, Role.DIRECTOR})
SWOT_KINDS = [
    (SwotKind.STRENGTH, SwotKind.STRENGTH.label, "green"),
    (SwotKind.WEAKNESS, SwotKind.WEAKNESS.label, "orange"),
    (SwotKind.OPPORTUNITY, SwotKind.OPPORTUNITY.label, "blue"),
    (SwotKind.THREAT, SwotKind.THREAT.label, "red"),
]


def _oversees(user: User) -> bool:
    return bool(user.is_superuser or user.role in OVERSEEING_ROLES)


# --- Creating a plan -----------------------------------------------------------------------


@login_required
def create(request: AuthenticatedRequest, account_id: int) -> HttpResponse:
    """GET: the suggestions from the data to accept; POST: the draft, then its page."""
    account = writable_account_for(request.user, account_id)
    suggestions = selectors.plan_suggestions(account, as_of=timezone.localdate())
    families = [item.family for item in suggestions.whitespace]
    data = request.POST if request.method == "POST" else None
    form = PlanCreateForm(data, families=families)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                user=request.user, account_id=account.pk, **form.cleaned_data
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect(plan)
    context = {"account": account, "form": form, "suggestions": suggestions}
    return render(request, "plans/create.html", context)


# --- The plan page -------------------------------------------------------------------------


def _forms(request: AuthenticatedRequest, plan: AccountPlan, **shared: Any) -> dict[str, Any]:
    """Empty forms of every part the user may add now (none for a reading role)."""
    if not user_writes(request.user) or plan.status == "closed":
        return {}
    owners, strategies = shared["owners"], shared["strategies"]
    forms: dict[str, Any] = {
        "action": ActionForm(
            plan=plan,
            owners=owners,
            strategies=strategies,
            initial={"owner_id": request.user.pk},
            auto_id=_ids("action"),
        ),
        "resource": ResourceForm(auto_id=_ids("resource")),
        "member": TeamMemberForm(
            owners=owners, contacts=shared["contacts"], auto_id=_ids("member")
        ),
        "project": JointProjectForm(
            owners=owners,
            contacts=shared["contacts"],
            initial={"our_member_ids": [request.user.pk]},
            auto_id=_ids("project"),
        ),
        "risk": RiskForm(
            owners=owners,
            plans=[plan],
            initial={"plan_id": plan.pk, "owner_id": request.user.pk},
            auto_id=_ids("risk"),
        ),
        "texts": PlanTextsForm(plan=plan, auto_id=_ids("texts")),
    }
    if plan.status in ("approved", "active"):
        forms["review"] = ReviewForm(auto_id=_ids("review"))
    if plan.is_editable():
        forms.update(
            swot=SwotForm(auto_id=_ids("swot")),
            objective=ObjectiveForm(auto_id=_ids("objective")),
            strategy=StrategyForm(plan=plan, auto_id=_ids("strategy")),
            value=ValueItemForm(auto_id=_ids("value")),
        )
    return forms


def _ids(part: str) -> str:
    """Each part's form gets its own element ids: several sit on one page."""
    return f"{part}-%s"


def _plan_context(
    request: AuthenticatedRequest, pk: int, *, bound: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Everything the plan page shows, in a fixed number of queries; `bound` replaces the
    empty form of a part by the one just sent (with its errors)."""
    found = selectors.plan_detail_queryset(request.user).select_related("account__team")
    plan = found.filter(pk=pk).first()
    if plan is None:
        raise NotFound("No plan with this ID.")
    today = timezone.localdate()
    reviews = list(plan.reviews.all())
    shared = {
        "owners": list(active_users()),
        "strategies": list(plan.strategies.all()),
        "contacts": list(plan.account.contacts.all()),
    }
    forms = {**_forms(request, plan, **shared), **(bound or {})}
    members = list(plan.team_members.all())
    if selectors.may_decide(request.user, plan.account):
        for resource in plan.resources.all():
            resource.decide_key = f"decide{resource.pk}"  # type: ignore[attr-defined]
            resource.decide_form = DecideForm(  # type: ignore[attr-defined]
                prefix=f"r{resource.pk}", auto_id=f"decide{resource.pk}-%s"
            )
    return {
        "plan": plan,
        "account": plan.account,
        "today": today,
        "can_write": user_writes(request.user),
        "can_decide": selectors.may_decide(request.user, plan.account),
        "stale": selectors.is_stale(
            plan, today=today, last_review=reviews[0].held_on if reviews else None
        ),
        "reviews": reviews,
        "delivered": selectors.delivered_value(plan.value_items.all()),
        "projects": list(plan.joint_projects.prefetch_related("our_members", "their_members")),
        "ours": [m for m in members if m.user_id],
        "theirs": [m for m in members if m.contact_id],
        "history": selectors.plan_history(plan),
        "forms": forms,
        "open_form": next(iter(bound or {}), ""),
        "return_form": forms.get("return") or ReturnForm(auto_id=_ids("return")),
        "swot_kinds": SWOT_KINDS,
        "progress_choices": Progress.choices,
        "partial": is_htmx(request),
    }


def _plan_body(request: AuthenticatedRequest, pk: int, **bound: Any) -> HttpResponse:
    """The plan page's body, what every write on the page answers with (htmx swaps it);
    without htmx, the page again (after a success, by a redirect)."""
    if not is_htmx(request):
        if not bound:
            return redirect("plans:detail", pk=pk)
        return render(request, "plans/detail.html", _plan_context(request, pk, bound=bound))
    response = render(request, "plans/_body.html", _plan_context(request, pk, bound=bound))
    response["HX-Retarget"] = "#plan-body"
    response["HX-Reswap"] = "outerHTML"
    return response


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return render(request, "plans/detail.html", _plan_context(request, pk))


@require_POST
@login_required
def transition(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    """Submit, approve, return (with a comment) or close; the service says who may."""
    plan = selectors.plan_for(request.user, pk)
    steps: dict[str, Callable[[], object]] = {
        "submit": lambda: services.plan_submit(user=request.user, plan=plan),
        "approve": lambda: services.plan_approve(user=request.user, plan=plan),
        "close": lambda: services.plan_close(user=request.user, plan=plan),
    }
    if step == "return":
        form = ReturnForm(request.POST)
        if not form.is_valid():
            return _plan_body(request, pk, **{"return": form})
        steps["return"] = lambda: services.plan_return(
            user=request.user, plan=plan, comment=form.cleaned_data["comment"]
        )
    if step not in steps:
        raise NotFound("No such step.")
    try:
        steps[step]()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _plan_body(request, pk)


@require_POST
@login_required
def texts(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    plan = selectors.writable_plan_for(request.user, pk)
    form = PlanTextsForm(request.POST, plan=plan, auto_id=_ids("texts"))
    if form.is_valid():
        try:
            services.plan_update(user=request.user, plan=plan, changes=form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return _plan_body(request, pk)
    return _plan_body(request, pk, texts=form)


def _add(request: AuthenticatedRequest, plan: AccountPlan, part: str) -> tuple[Any, Callable]:
    """The bound form of a part and the service call that adds it."""
    user, data, ids = request.user, request.POST, _ids(part)
    owners = list(active_users())
    if part == "swot":
        return SwotForm(data, auto_id=ids), lambda d: services.swot_add(user=user, plan=plan, **d)
    if part == "objective":
        return ObjectiveForm(data, auto_id=ids), lambda d: services.objective_add(
            user=user, plan=plan, **d
        )
    if part == "strategy":
        form: Any = StrategyForm(data, plan=plan, auto_id=ids)
        return form, lambda d: services.strategy_add(user=user, plan=plan, **d)
    if part == "action":
        form = ActionForm(
            data, plan=plan, owners=owners, strategies=list(plan.strategies.all()), auto_id=ids
        )
        return form, lambda d: services.action_add(user=user, plan=plan, **d)
    if part == "resource":
        return ResourceForm(data, auto_id=ids), lambda d: services.resource_request_add(
            user=user, plan=plan, **d
        )
    if part == "member":
        form = TeamMemberForm(
            data, owners=owners, contacts=list(plan.account.contacts.all()), auto_id=ids
        )
        return form, lambda d: services.team_member_add(user=user, plan=plan, **d)
    if part == "project":
        form = JointProjectForm(
            data, owners=owners, contacts=list(plan.account.contacts.all()), auto_id=ids
        )
        return form, lambda d: services.plan_joint_project_add(user=user, plan=plan, **d)
    if part == "value":
        return ValueItemForm(data, auto_id=ids), lambda d: services.value_item_add(
            user=user, plan=plan, **d
        )
    if part == "risk":
        form = RiskForm(data, owners=owners, plans=[plan], auto_id=ids)
        return form, lambda d: services.risk_create(user=user, account_id=plan.account_id, fields=d)
    if part == "review":
        return ReviewForm(data, auto_id=ids), lambda d: services.review_create(
            user=user, plan=plan, **d
        )
    raise NotFound("No such part.")


@require_POST
@login_required
def part_add(request: AuthenticatedRequest, pk: int, part: str) -> HttpResponse:
    plan = selectors.writable_plan_for(request.user, pk)
    form, save = _add(request, plan, part)
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return _plan_body(request, pk)
    return _plan_body(request, pk, **{part: form})


DELETABLE: dict[str, type[Model]] = {
    "swot": SwotItem,
    "objective": Objective,
    "strategy": Strategy,
    "resource": ResourceRequest,
    "member": JointTeamMember,
    "value": ValueItem,
}


@require_POST
@login_required
def part_delete(request: AuthenticatedRequest, pk: int, part: str, item: int) -> HttpResponse:
    if part not in DELETABLE:
        raise NotFound("No such part.")
    found: Any = selectors.part_for(request.user, DELETABLE[part], item, write=True)
    if found.plan_id != pk:
        raise NotFound("No such part.")
    try:
        services.part_delete(user=request.user, part=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _plan_body(request, pk)


@dataclass(frozen=True)
class EditablePart:
    """A part changed in place: its model, its form bound to its current values, the
    service that saves the change, and how its row is drawn (the element the form replaces)."""

    model: type[Model]
    form: Callable[[AuthenticatedRequest, Any, Any], StyledForm]
    save: Callable[[User, Any, dict[str, Any]], object]
    tag: str = "li"
    colspan: int = 1
    col: str = "col-12"  # the width of each field in the form


def _initial(part: Any, *names: str) -> dict[str, Any]:
    return {name: getattr(part, name) for name in names}


EDITABLE: dict[str, EditablePart] = {
    "swot": EditablePart(
        SwotItem,
        lambda request, item, data: SwotForm(
            data, initial=_initial(item, "kind", "text"), prefix=f"swot-{item.pk}"
        ),
        lambda user, item, changes: services.swot_update(user=user, item=item, changes=changes),
    ),
    "strategy": EditablePart(
        Strategy,
        lambda request, strategy, data: StrategyForm(
            data,
            plan=strategy.plan,
            initial={
                "description": strategy.description,
                "objective_ids": [o.pk for o in strategy.objectives.all()],
            },
            prefix=f"strategy-{strategy.pk}",
        ),
        lambda user, strategy, changes: services.strategy_update(
            user=user, strategy=strategy, changes=changes
        ),
        tag="div",
    ),
    "resource": EditablePart(
        ResourceRequest,
        lambda request, resource, data: ResourceForm(
            data,
            initial=_initial(resource, "function", "person_days", "amount", "reason"),
            prefix=f"resource-{resource.pk}",
        ),
        lambda user, resource, changes: services.resource_request_update(
            user=user, request=resource, changes=changes
        ),
        tag="tr",
        colspan=6,
        col="col-md-3",
    ),
    "value": EditablePart(
        ValueItem,
        lambda request, item, data: ValueItemForm(
            data,
            initial=_initial(item, "component", "amount", "score", "note"),
            prefix=f"value-{item.pk}",
        ),
        lambda user, item, changes: services.value_item_update(
            user=user, item=item, changes=changes
        ),
        tag="tr",
        colspan=4,
        col="col-md-6",
    ),
    "member": EditablePart(
        JointTeamMember,
        lambda request, member, data: TeamMemberForm(
            data,
            owners=list(active_users()),
            contacts=list(member.plan.account.contacts.all()),
            initial={
                "role": member.role,
                "member_user_id": member.user_id,
                "contact_id": member.contact_id,
                "note": member.note,
            },
            prefix=f"member-{member.pk}",
        ),
        lambda user, member, changes: services.team_member_update(
            user=user, member=member, changes=changes
        ),
    ),
}


@login_required
def part_edit(request: AuthenticatedRequest, pk: int, part: str, item: int) -> HttpResponse:
    """GET: the part's form in place of its row (htmx); POST: save the change and answer the
    plan's body, or the form again with the refusal on the field it names."""
    editable = EDITABLE.get(part)
    if editable is None:
        raise NotFound("No such part.")
    found: Any = selectors.part_for(request.user, editable.model, item, write=True)
    if found.plan_id != pk:
        raise NotFound("No such part.")
    form = editable.form(request, found, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            editable.save(request.user, found, form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return _plan_body(request, pk)
    context = {"part": part, "item": found, "form": form, "plan": found.plan, "editable": editable}
    return render(request, "plans/_part_edit.html", context)


@login_required
def objective_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the objective's form in place of its row; POST: save it, answer the body."""
    objective = selectors.part_for(request.user, Objective, pk, write=True)
    form = ObjectiveForm.for_objective(objective, request.POST or None)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v is not None}
        try:
            services.objective_update(user=request.user, objective=objective, changes=changes)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return _plan_body(request, objective.plan_id)
    context = {"objective": objective, "form": form, "plan": objective.plan}
    return render(request, "plans/_objective_form.html", context)


@require_POST
@login_required
def objective_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A free-text objective's progress, assessed by hand."""
    objective = selectors.part_for(request.user, Objective, pk, write=True)
    form = ObjectiveProgressForm(request.POST)
    if form.is_valid():
        try:
            services.objective_update(
                user=request.user, objective=objective, changes=form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return _plan_body(request, objective.plan_id)


def _action_for(request: AuthenticatedRequest, pk: int) -> Action:
    """An action for a write: its owner may work it even with a role that reads only."""
    action = selectors.part_for(request.user, Action, pk)
    if action.owner_id != request.user.pk and not user_writes(request.user):
        raise PermissionDenied
    return action


@require_POST
@login_required
def action_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Done or reopened, inline."""
    action = _action_for(request, pk)
    status = request.POST.get("status", "")
    if status not in ActionStatus.values:
        raise NotFound("No such status.")
    try:
        action = services.action_update(
            user=request.user, action=action, changes={"status": status}
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.POST.get("from") == "week":
        context = {"action": action, "today": timezone.localdate()}
        return render(request, "plans/_week_action_row.html", context)
    return _plan_body(request, action.plan_id)


@login_required
def action_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = _action_for(request, pk)
    plan = action.plan
    initial = {
        "title": action.title,
        "owner_id": action.owner_id,
        "due_on": action.due_on,
        "objective_id": action.objective_id,
        "strategy_id": action.strategy_id,
    }
    form = ActionForm(
        request.POST or None,
        plan=plan,
        owners=list(active_users()),
        strategies=list(plan.strategies.all()),
        initial=initial,
        prefix=f"a{action.pk}",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(user=request.user, action=action, changes=form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return _plan_body(request, plan.pk)
    return render(request, "plans/_action_form.html", {"action": action, "form": form})


@login_required
def action_from_step(request: AuthenticatedRequest, interaction_id: int) -> HttpResponse:
    """An interaction's next step as an action of the account's working plan (active, else
    the draft...): GET the form prefilled from the step, POST saves it linked to the
    interaction and shows the plan. Without an open plan, the page says so and links to
    creating one."""
    interaction = writable_interaction_for(request.user, interaction_id)
    if not interaction.next_step:
        raise NotFound("This interaction has no next step.")
    plan = selectors.working_plan(interaction.account)
    form = None
    if plan is not None:
        form = ActionForm(
            request.POST or None,
            plan=plan,
            owners=list(active_users()),
            strategies=list(plan.strategies.all()),
            initial=_step_initial(interaction, request.user),
            auto_id=_ids("step"),
        )
    if plan is not None and form is not None and request.method == "POST" and form.is_valid():
        try:
            action = services.action_add(
                user=request.user, plan=plan, interaction_id=interaction.pk, **form.cleaned_data
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect(f"{plan.get_absolute_url()}#action-{action.pk}")
    context = {
        "interaction": interaction,
        "account": interaction.account,
        "plan": plan,
        "form": form,
        "linked": list(interaction.plan_actions.select_related("plan", "owner")),
    }
    return render(request, "plans/action_from_step.html", context)


def _step_initial(interaction: Interaction, user: User) -> dict[str, Any]:
    return {
        "title": interaction.next_step,
        "owner_id": interaction.next_step_owner_id or user.pk,
        "due_on": interaction.next_step_due,
    }


@require_POST
@login_required
def resource_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    resource = selectors.part_for(request.user, ResourceRequest, pk, write=True)
    form = DecideForm(request.POST, prefix=f"r{resource.pk}")
    if form.is_valid():
        try:
            services.resource_decide(user=request.user, request=resource, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return _plan_body(request, resource.plan_id)
    return _plan_body(request, resource.plan_id, **{f"decide{resource.pk}": form})


@login_required
def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The figures a review would keep, computed now and not saved (the optional preview)."""
    plan = selectors.plan_for(request.user, pk)
    since = selectors.review_since(plan)
    figures = selectors.review_figures(plan, since=since, until=timezone.localdate())
    return render(request, "plans/_review_preview.html", {"plan": plan, "figures": figures})


# --- Risks ---------------------------------------------------------------------------------


def _register_context(
    request: AuthenticatedRequest, account: Account, *, form: RiskForm | None = None
) -> dict[str, Any]:
    filters = RiskFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    risks = account.risks.select_related("owner", "plan")
    status = data.get("status") or ""
    if status == "":
        risks = risks.filter(status__in=OPEN_RISK_STATUSES)
    elif status != "all":
        risks = risks.filter(status=status)
    if data.get("rating"):
        risks = risks.filter(rating=data["rating"])
    page = Paginator(risks.order_by("-id"), settings.OPENKAM_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    can_write = user_writes(request.user)
    plans = list(account.plans.exclude(status="closed"))
    if can_write and form is None:
        form = RiskForm(
            owners=list(active_users()), plans=plans, initial={"owner_id": request.user.pk}
        )
    return {
        "account": account,
        "page": page,
        "filters": filters,
        "grid": selectors.risk_grid(account.risks.filter(status__in=OPEN_RISK_STATUSES)),
        "can_write": can_write,
        "form": form,
        "partial": is_htmx(request),
    }


def _register(request: AuthenticatedRequest, account: Account, **extra: Any) -> HttpResponse:
    context = _register_context(request, account, **extra)
    if not is_htmx(request):
        return render(request, "plans/risks.html", context)
    response = render(request, "plans/_register.html", context)
    response["HX-Retarget"] = "#risk-register"
    response["HX-Reswap"] = "outerHTML"
    return response


@login_required
def risks(request: AuthenticatedRequest, account_id: int) -> HttpResponse:
    """The account's risk register: GET lists it (filters by status and rating) with its heat
    map; POST adds a risk."""
    if request.method != "POST":
        return _register(request, account_for(request.user, account_id, shape=_with_people))
    account = writable_account_for(request.user, account_id, shape=_with_people)
    form = RiskForm(request.POST, owners=list(active_users()), plans=list(account.plans.all()))
    if form.is_valid():
        try:
            services.risk_create(user=request.user, account_id=account.pk, fields=form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return _register(request, account)
    return _register(request, account, form=form)


def _with_people(accounts: Any) -> Any:
    return accounts.select_related("owner", "team")


@login_required
def risk_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the risk's form in place of its row; POST: save it, answer the register."""
    risk: Risk = selectors.risk_for(request.user, pk, write=True)
    account = risk.account
    fields = ("source", "category", "description", "probability", "impact", "mitigation")
    initial = {name: getattr(risk, name) for name in fields}
    initial.update(owner_id=risk.owner_id, review_on=risk.review_on, status=risk.status)
    initial["plan_id"] = risk.plan_id
    form = RiskForm(
        request.POST or None,
        owners=list(active_users()),
        plans=list(account.plans.all()),
        initial=initial,
        prefix=f"k{risk.pk}",
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_update(user=request.user, risk=risk, changes=form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            if request.POST.get("from") == "plan" and risk.plan_id:
                return _plan_body(request, risk.plan_id)
            return _register(request, account_for(request.user, account.pk, shape=_with_people))
    context = {"risk": risk, "form": form, "origin": request.GET.get("from", "")}
    return render(request, "plans/_risk_form.html", context)


@login_required
def portfolio_risks(request: AuthenticatedRequest) -> HttpResponse:
    """Directors and executives: the heat map of every visible account's open risks and the
    key accounts carrying significant risks and show stoppers, with the revenue at stake."""
    if not _oversees(request.user):
        raise PermissionDenied
    visible = accounts_visible_to(request.user)
    open_risks = Risk.objects.filter(account__in=visible, status__in=OPEN_RISK_STATUSES)
    at_risk = selectors.accounts_at_risk(request.user)
    page = Paginator(at_risk, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"grid": selectors.risk_grid(open_risks), "page": page}
    return render(request, "plans/portfolio_risks.html", context)


# --- The overview --------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewRow:
    """One plan of the overview, written out here from its values: building model instances
    (plan, account, team, owner) and formatting dates in the template cost the page more
    than the rest of it."""

    url: str
    account: str
    tier: str
    team: str
    owner: str
    period: str
    status: str
    status_label: str
    stale: bool
    objectives_behind: int
    actions_overdue: int
    days_asked: Decimal | None
    days_granted: Decimal | None
    money_asked: Decimal | None
    money_granted: Decimal | None
    show_stoppers: int
    last_review: str


def _owner_label(row: dict[str, Any], known: dict[int, str]) -> str:
    """The owner as User.__str__ names them, once per owner of the page."""
    pk = row["owner_id"]
    if pk is None:
        return "—"
    if pk not in known:
        names = {name: row[f"owner__{name}"] for name in selectors.OWNER_NAMES}
        known[pk] = str(User(pk=pk, **names))
    return known[pk]


def _overview_rows(values: list[dict[str, Any]], *, today: dt.date) -> list[OverviewRow]:
    tiers = {code: str(label) for code, label in Tier.choices}
    statuses = {code: str(label) for code, label in PlanStatus.choices}
    owners: dict[int, str] = {}
    rows = []
    for row in values:
        last = row["last_review_on"]
        start, end = row["period_start"], row["period_end"]
        rows.append(
            OverviewRow(
                url=reverse("plans:detail", args=[row["pk"]]),
                # Account.__str__: the short name, else the legal name.
                account=row["account__short_name"] or row["account__legal_name"],
                tier=tiers.get(row["account__tier"], row["account__tier"]),
                team=row["account__team__name"] or "—",
                owner=_owner_label(row, owners),
                period=f"{start:%Y-%m} – {end:%Y-%m}",
                status=row["status"],
                status_label=statuses.get(row["status"], row["status"]),
                stale=selectors.stale_on(
                    status=row["status"],
                    approved_at=row["approved_at"],
                    period_start=start,
                    last_review=last,
                    today=today,
                ),
                objectives_behind=row["objectives_behind"],
                actions_overdue=row["actions_overdue"],
                days_asked=row["days_asked"],
                days_granted=row["days_granted"],
                money_asked=row["money_asked"],
                money_granted=row["money_granted"],
                show_stoppers=row["show_stoppers"],
                last_review=last.isoformat() if last else "—",
            )
        )
    return rows


@login_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    """Every plan the user oversees (a KAM: the plans of the accounts they own) with what a
    director reads first; filters, sorting, pages."""
    user = request.user
    plans = selectors.plans_overview(user)
    if not (_oversees(user) or user.sees_all_accounts) and user.role == Role.KAM:
        plans = plans.filter(account__owner=user)
    form = OverviewFilterForm(request.GET, teams=teams_visible_to(user), user=user)
    counts = selectors.plan_status_counts(form.filtered(plans, by_status=False))
    values = form.filtered(plans).values(*selectors.OVERVIEW_VALUES)
    paginator = Paginator(values, settings.OPENKAM_PAGE_SIZE)
    # The counts by status already hold the total: the pager need not count again.
    status = form.status_filter()
    paginator.count = counts.get(status, 0) if status else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    rows = _overview_rows(list(page.object_list), today=timezone.localdate())
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "counts": counts,
        "total": sum(counts.values()),
        "sort": request.GET.get("sort") or "account",
        "oversees": _oversees(user),
        "status_choices": PlanStatus.choices,
    }
    template = "plans/_overview_results.html" if is_htmx(request) else "plans/overview.html"
    return render(request, template, context)
