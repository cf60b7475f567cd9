"""PATCH /interactions/{id}: the fields sent replace theirs (participant lists whole), through
the interactions app's interaction_update, each change in the history with the participants;
refused (403, nothing changed) to read-only roles and other teams."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World
from openkam.factories import ContactFactory
from openkam.interactions.models import Interaction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def logged(world: World, api: dict[str, ApiClient]) -> dict[str, Any]:
    first = ContactFactory.create(account=world.account, name="王总")
    response = api["kam"].post(
        "/interactions",
        {
            "account_id": world.account.pk,
            "kind": "visit",
            "status": "planned",
            "starts_at": (timezone.now() + dt.timedelta(days=3)).isoformat(),
            "subject": "年度框架协议谈判",
            "their_participant_ids": [first.pk],
        },
    )
    assert response.status_code == 201, response.json()
    body: dict[str, Any] = response.json()
    return body


def test_a_kam_reschedules_and_changes_who_takes_part(
    world: World, api: dict[str, ApiClient], logged: dict[str, Any]
) -> None:
    second = ContactFactory.create(account=world.account, name="李工")
    later = timezone.now() + dt.timedelta(days=10)
    response = api["kam"].patch(
        f"/interactions/{logged['id']}",
        {"starts_at": later.isoformat(), "their_participant_ids": [second.pk]},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["their_participant_ids"] == [second.pk]
    assert body["subject"] == "年度框架协议谈判"  # not sent: kept
    assert body["our_participant_ids"] == [world.kam.pk]
    saved = Interaction.objects.get(pk=logged["id"])
    assert abs((saved.starts_at - later).total_seconds()) < 1
    newest = saved.history.order_by("-history_id").first()
    assert newest is not None
    assert [row.contact_id for row in newest.their_participants.all()] == [second.pk]


@pytest.mark.parametrize(
    ("persona", "status"), [("viewer", 403), ("analyst", 403), ("other_kam", 404)]
)
def test_read_only_roles_and_other_teams_change_nothing(
    world: World, api: dict[str, ApiClient], logged: dict[str, Any], persona: str, status: int
) -> None:
    before = Interaction.objects.get(pk=logged["id"]).history.count()
    response = api[persona].patch(f"/interactions/{logged['id']}", {"subject": "改掉"})
    # 403 for a row the persona sees but may not change; another team's reads as absent
    assert response.status_code == status
    saved = Interaction.objects.get(pk=logged["id"])
    assert saved.subject == "年度框架协议谈判"
    assert saved.history.count() == before


def test_a_contact_of_another_account_is_a_field_error_and_nothing_changes(
    world: World, api: dict[str, ApiClient], logged: dict[str, Any]
) -> None:
    stranger = ContactFactory.create(account=world.other_account)
    response = api["kam"].patch(
        f"/interactions/{logged['id']}",
        {"their_participant_ids": [stranger.pk], "subject": "新主题"},
    )
    assert response.status_code == 422
    assert any("their_participant_ids" in error["loc"] for error in response.json()["errors"])
    saved = Interaction.objects.get(pk=logged["id"])
    assert saved.subject == "年度框架协议谈判"
    assert [c.name for c in saved.their_participants.all()] == ["王总"]


def test_an_unknown_participant_is_named_by_its_position(
    world: World, api: dict[str, ApiClient], logged: dict[str, Any]
) -> None:
    response = api["kam"].patch(f"/interactions/{logged['id']}", {"our_participant_ids": [0]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-2:] == ["our_participant_ids", 0]
