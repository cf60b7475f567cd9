"""/api/v1/winbacks tried by every persona: the account's KAM, its team's director and an
executive open, read, change, close and delete cases and add actions; another team's KAM
finds nothing (404, an empty list; 422 when the body names the account); analysts and
viewers read and are refused writes (403); no token is a 401. A refused write saves
nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from openkam.api.tests.conftest import ApiClient, api_for
from openkam.conftest import World
from openkam.retention.models import WinBackAction, WinBackCase
from openkam.retention.tests.builders import case, churn_alert

pytestmark = pytest.mark.django_db

PERSONAS = ("exec", "dir", "kam", "other_kam", "analyst", "viewer", "anonymous")
READ = {"other_kam": 404, "anonymous": 401}
WORK = {"other_kam": 404, "analyst": 403, "viewer": 403, "anonymous": 401}
WORK_BODY = {"other_kam": 422, "analyst": 403, "viewer": 403, "anonymous": 401}


@pytest.fixture
def clients(world: World) -> dict[str, ApiClient]:
    users = {
        "exec": world.executive,
        "dir": world.director,
        "kam": world.kam,
        "other_kam": world.other_kam,
        "analyst": world.analyst,
        "viewer": world.viewer,
    }
    return {name: api_for(user) for name, user in users.items()} | {"anonymous": ApiClient(None)}


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    build: Callable[[World], tuple[str, dict[str, Any] | None]]
    refusals: dict[str, int]
    ok: int = 200


def _open(world: World) -> WinBackCase:
    return case(world.account, opened_on=timezone.localdate())


def _action(world: World) -> WinBackAction:
    return WinBackAction.objects.create(
        case=_open(world), title="报价", owner=world.director, due_on=timezone.localdate()
    )


def _today() -> str:
    return timezone.localdate().isoformat()


ROUTES = [
    Route("read", "get", lambda w: (f"/winbacks/{_open(w).pk}", None), READ),
    Route("create", "post", lambda w: ("/winbacks", {
        "account_id": w.account.pk, "alert_id": churn_alert(w.account).pk, "cause": "price"
    }), WORK_BODY, 201),
    Route("edit", "patch", lambda w: (f"/winbacks/{_open(w).pk}", {"offer": "返利 2%"}), WORK),
    Route("outcome", "post", lambda w: (f"/winbacks/{_open(w).pk}/outcome", {
        "outcome": "retained", "outcome_on": _today()}), WORK),
    Route("delete", "delete", lambda w: (f"/winbacks/{_open(w).pk}", None), WORK, 204),
    Route("add action", "post", lambda w: (f"/winbacks/{_open(w).pk}/actions", {
        "title": "高层拜访", "due_on": _today()}), WORK, 201),
    Route("edit action", "patch", lambda w: (f"/winback-actions/{_action(w).pk}",
        {"status": "done"}), WORK),
]  # fmt: skip


def _state() -> tuple[Any, ...]:
    return (list(WinBackCase.objects.values()), list(WinBackAction.objects.values()))


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_its_role_allows(
    world: World, clients: dict[str, ApiClient], route: Route, persona: str
) -> None:
    path, body = route.build(world)
    before = _state()
    client = clients[persona]
    if route.method in ("get", "delete"):
        response = getattr(client, route.method)(path)
    else:
        response = getattr(client, route.method)(path, body)
    expected = route.refusals.get(persona, route.ok)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert _state() == before


def test_the_list_holds_the_cases_the_user_sees(
    world: World, clients: dict[str, ApiClient]
) -> None:
    mine = case(world.account)
    case(world.other_account, outcome="lost", outcome_on=dt.date(2026, 3, 5))
    listed = clients["kam"].get("/winbacks").json()
    assert [row["id"] for row in listed["items"]] == [mine.pk]
    assert clients["exec"].get("/winbacks", {"state": "lost"}).json()["count"] == 1
    assert clients["exec"].get("/winbacks", {"state": "open"}).json()["count"] == 1
    assert clients["exec"].get("/winbacks", {"state": "won"}).status_code == 422
    assert clients["anonymous"].get("/winbacks").status_code == 401


def test_a_case_opened_through_the_api_reads_back_with_its_actions(
    world: World, clients: dict[str, ApiClient]
) -> None:
    body_in = {"account_id": world.account.pk, "cause": "delivery", "offer": "加急交付"}
    response = clients["kam"].post("/winbacks", body_in)
    assert response.status_code == 201
    body = response.json()
    assert (body["owner_id"], body["outcome"], body["actions"]) == (world.kam.pk, "", [])
    added = clients["kam"].post(f"/winbacks/{body['id']}/actions",
                                {"title": "质量复盘会", "due_on": _today()})  # fmt: skip
    assert added.json()["owner_id"] == world.kam.pk
    again = clients["kam"].get(f"/winbacks/{body['id']}").json()
    assert [a["title"] for a in again["actions"]] == ["质量复盘会"]
    second = clients["kam"].post("/winbacks", {"account_id": world.account.pk, "cause": "price"})
    assert second.status_code == 422


def test_an_unknown_owner_is_the_fields_error(world: World, clients: dict[str, ApiClient]) -> None:
    response = clients["kam"].post(
        "/winbacks", {"account_id": world.account.pk, "cause": "price", "owner_id": 999999}
    )
    assert response.status_code == 422
    assert "owner_id" in str(response.json())
    assert not WinBackCase.objects.exists()
