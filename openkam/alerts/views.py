"""Alert pages: My alerts (the user's assigned alerts, ranked by value at risk then tier), one
alert with its history and its work (acknowledge, resolve, dismiss with a reason, snooze,
reassign), the directors' team worklist, the executives' portfolio view, the bell, and the
user's notification preferences.

Reads fetch through alert_for (404 for what the user does not see); the work goes through the
services, which refuse a reading role (403, nothing saved) and anyone but an executive or the
team's director a reassignment. The team view is for directors and executives, the portfolio
view for them and the analysts: a KAM or a viewer is refused both (403), their list is My
alerts.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from openkam.accounts.selectors import user_writes
from openkam.alerts import selectors, services
from openkam.alerts.forms import (
    AlertFilterForm,
    AssignForm,
    DismissForm,
    PreferenceForm,
    ResolveForm,
    SnoozeForm,
    TeamFilterForm,
)
from openkam.alerts.history import history_rows
from openkam.alerts.models import Alert, NotificationPreference
from openkam.common.http import is_htmx
from openkam.plans.forms import attach_error
from openkam.plans.selectors import may_decide
from openkam.team.http import AuthenticatedRequest
from openkam.team.models import User

PAGE_SIZE = settings.OPENKAM_PAGE_SIZE


def _page(request: AuthenticatedRequest, rows: Any) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """The user's assigned alerts: awake open and acknowledged ones unless filtered."""
    form = AlertFilterForm(request.GET)
    page = _page(request, form.filtered(selectors.my_alerts(request.user)))
    context = {
        "form": form,
        "page": page,
        "sort": request.GET.get("sort") or "",
        "can_write": user_writes(request.user),
        "oversees": selectors.oversees_teams(request.user),
        "sees_portfolio": selectors.sees_portfolio(request.user),
        "today": timezone.localdate(),
    }
    template = "alerts/_results.html" if is_htmx(request) else "alerts/mine.html"
    return render(request, template, context)


def _action_forms(user: User, alert: Alert, posted: dict[str, Any]) -> dict[str, Any]:
    """The empty forms of the work the user may do now (the one posted, with its errors)."""
    if not (user_writes(user) and alert.is_active()):
        return {}
    forms: dict[str, Any] = {
        "resolve": ResolveForm(prefix="resolve"),
        "dismiss": DismissForm(prefix="dismiss"),
        "snooze": SnoozeForm(prefix="snooze"),
    }
    if may_decide(user, alert.account):
        forms["assign"] = AssignForm(
            prefix="assign", account=alert.account, initial={"assignee": alert.assignee_id}
        )
    forms.update(posted)
    return forms


def _detail(
    request: AuthenticatedRequest, alert: Alert, posted: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {
        "alert": alert,
        "forms": _action_forms(request.user, alert, posted),
        "history": history_rows(alert),
        "today": timezone.localdate(),
    }
    return render(request, "alerts/detail.html", context, status=status)


@login_required
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.alert_for(request.user, pk), {})


ACTION_FORMS = {"resolve": ResolveForm, "dismiss": DismissForm, "snooze": SnoozeForm}
DONE = {
    "acknowledge": gettext_lazy("The alert is acknowledged."),
    "resolve": gettext_lazy("The alert is resolved."),
    "dismiss": gettext_lazy("The alert is dismissed."),
    "snooze": gettext_lazy("The alert is snoozed."),
    "wake": gettext_lazy("The alert is back on the worklists."),
    "assign": gettext_lazy("The alert is reassigned."),
}


def _run(user: User, alert: Alert, action: str, data: dict[str, Any]) -> None:
    if action == "acknowledge":
        services.alert_acknowledge(user=user, alert=alert)
    elif action == "resolve":
        services.alert_resolve(user=user, alert=alert, note=data["note"])
    elif action == "dismiss":
        services.alert_dismiss(user=user, alert=alert, reason=data["reason"])
    elif action == "snooze":
        services.alert_snooze(user=user, alert=alert, until=data["until"])
    elif action == "wake":
        services.alert_snooze(user=user, alert=alert, until=None)
    else:
        services.alert_assign(user=user, alert=alert, assignee=data["assignee"])


def _bound(request: AuthenticatedRequest, alert: Alert, action: str) -> Any:
    if action == "assign":
        return AssignForm(request.POST, prefix="assign", account=alert.account)
    form_class = ACTION_FORMS.get(action)
    return form_class(request.POST, prefix=action) if form_class else None


def _back(request: AuthenticatedRequest, alert: Alert) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return reverse("alerts:detail", args=[alert.pk])


@login_required
@require_POST
def act(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    """One piece of work on the alert; a refusal with fields lands on its form (400)."""
    if action not in DONE:
        raise PermissionDenied(_("No such work on an alert."))
    alert = selectors.alert_for(request.user, pk)
    if not user_writes(request.user):
        raise PermissionDenied(_("You may not change data of this account."))
    form = _bound(request, alert, action)
    if form is not None and not form.is_valid():
        return _detail(request, alert, {action: form}, status=400)
    try:
        _run(request.user, alert, action, form.cleaned_data if form is not None else {})
    except ValidationError as error:
        if form is None:
            raise
        attach_error(form, error)
        return _detail(request, alert, {action: form}, status=400)
    messages.success(request, str(DONE[action]))
    return redirect(_back(request, alert))


def _refuse_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("This page is for directors and executives."))


@login_required
def team(request: AuthenticatedRequest) -> HttpResponse:
    """Per KAM of the user's teams: unacknowledged, acknowledged and overdue alerts, the oldest
    one's age, the median resolution time; below, the alerts that need someone, oldest first."""
    user = request.user
    _refuse_unless(selectors.oversees_teams(user))
    now = timezone.now()
    alerts = selectors.team_alerts(user)
    worklist = selectors.team_worklist(alerts, now)
    assignees = User.objects.filter(pk__in=[r.assignee_id for r in worklist.rows if r.assignee_id])
    form = TeamFilterForm(request.GET, assignees=assignees)
    page = _page(request, form.filtered(selectors.needs_attention(alerts, now)))
    context = {
        "form": form,
        "rows": worklist.rows,
        "page": page,
        "now": now,
        "median_days": worklist.median_days,
        "overdue_days": selectors.OVERDUE_DAYS,
        "window_days": selectors.RESOLUTION_WINDOW_DAYS,
        "sort": request.GET.get("sort") or "",
    }
    return render(request, "alerts/team.html", context)


@login_required
def portfolio(request: AuthenticatedRequest) -> HttpResponse:
    """The open alerts the user sees by rule, tier and team, and the value at risk in total."""
    _refuse_unless(selectors.sees_portfolio(request.user))
    context = {
        "summary": selectors.portfolio_summary(request.user),
        "oversees": selectors.oversees_teams(request.user),
        "can_write": user_writes(request.user),
    }
    return render(request, "alerts/portfolio.html", context)


@login_required
def bell(request: AuthenticatedRequest) -> HttpResponse:
    """The header's bell, loaded after the page (so no page pays its query): one count."""
    count = selectors.open_count(request.user)
    return render(request, "alerts/_bell.html", {"count": count})


@login_required
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    """The user's own choice of mails (digest, immediate rules, language)."""
    if not user_writes(request.user):
        raise PermissionDenied(_("Only those who work alerts choose how to hear of them."))
    stored = NotificationPreference.objects.filter(user=request.user).first()
    initial: dict[str, Any] = {"digest": True}
    if stored is not None:
        initial = {
            "digest": stored.digest,
            "immediate_rules": stored.immediate_rules,
            "language": stored.language,
        }
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("alerts:preferences")
    return render(request, "alerts/preferences.html", {"form": form})
