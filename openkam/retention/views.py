"""Retention pages: the win-back cases (list, one case with its actions and history, opened
from a churn alert, edited, closed with an outcome), the lost-account analysis, the
retention overview (lifecycle movement, retention and lost-account rates), an account's
lifecycle stage with its override, and the alert rules with their backtests.

Reads fetch through case_for / account_for / churn_alert_for (404 for what the user does not
see); writes through case_for(write=True) / writable_account_for (also 403 for a role that
reads only, nothing saved). The services decide every business rule; a refusal with fields
lands on the form."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts.selectors import (
    account_for,
    accounts_visible_to,
    teams_visible_to,
    user_writes,
    writable_account_for,
)
from openkam.alerts.models import RuleSetting
from openkam.alerts.rules import RULES
from openkam.common.http import is_htmx
from openkam.plans.forms import attach_error
from openkam.retention import selectors, services
from openkam.retention.backtest import latest_backtests
from openkam.retention.forms import (
    ActionForm,
    CaseFilterForm,
    CaseForm,
    OutcomeForm,
    OverrideForm,
    PeriodForm,
)
from openkam.retention.models import CHURN_RULES, LifecycleOverride, WinBackCase
from openkam.team.http import AuthenticatedRequest
from openkam.team.models import User


def _owners() -> QuerySet[User]:
    """Who may own a case or an action: active users (colleagues of other functions too)."""
    return User.objects.filter(is_active=True).order_by("username")


# --- The list ------------------------------------------------------------------------------


@login_required
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = CaseFilterForm(
        request.GET, teams=teams_visible_to(user), accounts=accounts_visible_to(user)
    )
    cases = form.filtered(selectors.cases_visible_to(user))
    page = Paginator(cases, settings.OPENKAM_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "sort": request.GET.get("sort") or ""}
    template = "retention/_results.html" if is_htmx(request) else "retention/list.html"
    return render(request, template, context)


# --- One case ------------------------------------------------------------------------------


def _detail_context(request: AuthenticatedRequest, case: WinBackCase, **forms: Any) -> dict:
    writes = case.is_open() and user_writes(request.user)
    owners = _owners()
    return {
        "case": case,
        "actions": list(case.actions.select_related("owner")),
        "history": selectors.case_history(case),
        "writes": writes,
        "today": timezone.localdate(),
        "action_form": forms.get("action_form")
        or (ActionForm(owners=owners, initial={"owner_id": case.owner_id}) if writes else None),
        "outcome_form": forms.get("outcome_form")
        or (OutcomeForm(initial={"outcome_on": timezone.localdate()}) if writes else None),
    }


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk)
    return render(request, "retention/detail.html", _detail_context(request, case))


@login_required
def create(request: AuthenticatedRequest, alert_id: int) -> HttpResponse:
    """GET: the form, with the alert; POST: the case, then its page. An account with an open
    case sends the user to it."""
    alert = selectors.churn_alert_for(request.user, alert_id)
    account = writable_account_for(request.user, alert.account_id)
    existing = selectors.open_case_of(alert)
    if existing is not None:
        messages.info(request, _("This account already has an open win-back case."))
        return redirect(existing)
    data = request.POST if request.method == "POST" else None
    form = CaseForm(data, owners=_owners(), initial={"owner_id": account.owner_id})
    if request.method == "POST" and form.is_valid():
        try:
            case = services.winback_open(
                user=request.user, account_id=account.pk, alert_id=alert.pk, **form.cleaned_data
            )
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect(case)
    context = {"alert": alert, "account": account, "form": form, "churn": alert.rule in CHURN_RULES}
    return render(request, "retention/create.html", context)


@login_required
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, write=True)
    initial = {"cause": case.cause, "owner_id": case.owner_id, "notes": case.notes,
               "offer": case.offer}  # fmt: skip
    data = request.POST if request.method == "POST" else None
    form = CaseForm(data, owners=_owners(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.winback_update(user=request.user, case=case, changes=form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect(case)
    return render(request, "retention/edit.html", {"case": case, "form": form})


@login_required
def outcome(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, write=True)
    data = request.POST if request.method == "POST" else None
    form = OutcomeForm(data, initial={"outcome_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.winback_record_outcome(user=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect(case)
    return render(request, "retention/outcome.html", {"case": case, "form": form})


@login_required
@require_POST
def action_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = selectors.case_for(request.user, pk, write=True)
    form = ActionForm(request.POST, owners=_owners())
    if form.is_valid():
        try:
            services.winback_action_add(user=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect(case)
    context = _detail_context(request, case, action_form=form)
    return render(request, "retention/detail.html", context, status=400)


@login_required
@require_POST
def action_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Mark an action done (or open again); from "my week" the row is swapped in place."""
    action = selectors.action_for(request.user, pk)
    status = request.POST.get("status", "")
    services.winback_action_update(user=request.user, action=action, changes={"status": status})
    if is_htmx(request):
        context = {"action": action, "today": timezone.localdate()}
        return render(request, "retention/_week_action_row.html", context)
    return redirect(action.case)


# --- Analyses ------------------------------------------------------------------------------


@login_required
def lost(request: AuthenticatedRequest) -> HttpResponse:
    analysis = selectors.lost_analysis(selectors.cases_visible_to(request.user))
    return render(request, "retention/lost.html", {"analysis": analysis})


@login_required
def overview(request: AuthenticatedRequest) -> HttpResponse:
    form = PeriodForm(request.GET)
    start, end = form.period()
    accounts = accounts_visible_to(request.user)
    total, by_tier, by_team = selectors.retention_rates(accounts, as_of=end)
    funnel = selectors.funnel_movement(accounts, start=start, end=end)
    rows = funnel.rows()
    context = {
        "form": form,
        "start": start,
        "end": end,
        "funnel": funnel,
        "funnel_rows": rows,
        "chart": {
            "stages": [row["label"] for row in rows],
            "start": [row["start"] for row in rows],
            "end": [row["end"] for row in rows],
            "labels": [start.isoformat(), end.isoformat()],
        },
        "total": total,
        "rate_tables": [
            (_("By tier"), by_tier, "rates-by-tier"),
            (_("By team"), by_team, "rates-by-team"),
        ],
    }
    return render(request, "retention/overview.html", context)


@login_required
def lifecycle(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The account's stage, what the data suggest, its override and its history; writers
    override with a reason (POST)."""
    if request.method == "POST":
        account = writable_account_for(request.user, pk)
    else:
        account = account_for(request.user, pk)
    form = OverrideForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.lifecycle_override(user=request.user, account_id=account.pk,
                                        **form.cleaned_data)  # fmt: skip
        except ValidationError as error:
            attach_error(form, error)
        else:
            return redirect("retention:lifecycle", pk=account.pk)
    context = {
        "account": account,
        "form": form if user_writes(request.user) else None,
        "suggested": services.suggested_stage(account, as_of=timezone.localdate()),
        "override": LifecycleOverride.objects.filter(account=account, ended_on__isnull=True)
        .select_related("user")
        .first(),
        "changes": selectors.lifecycle_changes_of(account),
    }
    return render(request, "retention/lifecycle.html", context)


@login_required
def rules(request: AuthenticatedRequest) -> HttpResponse:
    """Each alert rule: what it watches, its settings (the company's over the defaults) and
    how its warnings fared when replayed on the history."""
    stored = {row.rule: row for row in RuleSetting.objects.all()}
    backtests = latest_backtests()
    rows = []
    for key, rule in RULES.items():
        row = stored.get(key)
        settings_now = rule.settings(row.settings if row else {})
        rows.append(
            {
                "key": key,
                "rule": rule,
                "enabled": row.enabled if row else True,
                "settings": vars(settings_now),
                "backtest": backtests.get(key),
            }
        )
    return render(request, "retention/rules.html", {"rows": rows})
