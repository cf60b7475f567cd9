"""Appraisal pages: the list of a period's forms (a director's KAMs, every KAM for an
executive, a KAM's own), the form itself (the manager rates, the KAM comments, both sign),
and the weights of the KPIs (an executive's for the company, a director's for their team)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts.selectors import teams_visible_to
from openkam.common.errors import NotFound
from openkam.performance import appraisals as service
from openkam.performance.kpis import DEFINITIONS
from openkam.performance.models import Appraisal, KpiKey
from openkam.performance.periods import period_parse
from openkam.team.http import AuthenticatedRequest
from openkam.team.models import Role, Team, User


def _period(request: AuthenticatedRequest) -> str:
    text = request.GET.get("period", "").strip()
    try:
        return period_parse(text).label if text else str(dt.date.today().year)
    except ValidationError:
        return str(dt.date.today().year)


@login_required
def appraisal_list(request: AuthenticatedRequest) -> HttpResponse:
    """One row per KAM the user appraises (or the KAM's own) with the period's form."""
    user = request.user
    period = _period(request)
    forms = {
        a.kam_id: a
        for a in service.appraisals_visible_to(user).filter(period=period).select_related("kam")
    }
    kams = list(service.appraisable_kams(user).order_by("display_name", "username"))
    if user.role == Role.KAM and user not in kams:
        kams.append(user)
    rows = [{"kam": kam, "form": forms.get(kam.pk)} for kam in kams]
    context = {"period": period, "rows": rows, "may_open": service.appraisable_kams(user).exists()}
    return render(request, "performance/appraisal_list.html", context)


@login_required
@require_POST
def appraisal_open(request: AuthenticatedRequest) -> HttpResponse:
    text = request.POST.get("kam", "")
    kam = User.objects.filter(pk=int(text)).first() if text.isdigit() else None
    if kam is None:
        raise NotFound(_("No key account manager with this ID."))
    try:
        form = service.appraisal_open(
            user=request.user, kam=kam, period=request.POST.get("period", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("performance:appraisals"))
    return redirect(reverse("performance:appraisal", args=[form.pk]))


def _lines(form: Appraisal) -> list[dict[str, object]]:
    rows = []
    for line in form.lines:
        name, definition, unit = DEFINITIONS[line["kpi"]]
        rows.append({**line, "name": name, "definition": definition, "unit": unit})
    return rows


@login_required
def appraisal_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    form = service.appraisal_for(user, pk)
    manager = service.is_manager(user, form)
    own = form.kam_id == user.pk
    open_form = form.status != "closed"
    context = {
        "form": form,
        "lines": _lines(form),
        "ratings": [
            {"key": key, "label": label, "value": form.ratings.get(key)}
            for key, label in service.RATINGS.items()
        ],
        "overall": service.overall_score(form.kpi_score, form.ratings),
        "may_rate": manager and open_form,
        "may_comment": own and open_form,
        "may_sign": open_form
        and ((own and not form.kam_signed_at) or (manager and not form.manager_signed_at)),
        "history": [
            {"entry": entry, "reason": service.REASONS.get(entry.history_change_reason or "", "")}
            for entry in form.history.select_related("history_user").order_by("-history_date")[:20]
        ],
        "cap": int(service.ATTAINMENT_CAP * 100),
    }
    return render(request, "performance/appraisal.html", context)


@login_required
@require_POST
def appraisal_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    form = service.appraisal_for(user, pk)
    post = request.POST
    ratings = None
    if any(key in post for key in service.RATINGS):
        ratings = {
            key: int(post[key]) if post[key].isdigit() else post[key]
            for key in service.RATINGS
            if post.get(key)
        }
    try:
        service.appraisal_update(
            user=user,
            appraisal=form,
            ratings=ratings,
            manager_comment=post.get("manager_comment"),
            kam_comment=post.get("kam_comment"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("performance:appraisal", args=[form.pk]))


@login_required
@require_POST
def appraisal_sign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    form = service.appraisal_for(request.user, pk)
    try:
        service.appraisal_sign(user=request.user, appraisal=form)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("performance:appraisal", args=[form.pk]))


def _weights_team(request: AuthenticatedRequest) -> Team | None:
    text = request.GET.get("team", "") or request.POST.get("team", "")
    if not text.isdigit():
        return None
    team = teams_visible_to(request.user).filter(pk=int(text)).first()
    if team is None:
        raise NotFound(_("No team with this ID."))
    return team


def _posted_weights(post: QueryDict) -> dict[str, tuple[Decimal, Decimal | None]]:
    weights: dict[str, tuple[Decimal, Decimal | None]] = {}
    errors: dict[str, str] = {}
    for key in KpiKey.values:
        weight, target = post.get(f"weight_{key}", "").strip(), post.get(f"target_{key}", "")
        if not weight:
            continue
        try:
            weights[key] = (Decimal(weight), Decimal(target) if target.strip() else None)
        except InvalidOperation:
            errors[key] = str(DEFINITIONS[key][0])
    if errors:
        raise ValidationError({"weights": ", ".join(errors.values())})
    return weights


@login_required
def weights(request: AuthenticatedRequest) -> HttpResponse:
    """The KPI weights and targets of the company or a team (executive; team director)."""
    team = _weights_team(request)
    service.weights_may_set(request.user, team=team)
    if request.method == "POST":
        try:
            service.weights_set(
                user=request.user,
                team=team,
                weights=_posted_weights(request.POST),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            url = reverse("performance:weights")
            return redirect(f"{url}?team={team.pk}" if team else url)
    current = service.weights_for(team)
    rows = [
        {"key": key, "name": DEFINITIONS[key][0], "unit": DEFINITIONS[key][2],
         "weight": weight, "target": target}
        for key, (weight, target) in current.items()
    ]  # fmt: skip
    return render(request, "performance/weights.html", {"team": team, "rows": rows})
