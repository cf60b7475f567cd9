"""/api/v1/service-cases: open, read, edit, move, resolve, and every route tried by every
persona (another team: 404, or 422 when the body names its account; readers: 403; no token:
401), nothing saved on refusal."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from openkam.api.tests.conftest import ApiClient, api
from openkam.conftest import World
from openkam.service.models import ServiceCase
from openkam.service.tests.builders import case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
__all__ = ["api"]

PERSONAS = ("exec", "dir", "kam", "other_kam", "analyst", "viewer", "anonymous")
READ = {"other_kam": 404, "anonymous": 401}
READ_LIST = {"anonymous": 401}
WORK = {"other_kam": 404, "analyst": 403, "viewer": 403, "anonymous": 401}
WORK_BODY = {"other_kam": 422, "analyst": 403, "viewer": 403, "anonymous": 401}


def test_a_case_through_the_api(world: World, api: dict[str, ApiClient]) -> None:
    kam = api["kam"]
    made = kam.post(
        "/service-cases",
        {"account_id": world.account.pk, "kind": "complaint", "severity": "high",
         "title": "曳引机异响", "opened_at": "2026-06-01T09:00:00+08:00",
         "first_response_at": "2026-06-01T14:00:00+08:00"},
    )  # fmt: skip
    assert made.status_code == 201, made.json()
    body = made.json()
    assert (body["status"], body["response_breached"], body["breached"]) == (
        "in_progress", True, True,
    )  # fmt: skip
    url = f"/service-cases/{body['id']}"
    refused = kam.post(f"{url}/resolve", {})
    assert refused.status_code == 422
    assert "root_cause" in str(refused.json())
    done = kam.post(f"{url}/resolve", {"root_cause": "轴承磨损", "corrective_action": "更换"})
    assert done.json()["status"] == "resolved"
    assert kam.post(f"{url}/move", {"status": "closed"}).json()["status"] == "closed"
    listed = kam.get("/service-cases", {"breached": "true"}).json()
    assert [row["id"] for row in listed["items"]] == [body["id"]]


@dataclass
class Route:
    name: str
    method: str
    build: Callable[[World], tuple[str, Any]]
    refusals: dict[str, int]
    ok: int = 200


def _case(w: World) -> ServiceCase:
    return case(w.account, kind="training_request")


ROUTES = [
    Route("list", "get", lambda w: ("/service-cases", None), READ_LIST),
    Route("read", "get", lambda w: (f"/service-cases/{_case(w).pk}", None), READ),
    Route(
        "open",
        "post",
        lambda w: (
            "/service-cases",
            {"account_id": w.account.pk, "kind": "complaint", "title": "t"},
        ),
        WORK_BODY,
        201,
    ),
    Route("edit", "patch", lambda w: (f"/service-cases/{_case(w).pk}", {"title": "新"}), WORK),
    Route(
        "move",
        "post",
        lambda w: (f"/service-cases/{_case(w).pk}/move", {"status": "waiting"}),
        WORK,
    ),
    Route("resolve", "post", lambda w: (f"/service-cases/{_case(w).pk}/resolve", {}), WORK),
]


def stored() -> list[Any]:
    return list(ServiceCase.objects.order_by("pk").values())


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_each_persona_gets_what_its_role_allows(
    world: World, api: dict[str, ApiClient], route: Route, persona: str
) -> None:
    path, body = route.build(world)
    client = api.get(persona) or ApiClient(None)
    before = stored()
    if route.method == "get":
        response = client.get(path)
    else:
        response = getattr(client, route.method)(path, body)
    expected = route.refusals.get(persona, route.ok)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["code"]
        assert stored() == before
    if route.refusals is READ_LIST and persona == "other_kam":
        assert response.json()["count"] == 0


def test_the_cases_cost_through_the_api(world: World, api: dict[str, ApiClient]) -> None:
    """The cost is read and written like the other fields; once resolved, the case says where
    its cost sits in the cost to serve (year and month of the resolution); a negative cost is
    refused by name and a reader cannot change it."""
    kam = api["kam"]
    made = kam.post(
        "/service-cases",
        {"account_id": world.account.pk, "kind": "service_request", "title": "调试",
         "opened_at": "2026-05-30T09:00:00+08:00",
         "cost": "1200.50"},
    )  # fmt: skip
    body = made.json()
    assert made.status_code == 201, body
    assert (body["cost"], body["cost_booked_year"], body["cost_booked_month"]) == (
        "1200.50", None, None,
    )  # fmt: skip
    url = f"/service-cases/{body['id']}"
    bad = kam.patch(url, {"cost": "-1"})
    assert bad.status_code == 422
    assert "cost" in str(bad.json())
    assert api["viewer"].patch(url, {"cost": "5"}).status_code == 403
    assert api["other_kam"].get(url).status_code == 404
    done = kam.post(f"{url}/resolve", {"resolved_at": "2026-05-31T23:30:00+08:00", "cost": "900"})
    assert done.status_code == 200, done.json()
    assert (done.json()["cost"], done.json()["cost_booked_year"]) == ("900.00", 2026)
    assert done.json()["cost_booked_month"] == 5
    listed = kam.get("/service-cases").json()["items"]
    assert [(r["cost"], r["cost_booked_month"]) for r in listed] == [("900.00", 5)]
    assert ServiceCase.objects.get().cost == Decimal("900.00")


def test_the_schema_documents_the_cases_cost() -> None:
    """OpenAPI: a case reads its cost and where it is booked; the cost is written on open,
    edit and resolve, never below nought."""
    from django.test import Client
    from django.urls import reverse

    from openkam.factories import UserFactory

    client = Client()
    client.force_login(UserFactory.create())
    schemas = client.get(reverse("api:openapi-json")).json()["components"]["schemas"]
    out = schemas["CaseOut"]["properties"]
    assert {"cost", "cost_booked_year", "cost_booked_month"} <= set(out)
    assert "month" in out["cost_booked_month"]["description"]
    for name in ("CaseIn", "CaseFields", "ResolveIn"):
        cost = schemas[name]["properties"]["cost"]
        number = next(part for part in cost["anyOf"] if part.get("type") != "null")
        assert number.get("minimum") == 0, (name, cost)
