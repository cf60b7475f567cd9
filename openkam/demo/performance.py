"""The demo's targets (issue 14): for the current year, the company's and each team's sales
target (last year's sales and a tenth), each team's decomposed to its KAMs by last year's
share, submitted by the director and approved by an executive, so "My performance" and the
team page have targets to measure against. Written through the performance services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from openkam.ledger.models import AccountMonth
from openkam.performance.models import Level, Metric, Target
from openkam.performance.services import (
    target_approve,
    target_decompose,
    target_set,
    target_submit,
    target_suggest_split,
)
from openkam.team.models import Role, Team, User

GROWTH = Decimal("1.1")


def _last_year(year: int, **scope: object) -> Decimal:
    total = AccountMonth.objects.filter(
        month__gte=dt.date(year - 1, 1, 1), month__lt=dt.date(year, 1, 1), **scope
    ).aggregate(total=Sum("revenue"))["total"]
    return ((total or Decimal("0")) * GROWTH).quantize(Decimal("10000"))


def demo_targets(today: dt.date) -> int:
    """Set and approve this year's targets; the number of targets written."""
    executive = User.objects.filter(role=Role.EXECUTIVE, is_active=True).order_by("pk").first()
    if executive is None or Target.objects.filter(year=today.year).exists():
        return 0
    year = today.year
    company = target_set(
        user=executive,
        year=year,
        level=Level.COMPANY,
        metric=Metric.SALES,
        amount=_last_year(year),
    )
    target_approve(user=executive, target=company)
    for team in Team.objects.filter(director__isnull=False).select_related("director"):
        director = team.director
        assert director is not None
        parent = target_set(
            user=director,
            year=year,
            level=Level.TEAM,
            metric=Metric.SALES,
            amount=_last_year(year, account__team=team),
            team=team,
        )
        split = target_suggest_split(parent=parent)
        if split:
            target_decompose(
                user=director, parent=parent, amounts={kam.pk: amount for kam, amount in split}
            )
        target_submit(user=director, target=parent)
        target_approve(user=executive, target=parent)
    return Target.objects.filter(year=year).count()
