"""Alerts through the API, tried by every persona: the account's KAM, its team's director and
an executive work an alert; only the director and executives reassign; another team's KAM
finds nothing (404, an empty list); analysts and viewers read and are refused writes; no token
is a 401. A refused write saves nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from openkam.alerts.models import Alert, AlertState
from openkam.alerts.tests.builders import alert
from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World

pytestmark = pytest.mark.django_db

PERSONAS = ("exec", "dir", "kam", "other_kam", "analyst", "viewer", "anonymous")
READ = {"other_kam": 404, "anonymous": 401}
WORK = {"other_kam": 404, "analyst": 403, "viewer": 403, "anonymous": 401}
DECIDE = {"kam": 403, "other_kam": 404, "analyst": 403, "viewer": 403, "anonymous": 401}


def _tomorrow() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    path: str
    body: Callable[[World], dict[str, Any] | None]
    refusals: dict[str, int]


ROUTES = [
    Route("read", "get", "", lambda w: None, READ),
    Route("acknowledge", "post", "/acknowledge", lambda w: {}, WORK),
    Route("resolve", "post", "/resolve", lambda w: {"note": "paid"}, WORK),
    Route("dismiss", "post", "/dismiss", lambda w: {"reason": "agreed terms"}, WORK),
    Route("snooze", "patch", "", lambda w: {"snoozed_until": _tomorrow()}, WORK),
    Route("assign", "patch", "", lambda w: {"assignee_id": w.director.pk}, DECIDE),
]


@pytest.fixture
def clients(api: dict[str, ApiClient]) -> dict[str, ApiClient]:
    return {**api, "anonymous": ApiClient(None)}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_what_its_role_allows(
    world: World, clients: dict[str, ApiClient], route: Route, persona: str
) -> None:
    found = alert(world.account)
    before = found.history.count()
    path = f"/alerts/{found.pk}{route.path}"
    client = clients[persona]
    body = route.body(world)
    response = (
        client.get(path) if route.method == "get" else getattr(client, route.method)(path, body)
    )
    expected = route.refusals.get(persona, 200)
    assert response.status_code == expected, response.content
    if expected != 200 and route.method != "get":
        assert found.history.count() == before


def test_the_list_is_ranked_by_value_at_risk_then_tier(
    world: World, api: dict[str, ApiClient]
) -> None:
    world.account.tier = "key"
    world.account.save(update_fields=["tier"])
    small = alert(world.account, rule="concentration", value_at_risk=Decimal("10.00"))
    large = alert(world.account, value_at_risk=Decimal("900.00"))
    response = api["kam"].get("/alerts")
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["items"]] == [large.pk, small.pk]


def test_another_team_sees_an_empty_list(world: World, api: dict[str, ApiClient]) -> None:
    alert(world.account)
    assert api["other_kam"].get("/alerts").json()["items"] == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"rule": "concentration"}, ["concentration"]),
        ({"state": "acknowledged"}, ["concentration"]),
        ({"tier": "general"}, ["concentration", "payment_worsening"]),
        ({"tier": "key"}, []),
    ],
)
def test_the_list_filters(
    world: World, api: dict[str, ApiClient], params: dict[str, str], expected: list[str]
) -> None:
    alert(world.account, value_at_risk=Decimal("5.00"))
    alert(world.account, rule="concentration", state=AlertState.ACKNOWLEDGED)
    rows = api["exec"].get("/alerts", params).json()["items"]
    assert [row["rule"] for row in rows] == expected


def test_an_alert_reads_with_its_message(world: World, api: dict[str, ApiClient]) -> None:
    found = alert(world.account)
    body = api["kam"].get(f"/alerts/{found.pk}", None, **{"Accept-Language": "en"}).json()
    assert body["message"].startswith("Payments are getting later: 50% of open receivables")


def test_dismissing_needs_a_reason(world: World, api: dict[str, ApiClient]) -> None:
    found = alert(world.account)
    response = api["kam"].post(f"/alerts/{found.pk}/dismiss", {"reason": "  "})
    assert response.status_code == 422
    found.refresh_from_db()
    assert found.state == AlertState.OPEN


def test_a_refused_reassignment_also_refuses_the_snooze(
    world: World, api: dict[str, ApiClient]
) -> None:
    found = alert(world.account)
    body = {"snoozed_until": _tomorrow(), "assignee_id": world.other_kam.pk}
    response = api["dir"].patch(f"/alerts/{found.pk}", body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "assignee"
    found.refresh_from_db()
    assert (found.assignee_id, found.snoozed_until) == (world.kam.pk, None)


def test_the_director_reassigns_within_the_team(world: World, api: dict[str, ApiClient]) -> None:
    found = alert(world.account)
    response = api["dir"].patch(f"/alerts/{found.pk}", {"assignee_id": world.director.pk})
    assert response.json()["assignee_id"] == world.director.pk
    assert Alert.objects.get(pk=found.pk).assignee_id == world.director.pk


@pytest.mark.parametrize("count", [2, 6])
def test_the_list_takes_the_same_queries_however_many_alerts(
    world: World, api: dict[str, ApiClient], count: int, django_assert_num_queries: Any
) -> None:
    rules = ["payment_worsening", "concentration", "credit_exposure"]
    for n in range(count):
        alert(world.account if n % 2 else world.unassigned_account, rule=rules[n // 2])
    client = api["dir"]
    with django_assert_num_queries(4):  # token, page count, page, last-used stamp
        response = client.get("/alerts")
    assert len(response.json()["items"]) == count // 2 + (count % 2)


@pytest.mark.parametrize("page", [10**12, 10**18])
def test_a_page_past_the_last_one_anyone_can_ask_for_is_the_pages_error(
    api: dict[str, ApiClient], page: int
) -> None:
    response = api["kam"].get("/alerts", {"page": page})
    assert response.status_code == 422, response.content
    assert {error["field"] for error in response.json()["errors"]} == {"page"}


@pytest.mark.parametrize("field", ["account_id", "assignee_id"])
def test_an_id_past_64_bits_in_a_filter_is_the_fields_error(
    api: dict[str, ApiClient], field: str
) -> None:
    response = api["kam"].get("/alerts", {field: 2**63})
    assert response.status_code == 422, response.content
    assert {error["field"] for error in response.json()["errors"]} == {field}
