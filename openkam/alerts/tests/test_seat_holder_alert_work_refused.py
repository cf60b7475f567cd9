"""A seat on an account's team shows the account's alerts but never lets its holder work them,
whatever their role: the alert services ask the one rule (accounts_editable_by, through
writable_account_for) before anything they were sent, so the refusal is a 403 with nothing
saved, never a complaint about the input. The account's KAM and the director still work them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from openkam.accounts.models import AccountTeamMember, AccountTeamRole
from openkam.alerts import services
from openkam.alerts.models import Alert, AlertState
from openkam.alerts.tests.builders import alert
from openkam.conftest import World, client_for
from openkam.team.models import User

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 7)


def _seated(world: World) -> User:
    """Another team's KAM (a role that writes) seated on the account's team as support."""
    AccountTeamMember.objects.create(
        account=world.account, user=world.other_kam, role=AccountTeamRole.OTHER
    )
    return world.other_kam


def _unchanged(found: Alert) -> bool:
    fresh = Alert.objects.get(pk=found.pk)
    state = (fresh.state, fresh.snoozed_until, fresh.dismiss_reason)
    return (
        state == (AlertState.OPEN, None, "")
        and not fresh.history.exclude(history_type="+").exists()
    )


@pytest.mark.parametrize("action", ["acknowledge", "resolve"])
def test_a_seat_holder_sees_the_alert_but_working_it_is_403(world: World, action: str) -> None:
    found = alert(world.account)
    client = client_for(_seated(world))
    assert client.get(reverse("alerts:detail", args=[found.pk])).status_code == 200
    response = client.post(reverse("alerts:act", args=[found.pk, action]))
    assert response.status_code == 403
    assert _unchanged(found)


def test_the_services_refuse_a_seat_holder_before_reading_the_input(world: World) -> None:
    found = alert(world.account)
    seated = _seated(world)
    with pytest.raises(PermissionDenied):
        services.alert_dismiss(user=seated, alert=found, reason="")
    with pytest.raises(PermissionDenied):
        services.alert_snooze(user=seated, alert=found, until=TODAY, today=TODAY)
    with pytest.raises(PermissionDenied):
        services.alert_dismiss(user=seated, alert=found, reason="客户已回款")
    assert _unchanged(found)


@pytest.mark.parametrize("persona", ["kam", "director"])
def test_the_accounts_kam_and_director_still_work_it(world: World, persona: str) -> None:
    _seated(world)
    found = alert(world.account)
    response = client_for(getattr(world, persona)).post(
        reverse("alerts:act", args=[found.pk, "acknowledge"])
    )
    assert response.status_code == 302
    found.refresh_from_db()
    assert found.state == AlertState.ACKNOWLEDGED
