"""The demo's targets (issue 14): for the current year, the company's and each team's sales
target (last year's sales and a tenth), each team's decomposed to its KAMs by last year's
share, submitted by the director and approved by an executive, so "My performance" and the
team page have targets to measure against; then each KAM's pay plan and the appraisal forms
of the last quarter (some closed, some awaiting a signature). Written through the
performance services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Sum

from openkam.ledger.models import AccountMonth
from openkam.performance.appraisals import (
    appraisal_open,
    appraisal_sign,
    appraisal_update,
    kam_team,
)
from openkam.performance.commission import pay_plan_set
from openkam.performance.models import Level, Metric, Target
from openkam.performance.services import (
    target_approve,
    target_decompose,
    target_set,
    target_submit,
    target_suggest_split,
)
from openkam.team.models import Role, Team, TeamMembership, User

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
    demo_pay_and_appraisals(today, executive=executive)
    return Target.objects.filter(year=year).count()


TIERS = [
    {"from": "0", "rate": "0.005"},
    {"from": "0.8", "rate": "0.01"},
    {"from": "1", "rate": "0.015"},
]


def _last_quarter(today: dt.date) -> str:
    quarter = (today.month - 1) // 3
    return f"{today.year}-Q{quarter}" if quarter else f"{today.year - 1}-Q4"


def demo_pay_and_appraisals(today: dt.date, *, executive: User) -> int:
    """Each KAM's pay plan for the year (every third on gross margin, every fourth with a
    share-ownership note) and their appraisal of the last quarter: rated by the director,
    commented and signed by both on every other KAM. The number of forms written."""
    kams = (
        User.objects.filter(
            role=Role.KAM,
            is_active=True,
            teammembership__team_role=TeamMembership.TeamRole.KAM,
            teammembership__team__director__isnull=False,
        )
        .distinct()
        .order_by("pk")
    )
    period = _last_quarter(today)
    written = 0
    for index, kam in enumerate(kams):
        pay_plan_set(
            user=executive,
            kam=kam,
            year=today.year,
            annual_salary=Decimal(180_000 + 20_000 * (index % 5)),
            basis="margin" if index % 3 == 2 else "sales",
            tiers=TIERS,
            accelerator=Decimal("1.5"),
            share_note="员工持股计划：0.05% 限制性股票，三年归属" if index % 4 == 3 else "",
        )
        team = kam_team(kam)
        if team is None or team.director is None:
            continue
        form = appraisal_open(user=team.director, kam=kam, period=period)
        appraisal_update(
            user=team.director,
            appraisal=form,
            ratings={
                "attitude": 3 + index % 3,
                "customer_knowledge": 4,
                "teamwork": 3 + (index + 1) % 3,
                "plan_execution": 3 + (index + 2) % 3,
            },
            manager_comment="客户关系维护扎实，下季度重点提升回款与预测准确率。",
        )
        if index % 2 == 0:
            appraisal_update(
                user=kam, appraisal=form, kam_comment="认可评价，将加强重点客户的回款跟进。"
            )
            appraisal_sign(user=kam, appraisal=form)
            appraisal_sign(user=team.director, appraisal=form)
        written += 1
    return written
