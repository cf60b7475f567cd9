"""The KPI page (issue 14): the ten KPIs of the company, a team or a KAM for a period, each
against its target with its monthly trend and its definition; for the company, each team's
actuals against its targets per metric; and the drill-down to the rows behind a figure."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts.selectors import accounts_visible_to, teams_visible_to
from openkam.common.errors import NotFound
from openkam.performance import services
from openkam.performance.appraisals import weights_for
from openkam.performance.kpi_drill import drill
from openkam.performance.kpi_report import kpi_payload
from openkam.performance.kpis import DEFINITIONS, attained
from openkam.performance.models import KpiKey, Level, Metric, Target
from openkam.performance.periods import Period, period_parse
from openkam.performance.selectors import Scope, kams_visible_to, scope_for, scope_target
from openkam.team.http import AuthenticatedRequest
from openkam.team.models import Role, Team, User


def _default_scope(user: User) -> str:
    if user.sees_all_accounts:
        return "company"
    if user.role != Role.KAM:
        team = teams_visible_to(user).order_by("name").first()
        if team is not None:
            return f"team:{team.pk}"
    return f"kam:{user.pk}"


def _scope_and_period(request: AuthenticatedRequest) -> tuple[str, Scope, Period]:
    text = request.GET.get("scope") or _default_scope(request.user)
    try:
        scope = scope_for(request.user, text)
    except ValidationError:
        raise NotFound(_("Nothing to show for this scope.")) from None
    try:
        period = period_parse(request.GET.get("period") or str(timezone.localdate().year))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        period = period_parse(str(timezone.localdate().year))
    return text, scope, period


def _kpi_targets(scope: Scope, period: Period) -> dict[str, Decimal | None]:
    """The sales target of the scope over the period; the other KPIs' appraisal targets (the
    team's, else the company's, else the defaults)."""
    team = scope.team
    if scope.kind == "kam" and scope.kam is not None:
        team = Team.objects.filter(teammembership__user=scope.kam).order_by("pk").first()
    targets = {key: target for key, (_weight, target) in weights_for(team).items()}
    targets[KpiKey.SALES] = scope_target(scope, Metric.SALES, period)
    return targets


def _rows(payload: dict[str, Any], targets: dict[str, Decimal | None]) -> list[dict[str, Any]]:
    rows = []
    for key, (name, definition, unit) in DEFINITIONS.items():
        figure = payload["kpis"][key]
        target = targets.get(key)
        value = figure["value"]
        rows.append(
            {
                "key": key, "name": name, "definition": definition, "unit": unit,
                "value": value, "detail": figure["detail"], "target": target,
                "rate": attained(value, target),
            }
        )  # fmt: skip
    return rows


def _team_rows(payload: dict[str, Any], year: int) -> list[dict[str, Any]]:
    """Each team's actual against its target per metric in the year (company scope only)."""
    actuals = payload.get("teams", {})
    targets: dict[tuple[int | None, str], Decimal] = {
        (row.team_id, row.metric): row.amount
        for row in Target.objects.filter(year=year, level__in=[Level.TEAM, Level.COMPANY])
        .exclude(level=Level.TEAM, team__isnull=True)
        .only("team_id", "metric", "amount", "level")
    }
    rows = []
    given: dict[str, list[Decimal]] = {m.value: [] for m in Metric}
    for team in Team.objects.order_by("name"):
        figures = actuals.get(str(team.pk), {})
        cells = [_cell(figures.get(m.value, 0), targets.get((team.pk, m.value))) for m in Metric]
        rows.append({"team": team, "cells": cells})
        for m in Metric:
            amount = targets.get((team.pk, m.value))
            if amount is not None:
                given[m.value].append(amount)
    total = {m.value: sum(t.get(m.value, 0) for t in actuals.values()) for m in Metric}
    company = []
    for m in Metric:
        found = _cell(total[m.value], targets.get((None, m.value)))
        # Top-down less bottom-up: the company's target not yet given to a team (none within
        # the rounding of the teams' targets to the yuan).
        found["gap"] = (
            None
            if found["target"] is None
            else services.remainder(found["target"], given[m.value], m.value)
        )
        company.append(found)
    return [*rows, {"team": None, "cells": company}]


def _cell(actual: float, target: Decimal | None) -> dict[str, Any]:
    rate = actual / float(target) if target else None
    return {"actual": actual, "target": target, "rate": rate}


def _scopes(user: User) -> list[tuple[str, str]]:
    """The scopes the user may switch to: the company, their teams, the KAMs they may read."""
    found = [("company", _("Company"))] if user.sees_all_accounts else []
    found += [(f"team:{t.pk}", t.name) for t in teams_visible_to(user).order_by("name")]
    found += [(f"kam:{k.pk}", str(k)) for k in kams_visible_to(user).order_by("display_name")]
    return found


@login_required
def kpi_page(request: AuthenticatedRequest) -> HttpResponse:
    text, scope, period = _scope_and_period(request)
    payload = kpi_payload(scope, period)
    context = {
        "scope_text": text,
        "scope": scope,
        "period": period,
        "rows": _rows(payload, _kpi_targets(scope, period)),
        "trend": payload["trend"],
        "computed_at": parse_datetime(payload["computed_at"]),
        "teams": _team_rows(payload, period.year) if scope.kind == "company" else None,
        "metrics": list(Metric),
        "scopes": _scopes(request.user),
        "may_set_company": request.user.is_superuser or request.user.role == Role.EXECUTIVE,
    }
    return render(request, "performance/kpis.html", context)


@login_required
@require_POST
def company_target(request: AuthenticatedRequest) -> HttpResponse:
    """An executive sets the company's year target of a metric (teams' targets are set on
    their pages; the company row shows what is not yet given to a team)."""
    services.target_may_set(request.user, level=Level.COMPANY, team=None)
    text = request.POST.get("year", "")
    year = int(text) if text.isdigit() else timezone.localdate().year
    try:
        amount = Decimal(request.POST.get("amount", "").replace(",", "").strip())
    except InvalidOperation:
        messages.error(request, _("Give the year target as a number."))
    else:
        try:
            services.target_set(
                user=request.user, year=year, level=Level.COMPANY,
                metric=request.POST.get("metric", ""), amount=amount,
                reason=request.POST.get("reason", ""),
            )  # fmt: skip
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The company's target is set."))
    return redirect(f"{reverse('performance:kpis')}?scope=company&period={year}")


def _may_drill(user: User, scope: Scope) -> bool:
    """A team's figure is drilled by those who read its members' figures (executives,
    analysts, the team's director); a KAM or a viewer reads the team's totals only."""
    if scope.kind != "team" or user.sees_all_accounts:
        return True
    return (
        user.role == Role.DIRECTOR
        and scope.team is not None
        and (scope.team.director_id == user.pk)
    )


@login_required
def kpi_rows(request: AuthenticatedRequest, key: str) -> HttpResponse:
    if key not in DEFINITIONS:
        raise NotFound(_("No KPI with this name."))
    text, scope, period = _scope_and_period(request)
    if not _may_drill(request.user, scope):
        raise NotFound(_("Nothing to show for this scope."))
    accounts = scope.accounts
    if not request.user.sees_all_accounts:
        accounts = accounts.filter(pk__in=accounts_visible_to(request.user).values("pk"))
    found = drill(accounts, period, key)
    name, definition, _unit = DEFINITIONS[key]
    context = {
        "scope_text": text, "scope": scope, "period": period, "key": key, "name": name,
        "definition": definition, "drill": found, "limit": 100,
    }  # fmt: skip
    return render(request, "performance/kpi_rows.html", context)
