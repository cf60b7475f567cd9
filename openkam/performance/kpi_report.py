"""The KPI page's figures (issue 14): the ten KPIs of a scope and period, their monthly
trends and, for the company, each team's actuals per target metric, as a JSON-safe payload.

Over the 100,000-account demo these take seconds to aggregate (the order lines alone are
millions), so once a portfolio refresh exists they are kept per refresh in KpiFigures and a
page reads one row; the refresh's warm-up computes the company's current year. Without a
refresh (a new installation, the tests) every reading computes them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.performance import kpis
from openkam.performance.attainment import actuals_by
from openkam.performance.kpi_trends import trends
from openkam.performance.models import KpiFigures
from openkam.performance.periods import Period, period_parse
from openkam.performance.selectors import Scope
from openkam.portfolio.models import PortfolioRun


def _plain(value: object) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def scope_key(scope: Scope) -> str:
    if scope.kind == "team" and scope.team is not None:
        return f"team:{scope.team.pk}"
    if scope.kind == "kam" and scope.kam is not None:
        return f"kam:{scope.kam.pk}"
    return "company"


def compute_payload(scope: Scope, period: Period) -> dict[str, Any]:
    figures = kpis.compute(scope.accounts, period)
    payload: dict[str, Any] = {
        "computed_at": timezone.now().isoformat(),
        "kpis": {
            kpi.key: {
                "value": _plain(kpi.value),
                "detail": {key: _plain(value) for key, value in kpi.detail.items()},
            }
            for kpi in figures
        },
        "trend": trends(scope.accounts, period),
    }
    if scope.kind == "company":
        by_team = actuals_by(scope.accounts, period.year, "team")
        payload["teams"] = {
            str(team_id): {metric: float(amount) for metric, amount in values.items()}
            for team_id, values in by_team.items()
        }
    return payload


def latest_run() -> PortfolioRun | None:
    return (
        PortfolioRun.objects.filter(status=PortfolioRun.Status.DONE)
        .order_by("-as_of", "-pk")
        .only("pk", "as_of")
        .first()
    )


def kpi_payload(scope: Scope, period: Period) -> dict[str, Any]:
    """The payload as kept for the latest refresh, computed (and kept) on its first reading."""
    run = latest_run()
    if run is None:
        return compute_payload(scope, period)
    key = scope_key(scope)
    kept = (
        KpiFigures.objects.filter(run=run, scope=key, period=period.label)
        .values_list("payload", flat=True)
        .first()
    )
    if kept is not None:
        return kept
    payload = compute_payload(scope, period)
    try:
        with transaction.atomic():
            KpiFigures.objects.exclude(run=run).delete()  # the figures of earlier refreshes
            KpiFigures.objects.create(run=run, scope=key, period=period.label, payload=payload)
    except IntegrityError:  # another request kept the same figures meanwhile
        pass
    return payload


def warm_company_year() -> None:
    """The refresh's warm-up: the company's figures for the current year."""
    year = str(timezone.localdate().year)
    kpi_payload(Scope("company", "", Account.objects.all()), period_parse(year))
