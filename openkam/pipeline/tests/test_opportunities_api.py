"""/api/v1/opportunities: open, change, move through the stages to won (with its orders) or
lost (with the reason), the filters, and every route tried by every persona (another team:
404, or 422 when the body names its account; readers: 403; no token: 401), nothing saved on
refusal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from openkam.api.tests.conftest import ApiClient, api
from openkam.conftest import World
from openkam.ledger.models import Order
from openkam.pipeline.models import Opportunity, StageChange
from openkam.pipeline.tests.builders import opportunity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
__all__ = ["api"]

PERSONAS = ("exec", "dir", "kam", "other_kam", "analyst", "viewer", "anonymous")
READ = {"other_kam": 404, "anonymous": 401}
READ_LIST = {"anonymous": 401}
WORK = {"other_kam": 404, "analyst": 403, "viewer": 403, "anonymous": 401}
WORK_BODY = {"other_kam": 422, "analyst": 403, "viewer": 403, "anonymous": 401}
NEW = {"title": "扶梯更新", "amount": "300000", "expected_close": "2026-09-30"}


def test_an_opportunity_goes_to_won_through_the_api(
    world: World, api: dict[str, ApiClient]
) -> None:
    kam = api["kam"]
    created = kam.post("/opportunities", {**NEW, "account_id": world.account.pk})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["stage"], body["probability"]) == ("needs_analysis", 10)
    assert Decimal(body["weighted"]) == Decimal("30000")
    url = f"/opportunities/{body['id']}"
    assert kam.patch(url, {"next_step": "方案评审"}).json()["next_step"] == "方案评审"
    for stage, weighted in (("solution_design", "75000"), ("quotation", "150000"),
                            ("negotiation", "225000")):  # fmt: skip
        moved = kam.post(f"{url}/stage", {"stage": stage})
        assert (moved.status_code, Decimal(moved.json()["weighted"])) == (200, Decimal(weighted))
    order = Order.objects.create(account=world.account, order_no="SO-1",
                                 order_date=dt.date(2026, 6, 1))  # fmt: skip
    won = kam.post(f"{url}/stage", {"stage": "won", "reason": "签约", "order_ids": [order.pk]})
    assert won.status_code == 200, won.json()
    assert (won.json()["stage"], won.json()["order_ids"]) == ("won", [order.pk])
    assert [c["to_stage"] for c in won.json()["stage_changes"]] == [
        "needs_analysis", "solution_design", "quotation", "negotiation", "won",
    ]  # fmt: skip


def test_refusals_name_the_field(world: World, api: dict[str, ApiClient]) -> None:
    kam = api["kam"]
    deal = opportunity(world.account)
    lost = kam.post(f"/opportunities/{deal.pk}/stage", {"stage": "lost"})
    assert lost.status_code == 422
    assert {error["field"] for error in lost.json()["errors"]} == {"reason"}
    bad = kam.post("/opportunities", {**NEW, "account_id": world.account.pk, "amount": "-1"})
    assert {error["field"] for error in bad.json()["errors"]} == {"amount"}
    assert kam.patch(f"/opportunities/{deal.pk}", {"stage": "won"}).status_code == 422
    assert Opportunity.objects.get().stage == "needs_analysis"


def test_filters_by_stage_owner_account_and_close_month(
    world: World, api: dict[str, ApiClient]
) -> None:
    opportunity(world.account, title="A", close=dt.date(2026, 7, 1))
    opportunity(world.account, title="B", stage="quotation", close=dt.date(2026, 8, 1))
    opportunity(world.account, title="C", owner=world.director, close=dt.date(2026, 8, 9))
    opportunity(world.other_account, title="O", close=dt.date(2026, 7, 2))
    client = api["exec"]

    def titles(**params: Any) -> list[str]:
        return [row["title"] for row in client.get("/opportunities", params).json()["items"]]

    assert titles() == ["A", "O", "B", "C"]
    assert titles(stage="quotation") == ["B"]
    assert titles(owner_id=world.director.pk) == ["C"]
    assert titles(account_id=world.other_account.pk) == ["O"]
    assert titles(close_month="2026-08") == ["B", "C"]
    assert client.get("/opportunities", {"close_month": "2026-13"}).status_code == 422


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    build: Callable[[World], tuple[str, dict[str, Any] | None]]
    refusals: dict[str, int]
    ok: int = 200


def _mine(world: World) -> Opportunity:
    return opportunity(world.account)


ROUTES = [
    Route("list", "get", lambda w: ("/opportunities", None), READ_LIST),
    Route(
        "create",
        "post",
        lambda w: ("/opportunities", {**NEW, "account_id": w.account.pk}),
        WORK_BODY,
        201,
    ),
    Route("read", "get", lambda w: (f"/opportunities/{_mine(w).pk}", None), READ),
    Route("edit", "patch", lambda w: (f"/opportunities/{_mine(w).pk}", {"title": "改"}), WORK),
    Route(
        "stage",
        "post",
        lambda w: (f"/opportunities/{_mine(w).pk}/stage", {"stage": "lost", "reason": "价格"}),
        WORK,
    ),
    Route("delete", "delete", lambda w: (f"/opportunities/{_mine(w).pk}", None), WORK, 204),
]


def stored() -> list[Any]:
    return [list(model.objects.order_by("pk").values()) for model in (Opportunity, StageChange)]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_each_persona_gets_what_its_role_allows(
    world: World, api: dict[str, ApiClient], route: Route, persona: str
) -> None:
    path, body = route.build(world)
    client = api.get(persona) or ApiClient(None)
    before = stored()
    if route.method in ("get", "delete"):
        response = getattr(client, route.method)(path)
    else:
        response = getattr(client, route.method)(path, body)
    expected = route.refusals.get(persona, route.ok)
    assert response.status_code == expected, response.content
    if expected >= 400:
        assert response.json()["code"]
        assert stored() == before
    if route.refusals is READ_LIST and persona == "other_kam":
        assert response.json()["count"] == 0
