"""Interaction pages: log one (htmx form), edit one (inline on the timeline, or its own
page), one interaction with its history, an account's timeline, my week, the list for
directors and executives, and the cadence settings. Reads fetch through account_for /
interaction_for (404 for what the user does not see); writes through writable_account_for /
writable_interaction_for (also 403 for a role that reads only, nothing saved)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts.models import Account
from openkam.accounts.selectors import (
    account_for,
    accounts_visible_to,
    user_writes,
    writable_account_for,
)
from openkam.common.http import is_htmx
from openkam.interactions import selectors, services
from openkam.interactions.forms import (
    CadenceForm,
    InteractionEditForm,
    InteractionFilterForm,
    InteractionForm,
    TimelineFilterForm,
)
from openkam.interactions.models import Interaction
from openkam.interactions.week import week_cards
from openkam.team.http import AuthenticatedRequest
from openkam.team.models import Role

OVERSEEING_ROLES = frozenset({Role.EXECUTIVE, Role.DIRECTOR, Role.ANALYST})
CADENCE_ROLES = frozenset({Role.EXECUTIVE, Role.DIRECTOR})
WEEK_ROWS = 15


def _with_people(accounts: QuerySet[Account]) -> QuerySet[Account]:
    return accounts.select_related("owner", "team")


def _timeline_context(request: AuthenticatedRequest, account: Account) -> dict[str, object]:
    filters = TimelineFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    interactions = selectors.timeline(
        account, kind=data.get("kind", ""), status=data.get("status", "")
    )
    page = Paginator(interactions, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "account": account,
        "page": page,
        "filters": filters,
        "can_edit": user_writes(request.user),
        "today": timezone.localdate(),
    }


@login_required
def timeline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = account_for(request.user, pk, shape=_with_people)
    context = _timeline_context(request, account)
    if is_htmx(request):
        return render(request, "interactions/_timeline.html", context)
    context["cadence"] = selectors.account_contact_due(account)
    if context["can_edit"]:
        context["form"] = InteractionForm(account=account, author=request.user)
    return render(request, "interactions/timeline.html", context)


@login_required
def log(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the empty form; POST: log it. On success the form comes back empty and the
    timeline is refreshed out of band (HX-Trigger interactionLogged for other listeners)."""
    account = writable_account_for(request.user, pk, shape=_with_people)
    if request.method != "POST":
        return render(
            request,
            "interactions/_form.html",
            {"account": account, "form": InteractionForm(account=account, author=request.user)},
        )
    form = InteractionForm(request.POST, account=account, author=request.user)
    if form.is_valid():
        try:
            interaction = services.interaction_log(
                account=account, author=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            form.mark_invalid()
        else:
            context = _timeline_context(request, account)
            context.update(
                form=InteractionForm(account=account, author=request.user),
                logged=interaction,
                oob=True,
                cadence=selectors.account_contact_due(account),
            )
            response = render(request, "interactions/_form.html", context)
            response["HX-Trigger"] = "interactionLogged"
            return response
    return render(request, "interactions/_form.html", {"account": account, "form": form})


def _after_write(request: AuthenticatedRequest, interaction: Interaction) -> HttpResponse:
    """The timeline entry as it is now, and the account's return-visit date out of band (a
    visit done, moved or cancelled changes it)."""
    account = interaction.account
    interaction = selectors.timeline(account).get(pk=interaction.pk)
    context = {
        "interaction": interaction,
        "account": account,
        "can_edit": True,
        "today": timezone.localdate(),
        "cadence": selectors.account_contact_due(account),
        "due_oob": True,
    }
    return render(request, "interactions/_event.html", context)


@require_POST
@login_required
def complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    interaction = selectors.writable_interaction_for(request.user, pk)
    try:
        services.interaction_complete(
            interaction=interaction, by=request.user, notes=request.POST.get("notes", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _after_write(request, interaction)


@require_POST
@login_required
def cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    interaction = selectors.writable_interaction_for(request.user, pk)
    try:
        services.interaction_cancel(interaction=interaction, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _after_write(request, interaction)


@require_POST
@login_required
def next_step_done(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    interaction = selectors.writable_interaction_for(request.user, pk)
    try:
        services.next_step_complete(interaction=interaction, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.POST.get("from") == "week":
        return HttpResponse("")
    return _after_write(request, interaction)


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The interaction with its history; htmx gets the timeline entry alone (an edit's
    "cancel" puts it back)."""
    interaction = selectors.interaction_for(request.user, pk)
    context = {
        "interaction": interaction,
        "account": interaction.account,
        "can_edit": user_writes(request.user),
        "today": timezone.localdate(),
    }
    if is_htmx(request):
        return render(request, "interactions/_event.html", context)
    context["history"] = selectors.interaction_history(interaction)
    context["cadence"] = selectors.account_contact_due(interaction.account)
    context["hide_history"] = True
    return render(request, "interactions/detail.html", context)


@login_required
def history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Who changed what and when: the panel a timeline entry opens."""
    interaction = selectors.interaction_for(request.user, pk)
    if not is_htmx(request):
        return redirect("interactions:detail", pk=pk)
    context = {"history": selectors.interaction_history(interaction)}
    return render(request, "interactions/_history.html", context)


@login_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET: the form, in place of the timeline entry (htmx) or as a page; POST: save it. Who
    does not see the account gets 404, a role that reads only 403."""
    interaction = selectors.writable_interaction_for(request.user, pk)
    form = InteractionEditForm(request.POST or None, interaction=interaction, editor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.interaction_update(
                interaction=interaction, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            form.mark_invalid()
        else:
            if not is_htmx(request):
                messages.success(request, _("Interaction saved."))
                return redirect(interaction)
            response = _after_write(request, interaction)
            response["HX-Trigger"] = "interactionEdited"
            return response
    context = {"interaction": interaction, "account": interaction.account, "form": form}
    if is_htmx(request):
        return render(request, "interactions/_edit_form.html", {**context, "inline": True})
    context["history"] = selectors.interaction_history(interaction)
    return render(request, "interactions/edit.html", context)


@login_required
def my_week(request: AuthenticatedRequest) -> HttpResponse:
    today = timezone.localdate()
    visible = accounts_visible_to(request.user)
    week = selectors.my_week(request.user, visible=visible, today=today)
    # Those who look after no accounts of their own see how the teams keep the cadence instead
    # of every overdue account of the company; a director sees it per KAM beside the lists.
    oversees_all = request.user.role not in (Role.KAM, Role.DIRECTOR)
    director = request.user.role == Role.DIRECTOR
    compliance_by = "team" if oversees_all else "owner" if director else ""
    context = {
        "week": week,
        "today": today,
        "planned": list(week.planned),
        "next_steps": list(week.next_steps[:WEEK_ROWS]),
        "next_steps_count": week.next_steps.count(),
        "overdue_accounts": list(week.overdue_accounts[:WEEK_ROWS]),
        "overdue_accounts_count": week.overdue_accounts.count(),
        "overdue_contacts": list(week.overdue_contacts[:WEEK_ROWS]),
        "overdue_contacts_count": week.overdue_contacts.count(),
        "more_cards": week_cards(request.user, sunday=week.sunday, limit=WEEK_ROWS),
        "compliance_by": compliance_by,
        "compliance": (
            selectors.cadence_compliance(
                selectors.my_accounts(request.user, visible), today=today, by=compliance_by
            )
            if compliance_by
            else []
        ),
        "show_lists": not oversees_all,
    }
    return render(request, "interactions/my_week.html", context)


@login_required
def interaction_list(request: AuthenticatedRequest) -> HttpResponse:
    if not (request.user.is_superuser or request.user.role in OVERSEEING_ROLES):
        raise PermissionDenied
    visible = accounts_visible_to(request.user)
    form = InteractionFilterForm(request.GET, accounts=visible)
    interactions = form.filtered(selectors.interactions_for(visible))
    page = Paginator(interactions, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "sort": request.GET.get("sort") or "-starts_at"}
    template = "interactions/_list_results.html" if is_htmx(request) else "interactions/list.html"
    return render(request, template, context)


@login_required
def cadence(request: AuthenticatedRequest) -> HttpResponse:
    may_change = request.user.is_superuser or request.user.role in CADENCE_ROLES
    current = selectors.cadence_days()
    form = CadenceForm(request.POST or None, current=current)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            services.cadence_set(days_by_tier=form.cleaned_data, by=request.user)
            messages.success(request, _("Contact cadence saved."))
            return redirect("interactions:cadence")
    return render(request, "interactions/cadence.html", {"form": form, "may_change": may_change})
