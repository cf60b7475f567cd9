"""The case's rules: fields named in each refusal, the state machine, the resolution needing
its cause for complaints and claims, history kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from openkam.common.errors import NotFound, PermissionDenied
from openkam.conftest import World
from openkam.factories import ContactFactory
from openkam.service.models import ServiceCase
from openkam.service.services import case_move, case_open, case_resolve, case_update

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def opened(world: World, **fields: object) -> ServiceCase:
    values = {"kind": "complaint", "severity": "medium", "title": "漏油"} | fields
    return case_open(user=world.kam, account_id=world.account.pk, **values)


def test_refusals_name_their_fields_and_save_nothing(world: World) -> None:
    stranger = ContactFactory.create(account=world.other_account)
    with pytest.raises(ValidationError) as error:
        opened(
            world, title=" ", contact=stranger,
            opened_at=dt.datetime(2026, 6, 2, tzinfo=dt.UTC),
        )  # fmt: skip
    assert set(error.value.message_dict) == {"title", "contact", "opened_at"}
    assert not ServiceCase.objects.exists()


def test_readers_and_other_teams_cannot_open_cases(world: World) -> None:
    with pytest.raises(PermissionDenied):
        case_open(user=world.viewer, account_id=world.account.pk, kind="complaint", title="t")
    with pytest.raises(NotFound):
        case_open(user=world.other_kam, account_id=world.account.pk, kind="complaint", title="t")
    assert not ServiceCase.objects.exists()


def test_a_case_moves_only_along_its_states(world: World) -> None:
    made = opened(world)
    assert made.status == "new"
    with pytest.raises(ValidationError) as error:
        case_move(user=world.kam, case_id=made.pk, status="closed")
    assert "status" in error.value.message_dict
    moved = case_move(user=world.kam, case_id=made.pk, status="in_progress")
    assert moved.first_response_at is not None  # starting work is the first response
    case_move(user=world.kam, case_id=made.pk, status="waiting")
    resolved = case_resolve(
        user=world.kam, case_id=made.pk, root_cause="密封圈老化", corrective_action="更换密封圈"
    )
    assert resolved.status == "resolved"
    closed = case_move(user=world.kam, case_id=made.pk, status="closed")
    assert closed.closed_at is not None
    reopened = case_move(user=world.kam, case_id=made.pk, status="reopened")
    assert (reopened.resolved_at, reopened.closed_at) == (None, None)
    statuses = list(made.history.order_by("history_date", "pk").values_list("status", flat=True))
    assert statuses == ["new", "in_progress", "waiting", "resolved", "closed", "reopened"]


def test_a_complaint_is_resolved_only_with_its_cause_and_action(world: World) -> None:
    made = opened(world)
    with pytest.raises(ValidationError) as error:
        case_resolve(user=world.kam, case_id=made.pk)
    assert set(error.value.message_dict) == {"root_cause", "corrective_action"}
    assert ServiceCase.objects.get().status == "new"
    request = opened(world, kind="training_request")
    assert case_resolve(user=world.kam, case_id=request.pk).status == "resolved"


def test_a_new_severity_moves_the_deadlines_from_the_opening(world: World) -> None:
    made = opened(world)  # medium: 8 h / 120 h
    changed = case_update(user=world.kam, case_id=made.pk, severity="critical")
    assert changed.response_due == made.opened_at + dt.timedelta(hours=2)
    assert changed.resolution_due == made.opened_at + dt.timedelta(hours=24)
