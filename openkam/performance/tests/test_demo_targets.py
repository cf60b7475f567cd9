"""The demo's targets: this year's team targets are last year's sales and a tenth, split to
the KAMs by their share and approved; run twice, nothing is added."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.conftest import World
from openkam.demo.performance import demo_targets
from openkam.factories import AccountMonthFactory
from openkam.performance.models import (
    Appraisal,
    AppraisalStatus,
    Level,
    PayPlan,
    Target,
    TargetStatus,
)

pytestmark = pytest.mark.django_db


def test_the_demo_sets_and_approves_this_years_targets(world: World) -> None:
    AccountMonthFactory.create(account=world.account, month=dt.date(2025, 5, 1), revenue=100_000)

    written = demo_targets(dt.date(2026, 12, 7))

    team = Target.objects.get(level=Level.TEAM, team=world.team)
    assert team.amount == Decimal("110000")
    kam = Target.objects.get(level=Level.KAM, kam=world.kam)
    assert kam.amount == Decimal("110000")
    assert set(Target.objects.values_list("status", flat=True)) == {TargetStatus.APPROVED}
    assert demo_targets(dt.date(2026, 12, 7)) == 0
    assert Target.objects.count() == written


def test_the_demo_gives_each_kam_a_pay_plan_and_last_quarters_appraisal(world: World) -> None:
    AccountMonthFactory.create(account=world.account, month=dt.date(2026, 8, 1), revenue=50_000)

    demo_targets(dt.date(2026, 12, 7))

    plan = PayPlan.objects.get(kam=world.kam, year=2026)
    assert plan.tier_list()[-1] == (Decimal("1"), Decimal("0.015"))
    assert PayPlan.objects.filter(year=2026).count() == 2
    first = Appraisal.objects.get(kam=world.kam, period="2026-Q3")
    assert first.status == AppraisalStatus.CLOSED
    second = Appraisal.objects.get(kam=world.other_kam, period="2026-Q3")
    assert second.status == AppraisalStatus.DRAFT
    assert len(second.ratings) == 4
