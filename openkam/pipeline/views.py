"""Pipeline pages: the board by stage (cards moved by drag or by the move select, htmx), the
list with its filters, one opportunity with its history, the figures (weighted pipeline per
KAM, team and month; conversion and days per stage), the stage probabilities (executives),
and the prospects with their screening.

Reads fetch through opportunity_for / account_for (404 for what the user does not see);
writes through opportunity_for(write=True) / writable_account_for (also 403 for a role that
reads only, nothing saved). The services decide every business rule."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from openkam.accounts.selectors import (
    account_for,
    accounts_editable_by,
    accounts_visible_to,
    user_writes,
    writable_account_for,
)
from openkam.common.http import is_htmx
from openkam.pipeline import leads as lead_lists
from openkam.pipeline import promotion, selectors, services
from openkam.pipeline.forms import (
    ChainLinkForm,
    LeadConvertForm,
    LeadUploadForm,
    ListFilterForm,
    MoveForm,
    NewOpportunityForm,
    OpportunityForm,
    ProfileForm,
    ScreenForm,
    TermsForm,
)
from openkam.pipeline.mode import promotion_mode, stages
from openkam.pipeline.models import (
    OPEN_STAGES,
    ChainLink,
    Opportunity,
    PromotionWeight,
    Stage,
    StageProbability,
)
from openkam.plans.forms import StyledForm, attach_error
from openkam.plans.models import Objective
from openkam.plans.selectors import plan_for
from openkam.portfolio.scoring import account_scorecard
from openkam.team.http import AuthenticatedRequest
from openkam.team.models import Role, User

PAGE_SIZE = 25
BOARD_LIMIT = 50  # cards per column; the list shows the rest
CLOSED_DAYS = 90  # won and lost columns: what closed lately
SORTS = {
    "account": "account__legal_name",
    "amount": "amount",
    "weighted": "weighted",
    "stage": "stage_rank",
    "close": "expected_close",
    "owner": "owner__username",
    "changed": "updated_at",
}


def _stale_days(request: AuthenticatedRequest) -> int:
    value = request.GET.get("stale", "")
    return int(value) if value.isdigit() and 0 < int(value) < 1000 else selectors.STALE_DAYS


def _stage_rank() -> Any:
    from django.db.models import Case, IntegerField, Value, When

    return Case(
        *[When(stage=stage, then=Value(i)) for i, stage in enumerate(Stage.values)],
        output_field=IntegerField(),
    )


@login_required
def board(request: AuthenticatedRequest) -> HttpResponse:
    """The open opportunities in one column per stage, stale ones flagged; the won and lost
    columns hold what closed in the last 90 days."""
    days = _stale_days(request)
    stale = selectors.stale_before(days)
    recent = timezone.localdate() - dt.timedelta(days=CLOSED_DAYS)
    rows = list(
        selectors.with_weighted(
            selectors.opportunities_visible_to(request.user).filter(
                Q(stage__in=OPEN_STAGES) | Q(closed_on__gte=recent)
            )
        )
        .select_related("account", "owner")
        .order_by("expected_close", "pk")
    )
    columns = []
    for stage in stages().all:
        cards = [row for row in rows if row.stage == stage]
        columns.append(
            {
                "stage": stage.value,
                "label": stage.label,
                "cards": cards[:BOARD_LIMIT],
                "count": len(cards),
                "more": max(len(cards) - BOARD_LIMIT, 0),
                "total": sum(row.amount for row in cards),
                "weighted": sum(row.weighted for row in cards),  # type: ignore[attr-defined]
            }
        )
    context = {
        "columns": columns,
        "stale": stale,
        "stale_days": days,
        "stages": stages().choices,
        "can_write": user_writes(request.user),
        "currency": settings.OPENKAM_CURRENCY,
    }
    return render(request, "pipeline/board.html", context)


def _owners(user: User) -> list[tuple[int, str]]:
    ids = selectors.opportunities_visible_to(user).values("owner_id")
    return [(u.pk, str(u)) for u in User.objects.filter(pk__in=ids).order_by("username")]


def _filtered(user: User, form: ListFilterForm) -> tuple[QuerySet[Opportunity], str]:
    rows = selectors.with_weighted(selectors.opportunities_visible_to(user)).annotate(
        stage_rank=_stage_rank()
    )
    data = form.cleaned_data if form.is_valid() else {}
    if query := (data.get("q") or "").strip():
        rows = rows.filter(
            Q(account__legal_name__icontains=query) | Q(account__short_name__icontains=query)
        )
    stage = data.get("stage") or ""
    if stage == "open":
        rows = rows.filter(stage__in=OPEN_STAGES)
    elif stage:
        rows = rows.filter(stage=stage)
    if data.get("owner"):
        rows = rows.filter(owner_id=data["owner"])
    if month := data.get("month"):
        year, number = int(month[:4]), int(month[5:])
        rows = rows.filter(expected_close__year=year, expected_close__month=number)
    sort = data.get("sort") or "close"
    key = SORTS.get(sort.lstrip("-"), "expected_close")
    rows = rows.order_by(f"-{key}" if sort.startswith("-") else key, "pk")
    return rows.select_related("account", "owner"), sort


@login_required
def opportunity_list(request: AuthenticatedRequest) -> HttpResponse:
    form = ListFilterForm(request.GET or None, owners=_owners(request.user))
    rows, sort = _filtered(request.user, form)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": page.object_list,
        "sort": sort,
        "stale": selectors.stale_before(_stale_days(request)),
    }
    template = "pipeline/_list_results.html" if is_htmx(request) else "pipeline/list.html"
    return render(request, template, context)


@login_required
def create(request: AuthenticatedRequest) -> HttpResponse:
    """A new opportunity; ?account= picks the account (from its page)."""
    if not user_writes(request.user):
        raise PermissionDenied
    accounts = accounts_editable_by(request.user).order_by("legal_name")
    initial = {"account_id": request.GET.get("account"), "owner_id": request.user.pk}
    data = request.POST if request.method == "POST" else None
    form = NewOpportunityForm(data, initial=initial, accounts=accounts)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_create(user=request.user, **form.service_fields())
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect(opportunity)
    return render(request, "pipeline/create.html", {"form": form})


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_for(request.user, pk)
    chances = selectors.probabilities()
    context = {
        "opportunity": opportunity,
        "probability": chances[opportunity.stage],
        "weighted": opportunity.amount * chances[opportunity.stage] / 100,
        "changes": opportunity.stage_changes.select_related("user").order_by("-at", "-pk"),
        "history": opportunity.history.select_related("history_user").order_by("-history_date")[
            :20
        ],
        "products": opportunity.products.all(),
        "competitors": opportunity.competitors.all(),
        "orders": opportunity.orders.order_by("-order_date"),
        "move_form": MoveForm(initial={"stage": opportunity.stage}),
        "stages": stages().choices,
        "can_write": user_writes(request.user),
        "stale": opportunity.updated_at < selectors.stale_before(),
        "promotion": promotion_mode(),
        "objective": opportunity.objective,
    }
    terms = promotion.terms_or_none(opportunity)
    if context["promotion"] or terms is not None:
        profile = promotion.profile_or_none(opportunity.account)
        suppliers = promotion.suppliers_brought([opportunity.account_id])
        context |= {
            "terms": terms,
            "profile": profile,
            "score": promotion.project_score(
                opportunity, terms, profile, suppliers.get(opportunity.account_id, 0)
            ),
        }
    return render(request, "pipeline/detail.html", context)


@login_required
def terms(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """An investment project's terms: land, jobs, output and tax, the policy package."""
    opportunity = selectors.opportunity_for(request.user, pk, write=True)
    current = promotion.terms_or_none(opportunity)
    initial = {name: getattr(current, name) for name in promotion.TERMS_FIELDS} if current else {}
    form = TermsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            promotion.project_terms_set(
                user=request.user, opportunity=opportunity, changes=form.cleaned_data
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect(opportunity)
    context = {"form": form, "opportunity": opportunity}
    return render(request, "pipeline/terms.html", context, status=400 if form.errors else 200)


@login_required
def target(request: AuthenticatedRequest, account_id: int) -> HttpResponse:
    """A target enterprise: its chain and position, shares, expansion, the policy support it
    asks for, the suppliers it brings, its projects; the account's writers edit it."""
    writing = request.method == "POST"
    if writing:
        account = writable_account_for(request.user, account_id)
    else:
        account = account_for(request.user, account_id)
    current = promotion.profile_or_none(account)
    initial = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in promotion.PROFILE_FIELDS}
    form = ProfileForm(request.POST if writing else None, initial=initial)
    if writing and form.is_valid():
        try:
            promotion.target_profile_set(
                user=request.user, account_id=account.pk, changes=form.service_fields()
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect("pipeline:target", account_id=account.pk)
    visible = accounts_visible_to(request.user).values("pk")
    context = {
        "account": account,
        "profile": current,
        "form": form,
        "link_form": ChainLinkForm(accounts=_link_choices(request.user, account)),
        "suppliers": account.supplier_links.filter(supplier__in=visible).select_related(
            "supplier", "supplier__target_profile"
        ),
        "anchors": account.anchor_links.filter(anchor__in=visible).select_related("anchor"),
        "projects": selectors.with_weighted(
            selectors.opportunities_visible_to(request.user).filter(account=account)
        ).select_related("owner", "terms"),
        "can_write": user_writes(request.user),
    }
    return render(request, "pipeline/target.html", context, status=400 if form.errors else 200)


def _link_choices(user: User, account: Any) -> QuerySet[Any]:
    return accounts_visible_to(user).exclude(pk=account.pk).order_by("legal_name")


@login_required
@require_POST
def supplier_add(request: AuthenticatedRequest, account_id: int) -> HttpResponse:
    """Link a supplier the target brings (the chain it can bring)."""
    account = writable_account_for(request.user, account_id)
    form = ChainLinkForm(request.POST, accounts=_link_choices(request.user, account))
    if not form.is_valid():
        raise ValidationError(_first_error(form))
    promotion.chain_link_add(
        user=request.user,
        anchor_id=account.pk,
        supplier_id=form.cleaned_data["supplier_id"].pk,
        supplies=form.cleaned_data["supplies"],
    )
    return redirect("pipeline:target", account_id=account.pk)


@login_required
@require_POST
def supplier_remove(request: AuthenticatedRequest, account_id: int, link_id: int) -> HttpResponse:
    account = writable_account_for(request.user, account_id)
    link = get_object_or_404(ChainLink, pk=link_id, anchor=account)
    promotion.chain_link_remove(user=request.user, link=link)
    return redirect("pipeline:target", account_id=account.pk)


@login_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_for(request.user, pk, write=True)
    initial = {
        "title": opportunity.title,
        "amount": opportunity.amount,
        "expected_close": opportunity.expected_close,
        "owner_id": opportunity.owner_id,
        "families": opportunity.families,
        "product_ids": list(opportunity.products.values_list("pk", flat=True)),
        "competitor_ids": list(opportunity.competitors.values_list("pk", flat=True)),
        "next_step": opportunity.next_step,
        "objective_id": opportunity.objective_id,
    }
    data = request.POST if request.method == "POST" else None
    objectives = Objective.objects.filter(plan__account_id=opportunity.account_id).order_by(
        "plan__period_start", "position", "pk"
    )
    form = OpportunityForm(data, initial=initial, objectives=objectives)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_update(
                user=request.user, opportunity=opportunity, changes=form.service_fields()
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect(opportunity)
    return render(request, "pipeline/edit.html", {"form": form, "opportunity": opportunity})


@login_required
@require_POST
def move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Move to a stage (the board's drag, its select, the page's buttons); htmx gets the card
    back, a plain form the page."""
    opportunity = selectors.opportunity_for(request.user, pk, write=True)
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_first_error(form))
    services.opportunity_move_stage(
        user=request.user,
        opportunity=opportunity,
        stage=form.cleaned_data["stage"],
        reason=form.cleaned_data["reason"],
    )
    if is_htmx(request) and request.POST.get("from") == "board":
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return redirect(opportunity)


def _first_error(form: StyledForm) -> str:
    return "; ".join(str(message) for errors in form.errors.values() for message in errors)


@login_required
def figures(request: AuthenticatedRequest) -> HttpResponse:
    """Weighted pipeline per KAM, team and month; conversion and days per stage; win rate."""
    context = {
        "weighted": selectors.weighted_pipeline(request.user),
        "flow": selectors.pipeline_flow(request.user),
        "win_rate": selectors.win_rate(request.user),
        "probabilities": selectors.probabilities(),
        "stages": stages().choices,
        "currency": settings.OPENKAM_CURRENCY,
        "is_executive": _is_executive(request.user),
        "promotion": promotion_mode(),
    }
    if context["promotion"]:
        context["promo"] = promotion.promotion_figures(
            selectors.opportunities_visible_to(request.user), request.user
        )
    return render(request, "pipeline/figures.html", context)


def _is_executive(user: User) -> bool:
    return bool(user.is_superuser or user.role == Role.EXECUTIVE)


@login_required
def probabilities(request: AuthenticatedRequest) -> HttpResponse:
    """Each stage's probability; executives change them (others read)."""
    errors: dict[str, Any] = {}
    values: dict[str, Any] = dict(selectors.probabilities())
    if request.method == "POST":
        if not _is_executive(request.user):
            raise PermissionDenied
        posted = {stage.value: request.POST.get(stage, "").strip() for stage in stages().all}
        values.update(posted)
        errors = {stage: True for stage, value in posted.items() if not value.isdigit()}
        if not errors:
            try:
                services.stage_probabilities_set(
                    user=request.user,
                    probabilities={stage: int(value) for stage, value in posted.items()},
                )
            except ValidationError as error:
                errors = error.message_dict
            else:
                return redirect("pipeline:figures")
    rows = [(stage, label, values[stage], errors.get(stage)) for stage, label in stages().choices]
    context = {
        "rows": rows,
        "is_executive": _is_executive(request.user),
        "stored": StageProbability.objects.count(),
    }
    return render(request, "pipeline/probabilities.html", context, status=400 if errors else 200)


@login_required
def prospects(request: AuthenticatedRequest) -> HttpResponse:
    """Accounts in the identification stage with no order yet, and their screening."""
    state = request.GET.get("state", "")
    rows = selectors.prospects_visible_to(request.user, state=state).annotate(
        open_opportunities=Count("opportunities", filter=Q(opportunities__stage__in=OPEN_STAGES))
    )
    sort = request.GET.get("sort", "name")
    key = {"name": "legal_name", "screened": "screened_on", "created": "created_at"}.get(
        sort.lstrip("-"), "legal_name"
    )
    rows = rows.order_by(f"-{key}" if sort.startswith("-") else key, "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": page.object_list,
        "state": state,
        "sort": sort,
        "can_write": user_writes(request.user),
    }
    return render(request, "pipeline/prospects.html", context)


@login_required
def screen(request: AuthenticatedRequest, account_id: int) -> HttpResponse:
    """The prospect's selection scorecard and the screening: qualified or dropped, why."""
    if request.method == "POST":
        account = writable_account_for(request.user, account_id)
    else:
        account = account_for(request.user, account_id)
    form = ScreenForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.prospect_screen(user=request.user, account_id=account.pk, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect("pipeline:prospects")
    context = {
        "account": account,
        "form": form,
        "scorecard": account_scorecard(account, today=timezone.localdate()),
        "screenings": account.screenings.select_related("screened_by"),
        "is_customer": selectors.is_customer(account),
        "can_write": user_writes(request.user),
    }
    return render(request, "pipeline/screen.html", context, status=400 if form.errors else 200)


@login_required
def weights(request: AuthenticatedRequest) -> HttpResponse:
    """The promotion scorecard's weights; analysts and executives change them (others read),
    with the history of every change."""
    errors: dict[str, Any] = {}
    values: dict[str, Any] = dict(promotion.promotion_weights())
    editor = promotion.may_set_weights(request.user)
    if request.method == "POST":
        if not editor:
            raise PermissionDenied
        posted = {c.key: request.POST.get(c.key, "").strip() for c in promotion.CRITERIA}
        values.update(posted)
        try:
            promotion.promotion_weights_set(user=request.user, weights=posted)
        except ValidationError as error:
            errors = error.message_dict
        else:
            messages.success(request, _("The scorecard weights are saved; scores use them now."))
            return redirect("pipeline:weights")
    context = {
        "rows": [(c.key, c.label, values[c.key], errors.get(c.key)) for c in promotion.CRITERIA],
        "total_error": errors.get(NON_FIELD_ERRORS),
        "editor": editor,
        "history": PromotionWeight.history.select_related("history_user").order_by(
            "-history_date", "-history_id"
        )[:30],
        "labels": {c.key: c.label for c in promotion.CRITERIA},
        "sales_mode": not promotion_mode(),
    }
    return render(request, "pipeline/weights.html", context, status=400 if errors else 200)


@login_required
def matrix(request: AuthenticatedRequest) -> HttpResponse:
    """The target enterprises on the attractiveness x strength matrix (the portfolio's kind);
    in the sales mode, where the promotion scorecard scores nothing, the way to the accounts'
    portfolio matrix instead."""
    if not promotion_mode():
        return render(request, "pipeline/matrix.html", {"sales_mode": True})
    found = promotion.target_matrix(
        selectors.opportunities_visible_to(request.user), today=timezone.localdate()
    )
    labels = {
        "quadrants": {code: str(label.name) for code, label in promotion.QUADRANTS.items()},
        "strength": str(_("Our position with the target")),
        "attractiveness": str(_("Attractiveness")),
        "open": str(_("Click to open the target enterprise.")),
    }
    context = {
        "matrix": found,
        "chart": found.chart(),
        "labels": labels,
        "quadrants": [
            (code, label, found.counts[code]) for code, label in promotion.QUADRANTS.items()
        ],
    }
    return render(request, "pipeline/matrix.html", context)


@login_required
def plan_opportunities(request: AuthenticatedRequest, plan_id: int) -> HttpResponse:
    """The plan page's card (loaded after the page): the account's opportunities, those
    linked to this plan's objectives first, with the weighted amount."""
    plan = plan_for(request.user, plan_id)
    linked = Q(objective__plan_id=plan.pk)
    rows = list(
        selectors.with_weighted(
            selectors.opportunities_visible_to(request.user).filter(account_id=plan.account_id)
        )
        .filter(Q(stage__in=OPEN_STAGES) | linked)
        .select_related("objective")
        .annotate(linked=Case(When(linked, then=Value(1)), default=Value(0)))
        .order_by("-linked", "expected_close", "pk")
    )
    context = {
        "plan": plan,
        "rows": rows,
        "can_write": user_writes(request.user),
        "amount": sum((row.amount for row in rows), Decimal(0)),
        "weighted": sum((row.weighted for row in rows), Decimal(0)),  # type: ignore[attr-defined]
    }
    return render(request, "pipeline/_plan_card.html", context)


def _leads_page(
    request: AuthenticatedRequest,
    *,
    upload: LeadUploadForm,
    convert: LeadConvertForm | None = None,
    found: lead_lists.LeadList | None = None,
    list_name: str = "",
    status: int = 200,
) -> HttpResponse:
    leads = found.leads if found else []
    if found is not None and convert is None:
        cells = json.dumps([lead.cells() for lead in leads], ensure_ascii=False)
        convert = LeadConvertForm(
            initial={"rows": cells, "list_name": list_name}, user=request.user
        )
    picked = set(convert.picked()) if convert is not None and convert.is_bound else None
    context = {
        "upload": upload,
        "convert": convert,
        "found": found,
        "leads": leads,
        "picked": picked,
        "ready": sum(lead.ready for lead in leads),
        "doubtful": sum(bool(lead.ready and lead.duplicates) for lead in leads),
        "refused": sum(not lead.ready for lead in leads),
        "labels": lead_lists.LABELS,
    }
    return render(request, "pipeline/leads.html", context, status=status)


@login_required
def leads(request: AuthenticatedRequest) -> HttpResponse:
    """A lead list uploaded or pasted, each row screened (a duplicate of an account, a
    missing name or a bad credit code), for the rows to convert to be picked."""
    if not user_writes(request.user):
        raise PermissionDenied
    posted = request.method == "POST"
    upload = LeadUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if not (posted and upload.is_valid()):
        return _leads_page(request, upload=upload, status=400 if upload.errors else 200)
    file = upload.cleaned_data["file"]
    try:
        found = lead_lists.read_upload(file, upload.cleaned_data["pasted"])
    except ValidationError as error:
        attach_error(upload, error)
        return _leads_page(request, upload=upload, status=400)
    lead_lists.screen_leads(request.user, found.leads)
    name = file.name if file else _("pasted rows")
    return _leads_page(request, upload=LeadUploadForm(), found=found, list_name=name)


@login_required
@require_POST
def leads_convert(request: AuthenticatedRequest) -> HttpResponse:
    """The picked rows converted to prospects, all or none; the page again with the
    refusals when any row is refused."""
    if not user_writes(request.user):
        raise PermissionDenied
    form = LeadConvertForm(request.POST, user=request.user)
    rows: list[lead_lists.Lead] = []
    if form.is_valid():
        rows = form.cleaned_data["rows"]
        owner, team = form.cleaned_data.get("owner"), form.cleaned_data.get("team")
        try:
            created = services.prospects_convert(
                user=request.user,
                leads=rows,
                picked=form.picked(),
                list_name=form.cleaned_data["list_name"],
                owner_id=owner.pk if owner else None,
                team_id=team.pk if team else None,
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            count = len(created)
            messages.success(
                request,
                ngettext(
                    "%(count)d prospect created from the lead list.",
                    "%(count)d prospects created from the lead list.",
                    count,
                )
                % {"count": count},
            )
            return redirect("pipeline:prospects")
    found = lead_lists.LeadList(
        leads=lead_lists.screen_leads(request.user, rows), columns=[], ignored=[]
    )
    return _leads_page(request, upload=LeadUploadForm(), convert=form, found=found, status=400)
