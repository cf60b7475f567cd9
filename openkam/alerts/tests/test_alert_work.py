"""Working an alert through the services: the states it may pass through, the refusals that
save nothing, and a history row per change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.alerts.models import Alert, AlertState
from openkam.alerts.services import (
    alert_acknowledge,
    alert_assign,
    alert_dismiss,
    alert_resolve,
    alert_snooze,
)
from openkam.alerts.tests.builders import alert
from openkam.common.errors import NotFound
from openkam.conftest import World

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def test_every_change_is_kept_in_the_history(world: World) -> None:
    found = alert(world.account)
    alert_acknowledge(user=world.kam, alert=found)
    alert_snooze(user=world.kam, alert=found, until=TODAY + dt.timedelta(days=7), today=TODAY)
    alert_assign(user=world.director, alert=found, assignee=world.director)
    alert_resolve(user=world.director, alert=found, note="paid")
    reasons = list(
        found.history.order_by("history_date").values_list("history_change_reason", flat=True)
    )
    assert reasons == [None, "acknowledged", "snoozed", "assigned", "resolved"]


def test_a_resolved_alert_cannot_be_dismissed(world: World) -> None:
    found = alert(world.account, state=AlertState.RESOLVED)
    with pytest.raises(ValidationError):
        alert_dismiss(user=world.kam, alert=found, reason="no longer relevant")
    assert Alert.objects.get().state == AlertState.RESOLVED


def test_a_snooze_must_end_after_today(world: World) -> None:
    found = alert(world.account)
    with pytest.raises(ValidationError):
        alert_snooze(user=world.kam, alert=found, until=TODAY, today=TODAY)
    assert Alert.objects.get().snoozed_until is None


def test_the_kam_may_not_reassign(world: World) -> None:
    with pytest.raises(PermissionDenied):
        alert_assign(user=world.kam, alert=alert(world.account), assignee=world.director)


def test_another_teams_kam_finds_nothing(world: World) -> None:
    with pytest.raises(NotFound):
        alert_acknowledge(user=world.other_kam, alert=alert(world.account))


def test_an_assignee_must_see_the_account(world: World) -> None:
    with pytest.raises(ValidationError):
        alert_assign(user=world.executive, alert=alert(world.account), assignee=world.other_kam)
    assert Alert.objects.get().assignee_id == world.kam.pk
