"""The company's year target split to the teams on one page (issue 14): executives set it,
analysts (and everyone who sees every account) read it; nobody else sees it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.common.errors import NotFound
from openkam.performance import services, splitting
from openkam.performance.models import Level, Metric, Target
from openkam.team.http import AuthenticatedRequest
from openkam.team.models import Role, Team

HISTORY_ROWS = 20


def _choice(text: str, choices: tuple[str, ...] | list[str], default: str) -> str:
    return text if text in choices else default


def _year(text: str) -> int:
    return int(text) if text.isdigit() and 2000 <= int(text) <= 2100 else timezone.localdate().year


def _history(year: int, metric: str) -> list[Any]:
    """The latest changes of the company's and the teams' targets of the metric and year."""
    return list(
        Target.history.filter(year=year, metric=metric, level__in=[Level.COMPANY, Level.TEAM])
        .select_related("history_user", "team")
        .order_by("-history_date", "-history_id")[:HISTORY_ROWS]
    )


def _page(
    request: AuthenticatedRequest,
    year: int,
    metric: str,
    basis: str,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    parent, shares = splitting.suggest(year, metric, basis)
    typed = typed or {}
    whole = sum((s.basis for s in shares), splitting.ZERO)
    rows = []
    for share in shares:
        field = f"team_{share.team.pk}"
        current = share.target.amount if share.target else None
        rows.append(
            {
                "share": share, "field": field, "error": (errors or {}).get(field),
                "value": typed.get(field, "" if current is None else str(current)),
                "rate": float(share.basis / whole) if whole else None,
            }
        )  # fmt: skip
    given = [s.target.amount for s in shares if s.target is not None]
    context = {
        "year": year, "metric": metric, "metric_label": Metric(metric).label, "basis": basis,
        "metrics": list(Metric), "bases": splitting.BASES, "parent": parent, "rows": rows,
        "count": metric == Metric.NEW_KEY_ACCOUNTS,
        "remainder": services.remainder(parent.amount, given, metric) if parent else None,
        "company_value": typed.get("company_amount", "" if parent is None else str(parent.amount)),
        "reason": typed.get("reason", ""), "errors": errors or {},
        "may_set": request.user.is_superuser or request.user.role == Role.EXECUTIVE,
        "history": _history(year, metric),
    }  # fmt: skip
    return render(request, "performance/company_split.html", context, status=status)


@login_required
def company_split(request: AuthenticatedRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    year = _year(source.get("year", ""))
    metric = _choice(source.get("metric", ""), Metric.values, Metric.SALES)
    basis = _choice(source.get("basis", ""), splitting.BASES, "last_year")
    if request.method != "POST":
        if not request.user.sees_all_accounts:
            raise NotFound(_("You may not read the company's figures."))
        return _page(request, year, metric, basis)
    services.target_may_set(request.user, level=Level.COMPANY, team=None)  # 403 first
    team_ids = Team.objects.values_list("pk", flat=True)
    amounts = {pk: source.get(f"team_{pk}", "") for pk in team_ids}
    try:
        splitting.company_split(
            user=request.user, year=year, metric=metric, company=source.get("company_amount", ""),
            amounts=amounts, reason=source.get("reason", ""),
        )  # fmt: skip
    except ValidationError as error:
        errors = {key: " ".join(texts) for key, texts in error.message_dict.items()}
        for text in errors.values():
            messages.error(request, text)
        typed = {key: str(value) for key, value in source.items()}
        return _page(request, year, metric, basis, typed, errors, status=400)
    messages.success(request, _("The company's target is split to the teams."))
    page = reverse("performance:company_split")
    return redirect(f"{page}?year={year}&metric={metric}&basis={basis}")
