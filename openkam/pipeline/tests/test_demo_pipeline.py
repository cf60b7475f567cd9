"""The demo's pipeline fills every stage, each opportunity with a stage log from its opening
to where it stands, closed ones dated and lost ones with their reason."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.conftest import World
from openkam.demo.pipeline import demo_pipeline
from openkam.factories import AccountFactory
from openkam.pipeline.models import Opportunity, Stage

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_stage_with_its_log(world: World) -> None:
    for _ in range(4):
        AccountFactory.create(team=world.team, owner=world.kam)
    assert demo_pipeline(dt.date(2026, 6, 1)) == 12
    assert set(Opportunity.objects.values_list("stage", flat=True)) == set(Stage.values)
    for row in Opportunity.objects.prefetch_related("stage_changes"):
        log = [change.to_stage for change in row.stage_changes.all()]
        assert log[-1] == row.stage
        assert row.stage_changes.all()[0].from_stage == ""
        assert (row.closed_on is not None) == (row.stage in ("won", "lost"))
        assert bool(row.lost_reason) == (row.stage == "lost")
