"""Promotion mode: when a target's project lands (landed, or straight on to in production),
the target is served as a key account from that moment: its lifecycle stage moves to the
served stage at the move, with the account's history naming who and why; other moves and the
sales mode leave the lifecycle to the refresh."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from openkam.accounts.models import Account, LifecycleStage
from openkam.common.errors import PermissionDenied
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.pipeline import services
from openkam.pipeline.models import Opportunity, Stage
from openkam.pipeline.tests.builders import opportunity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def promotion(settings: Any) -> None:
    settings.OPENKAM_MODE = "promotion"
    settings.LOCALE_PATHS = [settings.PROMOTION_LOCALE, *settings.LOCALE_PATHS]


def _project(world: World, stage: str = Stage.SIGNED, lifecycle: str = "") -> Opportunity:
    target = AccountFactory.create(
        legal_name="宁德新能电池有限公司", team=world.team, owner=world.kam,
        lifecycle_stage=lifecycle or LifecycleStage.IDENTIFICATION,
    )  # fmt: skip
    return opportunity(target, stage=stage, title="动力电池基地")


def _stage(row: Opportunity) -> str:
    return Account.objects.get(pk=row.account_id).lifecycle_stage


@pytest.mark.usefixtures("promotion")
def test_a_landed_project_makes_its_target_served_at_once_with_history(world: World) -> None:
    project = _project(world)
    services.opportunity_move_stage(user=world.kam, opportunity=project, stage=Stage.LANDED)
    assert _stage(project) == LifecycleStage.MAINTENANCE == services.SERVED_STAGE
    newest, before = Account.history.filter(id=project.account_id).order_by(
        "-history_date", "-history_id"
    )[:2]
    assert newest.lifecycle_stage == "maintenance"
    assert before.lifecycle_stage == "identification"
    assert newest.history_user == world.kam
    assert newest.history_change_reason == "Project landed: 动力电池基地"


@pytest.mark.usefixtures("promotion")
def test_the_move_page_lands_it_too(world: World) -> None:
    project = _project(world, stage=Stage.NEGOTIATION)
    url = reverse("pipeline:move", args=[project.pk])
    response = client_for(world.kam).post(url, {"stage": Stage.IN_PRODUCTION, "reason": "投产"})
    assert response.status_code == 302
    assert _stage(project) == LifecycleStage.MAINTENANCE


@pytest.mark.usefixtures("promotion")
def test_signing_or_a_refused_move_leaves_the_target_as_it_was(world: World) -> None:
    project = _project(world, stage=Stage.NEGOTIATION)
    services.opportunity_move_stage(user=world.kam, opportunity=project, stage=Stage.SIGNED)
    assert _stage(project) == LifecycleStage.IDENTIFICATION
    with pytest.raises(PermissionDenied):
        services.opportunity_move_stage(user=world.viewer, opportunity=project, stage=Stage.LANDED)
    response = client_for(world.viewer).post(
        reverse("pipeline:move", args=[project.pk]), {"stage": Stage.LANDED}
    )
    assert response.status_code == 403
    assert _stage(project) == LifecycleStage.IDENTIFICATION
    assert Opportunity.objects.get(pk=project.pk).stage == Stage.SIGNED


@pytest.mark.usefixtures("promotion")
def test_a_target_already_served_keeps_its_stage(world: World) -> None:
    project = _project(world, lifecycle=LifecycleStage.DEEPENING)
    services.opportunity_move_stage(user=world.kam, opportunity=project, stage=Stage.LANDED)
    assert _stage(project) == LifecycleStage.DEEPENING


def test_the_sales_mode_leaves_the_lifecycle_to_the_first_order(world: World) -> None:
    project = _project(world, stage=Stage.NEGOTIATION)
    services.opportunity_move_stage(user=world.kam, opportunity=project, stage=Stage.WON)
    assert _stage(project) == LifecycleStage.IDENTIFICATION
