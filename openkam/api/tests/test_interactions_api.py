"""/interactions: read as the accounts are; logged, completed and cancelled through the
interactions app's services, refused (403, nothing saved) to read-only roles and other teams."""

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


def visit(world: World, **changes: Any) -> dict[str, Any]:
    body = {
        "account_id": world.account.pk,
        "kind": "visit",
        "status": "done",
        "starts_at": (timezone.now() - dt.timedelta(days=2)).isoformat(),
        "subject": "季度业务回顾",
    }
    return body | changes


def test_a_kam_logs_a_visit_with_participants(world: World, api: dict[str, ApiClient]) -> None:
    contact = ContactFactory.create(account=world.account)
    response = api["kam"].post(
        "/interactions",
        visit(
            world,
            their_participant_ids=[contact.pk],
            next_step="寄送报价",
            next_step_due="2026-12-31",
        ),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    saved = Interaction.objects.get(pk=body["id"])
    assert saved.subject == "季度业务回顾"
    assert body["our_participant_ids"] == [world.kam.pk]  # the author, when nobody is named
    assert body["their_participant_ids"] == [contact.pk]
    assert body["next_step_owner_id"] == world.kam.pk


@pytest.mark.parametrize(
    ("persona", "status"), [("viewer", 403), ("analyst", 403), ("other_kam", 422)]
)
def test_read_only_roles_and_other_teams_are_refused(
    world: World, api: dict[str, ApiClient], persona: str, status: int
) -> None:
    response = api[persona].post("/interactions", visit(world))
    assert response.status_code == status  # another team's account reads as unknown
    assert not Interaction.objects.exists()


def test_the_services_rules_are_field_errors(world: World, api: dict[str, ApiClient]) -> None:
    stranger = ContactFactory.create(account=world.other_account)
    future = (timezone.now() + dt.timedelta(days=5)).isoformat()
    # The executive sees the stranger's account: the service's rule answers, naming them.
    response = api["exec"].post(
        "/interactions", visit(world, starts_at=future, their_participant_ids=[stranger.pk])
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {
        "starts_at",
        "their_participant_ids",
    }
    response = api["kam"].post("/interactions", visit(world, our_participant_ids=[999999]))
    assert response.json()["errors"][0]["loc"] == ["our_participant_ids", 0]
    assert not Interaction.objects.exists()


def test_interactions_read_as_their_accounts(world: World, api: dict[str, ApiClient]) -> None:
    created = api["kam"].post("/interactions", visit(world)).json()
    api["other_kam"].post("/interactions", visit(world, account_id=world.other_account.pk))
    assert [i["id"] for i in api["viewer"].get("/interactions").json()["items"]] == [created["id"]]
    assert api["exec"].get("/interactions").json()["count"] == 2
    assert api["other_kam"].get(f"/interactions/{created['id']}").status_code == 404
    assert api["viewer"].get("/interactions", {"kind": "call"}).json()["count"] == 0


def test_complete_cancel_and_close_the_next_step(world: World, api: dict[str, ApiClient]) -> None:
    planned = (
        api["kam"]
        .post(
            "/interactions",
            visit(world, status="planned", next_step="回访", starts_at=timezone.now().isoformat()),
        )
        .json()
    )
    url = f"/interactions/{planned['id']}"
    assert api["other_kam"].post(f"{url}/complete", {}).status_code == 404
    assert api["viewer"].post(f"{url}/cancel", {}).status_code == 403
    assert Interaction.objects.get().status == "planned"
    done = api["kam"].post(f"{url}/complete", {"notes": "客户确认需求"}).json()
    assert done["status"] == "done"
    assert "客户确认需求" in done["notes"]
    assert api["kam"].post(f"{url}/cancel", {}).status_code == 422
    assert api["kam"].post(f"{url}/next-step-done", {}).json()["next_step_done"] is True
