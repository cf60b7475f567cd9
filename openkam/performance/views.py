"""Performance pages: "My performance" for a KAM, the team page for directors (the ten KPIs,
each KAM's attainment, the team's target and its decomposition), the executive's approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from openkam.accounts.models import Account
from openkam.accounts.selectors import teams_visible_to
from openkam.common.errors import NotFound
from openkam.performance import kpis, services
from openkam.performance.attainment import actuals_by, attainment
from openkam.performance.models import Level, Metric, Target, TargetStatus
from openkam.performance.periods import period_parse
from openkam.performance.selectors import target_for, team_kams
from openkam.performance.workload import team_workload
from openkam.team.http import AuthenticatedRequest
from openkam.team.models import Role, Team


def _year(request: AuthenticatedRequest) -> int:
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else dt.date.today().year


def _chart(months: list[Decimal], target: Target | None) -> dict[str, object]:
    return {
        "months": [f"{month:02d}" for month in range(1, 13)],
        "actual": [float(value) for value in months],
        "target": [float(value) for value in target.month_amounts()] if target else [],
    }


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """The KAM's own attainment per metric and target against actual per month."""
    user = request.user
    year = _year(request)
    accounts = Account.objects.filter(owner=user)
    targets = Target.objects.filter(year=year, level=Level.KAM, kam=user)
    rows, monthly = attainment(accounts, year, targets)
    sales_target = next((t for t in targets if t.metric == Metric.SALES), None)
    context = {
        "year": year,
        "rows": rows,
        "chart": _chart(monthly[Metric.SALES], sales_target),
        "teams": teams_visible_to(user).order_by("name"),
    }
    return render(request, "performance/mine.html", context)


def _team_or_404(request: AuthenticatedRequest, pk: int) -> Team:
    team = teams_visible_to(request.user).filter(pk=pk).select_related("director").first()
    if team is None:
        raise NotFound(_("No team with this ID."))
    return team


def _metric(text: str) -> str:
    return text if text in Metric.values else Metric.SALES


@login_required
def team(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The team's attainment of its four targets (sales, gross margin, collections, new key
    accounts), the chosen metric's target, its decomposition to the KAMs (suggested split,
    adjusted by the director), the gap and each KAM's attainment, and the ten KPIs."""
    found = _team_or_404(request, pk)
    year = _year(request)
    metric = _metric(request.GET.get("metric", ""))
    try:
        period = period_parse(request.GET.get("period") or str(year))
    except ValidationError:
        period = period_parse(str(year))
    accounts = Account.objects.filter(team=found)
    figures = kpis.compute(accounts, period)
    team_targets = Target.objects.filter(year=year, level=Level.TEAM, team=found).select_related(
        "approved_by"
    )
    summary, _monthly = attainment(accounts, year, team_targets)
    target = next((t for t in team_targets if t.metric == metric), None)  # read once above
    kams = list(team_kams(found))
    children: dict[int | None, Target] = {}
    suggested: dict[int, Decimal] = {}
    if target is not None:
        children = {c.kam_id: c for c in target.children.all()}
        suggested = {kam.pk: amount for kam, amount in services.target_suggest_split(parent=target)}
    actuals = actuals_by(accounts, year, "owner")
    kam_rows = []
    for kam in kams:  # the team's KAMs, a handful; no query in the loop
        child = children.get(kam.pk)
        actual = actuals.get(kam.pk, {}).get(metric) or Decimal("0")
        kam_rows.append(
            {
                "kam": kam,
                "target": child.amount if child else None,
                "suggested": suggested.get(kam.pk),
                "actual": actual,
                "rate": float(actual / child.amount) if child and child.amount else None,
            }
        )
    user = request.user
    director = user.is_superuser or user.role == Role.EXECUTIVE or found.director_id == user.pk
    context = {
        "team": found,
        "year": year,
        "period": period,
        "kpis": figures,
        "metric": metric,
        "metric_label": Metric(metric).label,
        "metrics": list(Metric),
        "summary": summary,
        "count": metric == Metric.NEW_KEY_ACCOUNTS,
        "target": target,
        "gap": services.target_gap(target) if target else None,
        "kam_rows": kam_rows,
        "workload": team_workload(found, year=year, today=timezone.localdate()),
        "may_set": director and (target is None or not target.locked),
        "may_read_kams": director or user.role == Role.ANALYST,
        "may_approve": (user.is_superuser or user.role == Role.EXECUTIVE)
        and target is not None
        and target.status == TargetStatus.SUBMITTED,
    }
    return render(request, "performance/team.html", context)


def _team_page(target: Target) -> str:
    url = reverse("performance:team", args=[target.team_id])
    return f"{url}?year={target.year}&metric={target.metric}"


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "").strip())
    except InvalidOperation:
        return None


@login_required
@require_POST
def team_target(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _team_or_404(request, pk)
    services.target_may_set(request.user, level=Level.TEAM, team=found)
    text = request.POST.get("year", "")
    year = int(text) if text.isdigit() else dt.date.today().year
    amount = _amount(request.POST.get("amount", ""))
    metric = request.POST.get("metric") or Metric.SALES
    if amount is None:
        messages.error(request, _("Give the year target as a number."))
    else:
        try:
            services.target_set(
                user=request.user,
                year=year,
                level=Level.TEAM,
                metric=metric,
                amount=amount,
                team=found,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The team's target is set."))
    page = reverse("performance:team", args=[found.pk])
    return redirect(f"{page}?year={year}&metric={_metric(metric)}")


@login_required
@require_POST
def decompose(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    target = target_for(request.user, pk)
    amounts: dict[int, Decimal] = {}
    for key in request.POST:
        value = request.POST.get(key, "")
        if key.startswith("kam_") and key[4:].isdigit() and value.strip():
            amount = _amount(value)
            if amount is not None:
                amounts[int(key[4:])] = amount
    try:
        services.target_decompose(
            user=request.user, parent=target, amounts=amounts, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The target is decomposed to the KAMs."))
    return redirect(_team_page(target))


@login_required
@require_POST
def submit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    target = target_for(request.user, pk)
    try:
        services.target_submit(user=request.user, target=target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The target is submitted for approval."))
    return redirect(_team_page(target))


@login_required
@require_POST
def approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    target = target_for(request.user, pk)
    try:
        services.target_approve(user=request.user, target=target)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The target is approved and locked."))
    return redirect(_team_page(target))
