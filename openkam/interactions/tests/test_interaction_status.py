"""Completing, cancelling a planned interaction and closing its next step."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.interactions.models import Status
from openkam.interactions.tests.builders import interaction


def test_the_kam_marks_a_planned_visit_done(world: World) -> None:
    planned = interaction(world.account, day=timezone.localdate(), status=Status.PLANNED)
    url = reverse("interactions:complete", args=[planned.pk])
    response = client_for(world.kam).post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="i{planned.pk}"' in response.content.decode()
    planned.refresh_from_db()
    assert planned.status == Status.DONE


def test_a_visit_planned_next_month_cannot_be_done_yet(world: World) -> None:
    later = timezone.localdate() + dt.timedelta(days=30)
    planned = interaction(world.account, day=later, status=Status.PLANNED)
    client_for(world.kam).post(reverse("interactions:complete", args=[planned.pk]))
    planned.refresh_from_db()
    assert planned.status == Status.PLANNED


def test_the_kam_cancels_a_planned_visit(world: World) -> None:
    planned = interaction(world.account, day=timezone.localdate(), status=Status.PLANNED)
    client_for(world.kam).post(reverse("interactions:cancel", args=[planned.pk]))
    planned.refresh_from_db()
    assert planned.status == Status.CANCELLED


def test_the_next_step_owner_closes_the_step(world: World) -> None:
    done = interaction(
        world.account, day=timezone.localdate(), next_step="提交报价", next_step_owner=world.kam
    )
    response = client_for(world.kam).post(
        reverse("interactions:next_step_done", args=[done.pk]), {"from": "week"}
    )
    assert response.status_code == 200
    done.refresh_from_db()
    assert done.next_step_done


def test_another_teams_kam_gets_404_a_viewer_403_and_nothing_changes(world: World) -> None:
    planned = interaction(world.account, day=timezone.localdate(), status=Status.PLANNED)
    for name in ("complete", "cancel", "next_step_done"):
        for user, status in ((world.other_kam, 404), (world.viewer, 403)):
            response = client_for(user).post(reverse(f"interactions:{name}", args=[planned.pk]))
            assert response.status_code == status
    planned.refresh_from_db()
    assert planned.status == Status.PLANNED
