"""Working an alert from its page: each action by each persona. The KAM acknowledges,
resolves, dismisses with a reason, snoozes; only the team's director or an executive
reassigns; readers are refused (403) and another team's alert does not exist (404); a refusal
saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.alerts.models import Alert, AlertState
from openkam.alerts.tests.builders import alert
from openkam.conftest import World, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def act(pk: int, action: str) -> str:
    return reverse("alerts:act", args=[pk, action])


def unchanged(found: Alert) -> bool:
    fresh = Alert.objects.get(pk=found.pk)
    return (fresh.state, fresh.assignee_id, fresh.snoozed_until, fresh.history.count()) == (
        found.state,
        found.assignee_id,
        found.snoozed_until,
        1 if found.history.exists() else 0,
    )


def test_the_kam_acknowledges_and_returns_where_they_were(world: World) -> None:
    found = alert(world.account)
    response = client_for(world.kam).post(
        act(found.pk, "acknowledge"), {"next": reverse("alerts:mine")}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("alerts:mine")
    found.refresh_from_db()
    assert found.state == AlertState.ACKNOWLEDGED
    assert found.history.latest().history_user == world.kam


def test_a_foreign_next_is_not_followed(world: World) -> None:
    found = alert(world.account)
    response = client_for(world.kam).post(
        act(found.pk, "acknowledge"), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("alerts:detail", args=[found.pk])


def test_the_kam_resolves_with_a_note(world: World) -> None:
    found = alert(world.account)
    client_for(world.kam).post(act(found.pk, "resolve"), {"resolve-note": "已催收回款"})
    found.refresh_from_db()
    assert (found.state, found.resolution) == (AlertState.RESOLVED, "已催收回款")


def test_dismissing_needs_a_reason_and_saves_nothing_without(world: World) -> None:
    found = alert(world.account)
    response = client_for(world.kam).post(act(found.pk, "dismiss"), {"dismiss-reason": "  "})
    assert response.status_code == 400
    assert 'data-testid="field-error"' in response.content.decode()
    assert Alert.objects.get(pk=found.pk).state == AlertState.OPEN
    client_for(world.kam).post(act(found.pk, "dismiss"), {"dismiss-reason": "季节性停购"})
    found.refresh_from_db()
    assert (found.state, found.dismiss_reason) == (AlertState.DISMISSED, "季节性停购")


def test_a_snooze_in_the_past_is_refused_on_its_form(world: World) -> None:
    found = alert(world.account)
    today = timezone.localdate()
    response = client_for(world.kam).post(act(found.pk, "snooze"), {"snooze-until": today})
    assert response.status_code == 400
    assert Alert.objects.get(pk=found.pk).snoozed_until is None
    later = today + dt.timedelta(days=10)
    client_for(world.kam).post(act(found.pk, "snooze"), {"snooze-until": later})
    assert Alert.objects.get(pk=found.pk).snoozed_until == later


def test_waking_clears_the_snooze(world: World) -> None:
    found = alert(world.account, snoozed_until=timezone.localdate() + dt.timedelta(days=5))
    client_for(world.kam).post(act(found.pk, "wake"))
    assert Alert.objects.get(pk=found.pk).snoozed_until is None


def test_the_director_reassigns_within_the_team(world: World) -> None:
    found = alert(world.account)
    response = client_for(world.director).post(
        act(found.pk, "assign"), {"assign-assignee": world.director.pk}
    )
    assert response.status_code == 302
    assert Alert.objects.get(pk=found.pk).assignee == world.director


def test_the_kam_may_not_reassign(world: World) -> None:
    found = alert(world.account)
    response = client_for(world.kam).post(
        act(found.pk, "assign"), {"assign-assignee": world.kam.pk}
    )
    assert response.status_code == 403
    assert Alert.objects.get(pk=found.pk).assignee == world.kam


def test_nobody_outside_the_team_may_be_chosen(world: World) -> None:
    found = alert(world.account)
    response = client_for(world.executive).post(
        act(found.pk, "assign"), {"assign-assignee": world.other_kam.pk}
    )
    assert response.status_code == 400
    assert Alert.objects.get(pk=found.pk).assignee == world.kam


ACTIONS = {
    "acknowledge": {},
    "resolve": {"resolve-note": "x"},
    "dismiss": {"dismiss-reason": "x"},
    "snooze": {"snooze-until": "2099-01-01"},
    "wake": {},
    "assign": {"assign-assignee": "1"},
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ["viewer", "analyst"])
def test_readers_are_refused_every_action_and_nothing_is_saved(
    world: World, who: str, action: str
) -> None:
    found = alert(world.account)
    response = client_for(getattr(world, who)).post(act(found.pk, action), ACTIONS[action])
    assert response.status_code == 403
    assert unchanged(found)


@pytest.mark.parametrize("action", ACTIONS)
def test_another_teams_kam_finds_no_alert(world: World, action: str) -> None:
    found = alert(world.account)
    response = client_for(world.other_kam).post(act(found.pk, action), ACTIONS[action])
    assert response.status_code == 404
    assert unchanged(found)


def test_an_unknown_action_is_refused(world: World) -> None:
    found = alert(world.account)
    assert client_for(world.kam).post(act(found.pk, "delete")).status_code == 403
    assert Alert.objects.filter(pk=found.pk).exists()


def test_work_is_posted_never_got(world: World) -> None:
    found = alert(world.account)
    assert client_for(world.kam).get(act(found.pk, "acknowledge")).status_code == 405
    assert Alert.objects.get(pk=found.pk).state == AlertState.OPEN


def test_a_closed_alert_cannot_be_acknowledged(world: World) -> None:
    found = alert(world.account, state=AlertState.RESOLVED, resolved_at=timezone.now())
    response = client_for(world.kam).post(act(found.pk, "acknowledge"))
    assert response.status_code == 400
    assert Alert.objects.get(pk=found.pk).state == AlertState.RESOLVED
