"""The demo's targets: this year's team targets are last year's sales and a tenth, split to
the KAMs by their share and approved; run twice, nothing is added."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.conftest import World
from openkam.demo.performance import demo_targets
from openkam.factories import AccountMonthFactory
from openkam.performance.models import Level, Target, TargetStatus

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
