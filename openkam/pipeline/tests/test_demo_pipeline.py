"""The demo's pipeline fills every stage, each opportunity with a stage log from its opening
to where it stands, closed ones dated and lost ones with their reason."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from openkam.conftest import World
from openkam.demo.pipeline import demo_pipeline, demo_promotion
from openkam.factories import AccountFactory
from openkam.interactions.models import Interaction
from openkam.pipeline.models import (
    PROMOTION_STAGES,
    SALES_STAGES,
    IndustryChain,
    Opportunity,
    ProjectTerms,
    TargetProfile,
)

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_stage_with_its_log(world: World) -> None:
    for _ in range(4):
        AccountFactory.create(team=world.team, owner=world.kam)
    assert demo_pipeline(dt.date(2026, 6, 1)) == 12
    assert set(Opportunity.objects.values_list("stage", flat=True)) == {
        stage.value for stage in SALES_STAGES.all
    }
    for row in Opportunity.objects.prefetch_related("stage_changes"):
        log = [change.to_stage for change in row.stage_changes.all()]
        assert log[-1] == row.stage
        assert row.stage_changes.all()[0].from_stage == ""
        assert (row.closed_on is not None) == (row.stage in ("won", "lost"))
        assert bool(row.lost_reason) == (row.stage == "lost")


def test_the_promotion_demo_builds_a_parks_office_in_every_stage(world: World) -> None:
    assert demo_promotion(dt.date(2026, 6, 1)) == 14
    projects = Opportunity.objects.all()
    assert {row.stage for row in projects} == {stage.value for stage in PROMOTION_STAGES.all}
    assert ProjectTerms.objects.count() == projects.count() == 14
    assert IndustryChain.objects.count() == 5
    leaders = TargetProfile.objects.filter(position="leader")
    brought = {p.account.short_name: p.account.supplier_links.count() for p in leaders}
    assert brought == {"星驰汽车": 5, "锂源电池": 3, "蓝擎氢能": 2}
    for row in projects.prefetch_related("stage_changes"):
        log = [change.to_stage for change in row.stage_changes.all()]
        assert log[-1] == row.stage
        visited = "site_visit" in log
        visits = Interaction.objects.filter(account=row.account, kind="visit")
        assert visits.count() == (1 if visited else 0)
        if visited:
            assert visits.get().their_participants.count() == 2
            assert world.executive in visits.get().our_participants.all()


@pytest.mark.parametrize("history", [True, False], ids=["with-history", "no-history"])
def test_the_demo_command_builds_the_office_with_and_without_history(
    monkeypatch: pytest.MonkeyPatch, history: bool
) -> None:
    monkeypatch.setenv("OPENKAM_DEMO", "1")
    args = ["--accounts", "12", "--years", "1", "--today", "2026-03-15", "--seed", "3"]
    out = StringIO()
    call_command("demo", *args, "--mode", "promotion", *([] if history else ["--no-history"]),
                 stdout=out)  # fmt: skip
    assert "14 target enterprises with a project in every stage." in out.getvalue()
    stages = set(Opportunity.objects.values_list("stage", flat=True))
    assert stages == {stage.value for stage in PROMOTION_STAGES.all}
    assert ProjectTerms.objects.count() == 14
    assert "opportunities in every stage for the key accounts" not in out.getvalue()
