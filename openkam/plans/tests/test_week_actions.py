"""Open plan actions appear in their owner's "my week" and are ticked off there."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.plans.models import Action, ActionStatus, PlanStatus
from openkam.plans.tests.builders import plan

pytestmark = pytest.mark.django_db
WEEK = "/interactions/my-week/"


def _action(world: World, title: str, days: int, **fields: object) -> Action:
    active = Action.objects.filter(plan__account=world.account).first()
    account_plan = active.plan if active else plan(world.account, status=PlanStatus.ACTIVE)
    values: dict[str, object] = {"owner": world.kam, **fields}
    return Action.objects.create(
        plan=account_plan,
        title=title,
        due_on=timezone.localdate() + dt.timedelta(days=days),
        **values,
    )


def test_my_week_lists_my_open_actions_due_by_sunday(world: World) -> None:
    _action(world, "逾期的技术交流", -10)
    _action(world, "下月的高层互访", 40)
    _action(world, "已完成的回访", -3, status=ActionStatus.DONE)
    _action(world, "别人的行动", -1, owner=world.director)
    content = client_for(world.kam).get(reverse("interactions:my_week")).content.decode()
    assert 'data-testid="week-plan-actions"' in content
    assert "逾期的技术交流" in content
    assert "下月的高层互访" not in content
    assert "已完成的回访" not in content
    assert "别人的行动" not in content


def test_an_action_ticked_off_in_the_week_is_done(world: World) -> None:
    action = _action(world, "样件测试", -1)
    response = client_for(world.kam).post(
        reverse("plans:action_status", args=[action.pk]),
        {"status": "done", "from": "week"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'data-testid="week-plan-action"' in response.content.decode()
    action.refresh_from_db()
    assert (action.status, action.done_on) == (ActionStatus.DONE, timezone.localdate())


def test_a_viewer_cannot_tick_off_someone_elses_action(world: World) -> None:
    action = _action(world, "样件测试", -1)
    response = client_for(world.viewer).post(
        reverse("plans:action_status", args=[action.pk]), {"status": "done", "from": "week"}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
