"""/api/v1/contracts: the cycle (draft -> signed -> amended -> renewed), the filters, the
execution against the ledger, and every route tried by every persona (another team: 404, or
422 when the body names its account; readers: 403; no token: 401), nothing saved on refusal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from openkam.api.tests.conftest import ApiClient, api
from openkam.conftest import World
from openkam.contracts.models import Amendment, Contract, ContractItem
from openkam.contracts.tests.builders import bought, contract
from openkam.factories import ProductFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen")]
__all__ = ["api"]

PERSONAS = ("exec", "dir", "kam", "other_kam", "analyst", "viewer", "anonymous")
READ = {"other_kam": 404, "anonymous": 401}
READ_LIST = {"anonymous": 401}
WORK = {"other_kam": 404, "analyst": 403, "viewer": 403, "anonymous": 401}
WORK_BODY = {"other_kam": 422, "analyst": 403, "viewer": 403, "anonymous": 401}
NEW = {"account_id": 0, "kind": "annual_supply", "number": "HT-API-1", "title": "年度供货",
       "starts_on": "2026-01-01", "ends_on": "2026-12-31", "committed_value": "1200000",
       "items": [{"family": "曳引机", "quantity": "240", "unit_price": "5000"}]}  # fmt: skip


def test_the_contract_cycle_through_the_api(world: World, api: dict[str, ApiClient]) -> None:
    kam = api["kam"]
    created = kam.post("/contracts", {**NEW, "account_id": world.account.pk, "notice_days": 30})
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["notice_by"]) == ("draft", "2026-12-01")
    assert body["items"][0]["family"] == "曳引机"
    url = f"/contracts/{body['id']}"
    assert kam.patch(url, {"title": "2026年度供货"}).json()["title"] == "2026年度供货"
    assert kam.post(f"{url}/sign", {"signed_on": "2025-12-28"}).json()["status"] == "active"
    assert kam.patch(url, {"title": "改"}).status_code == 422  # signed: amend instead
    amended = kam.post(
        f"{url}/amendments",
        {"summary": "年量调整", "reason": "新项目", "approved_by_id": world.director.pk,
         "effective_on": "2026-06-01", "committed_value": "1500000"},
    )  # fmt: skip
    assert amended.status_code == 201, amended.json()
    assert amended.json()["changes"]["committed_value"] == ["1200000.00", "1500000.00"]
    assert kam.get(f"{url}/amendments").json()["count"] == 1
    renewed = kam.post(f"{url}/renew", {"number": "HT-API-2"})
    assert renewed.status_code == 201
    assert renewed.json()["starts_on"] == "2027-01-01"
    assert renewed.json()["renews_id"] == body["id"]


def test_refusals_name_the_field(world: World, api: dict[str, ApiClient]) -> None:
    kam = api["kam"]
    bad = kam.post("/contracts", {**NEW, "account_id": world.account.pk, "ends_on": "2025-01-01"})
    assert bad.status_code == 422
    assert {error["field"] for error in bad.json()["errors"]} == {"ends_on"}
    signed = contract(world.account)
    refused = kam.post(
        f"/contracts/{signed.pk}/amendments",
        {"summary": "改", "reason": "因", "approved_by_id": world.kam.pk,
         "effective_on": "2026-06-01", "title": "新"},
    )  # fmt: skip
    assert {error["field"] for error in refused.json()["errors"]} == {"approved_by_id"}
    assert not Amendment.objects.exists()


def test_filters_by_account_status_and_end(world: World, api: dict[str, ApiClient]) -> None:
    contract(world.account, number="HT-A", ends_on=dt.date(2026, 7, 31))
    contract(world.account, number="HT-B", ends_on=dt.date(2026, 12, 31))
    contract(world.account, number="HT-D", signed=False)
    contract(world.other_account, number="HT-O")
    kam = api["exec"]

    def numbers(**params: Any) -> list[str]:
        return [row["number"] for row in kam.get("/contracts", params).json()["items"]]

    assert numbers(account_id=world.account.pk) == ["HT-A", "HT-B", "HT-D"]
    assert numbers(status="expiring") == ["HT-A"]
    assert numbers(status="draft") == ["HT-D"]
    assert numbers(ending_before="2026-08-01") == ["HT-A"]


def test_execution_as_the_page_reads_it(world: World, api: dict[str, ApiClient]) -> None:
    product = ProductFactory.create(family="曳引机")
    deal = contract(
        world.account, committed_value=Decimal("1200000"),
        items=[{"family": "曳引机", "amount": Decimal("1200000"), "unit_price": Decimal("5000")}],
    )  # fmt: skip
    bought(world.account, product, on=dt.date(2026, 2, 1), amount="250000", quantity="50",
           promised_date=dt.date(2026, 2, 10), delivered_date=dt.date(2026, 2, 12),
           delivered_quantity=Decimal("50"))  # fmt: skip
    body = api["viewer"].get(f"/contracts/{deal.pk}/execution").json()
    assert body["deliveries"] == [
        {"month": "2026-02-01", "dated": 1, "on_time": 0, "counted": 1, "accurate": 1}
    ]
    assert body["period_start"] == "2026-01-01"
    assert body["total"]["due"] == "503333.33"  # 5 + 1/30 months of 12, on 2026-06-01
    assert body["total"]["gap"] == "-253333.33"
    assert body["items"][0]["price_paid"] == "5000.0000"


@dataclass(frozen=True)
class Route:
    name: str
    method: str
    build: Callable[[World], tuple[str, dict[str, Any] | None]]
    refusals: dict[str, int]
    ok: int = 200


def _signed(world: World) -> Contract:
    return contract(world.account)


def _draft(world: World) -> Contract:
    return contract(world.account, signed=False)


ROUTES = [
    Route("list", "get", lambda w: ("/contracts", None), READ_LIST),
    Route(
        "create",
        "post",
        lambda w: ("/contracts", {**NEW, "account_id": w.account.pk}),
        WORK_BODY,
        201,
    ),
    Route("read", "get", lambda w: (f"/contracts/{_signed(w).pk}", None), READ),
    Route("edit", "patch", lambda w: (f"/contracts/{_draft(w).pk}", {"title": "改"}), WORK),
    Route("delete", "delete", lambda w: (f"/contracts/{_draft(w).pk}", None), WORK, 204),
    Route("sign", "post", lambda w: (f"/contracts/{_draft(w).pk}/sign", {}), WORK),
    Route(
        "terminate",
        "post",
        lambda w: (
            f"/contracts/{_signed(w).pk}/terminate",
            {"terminated_on": "2026-06-01", "reason": "关停"},
        ),
        WORK,
    ),
    Route(
        "renew",
        "post",
        lambda w: (f"/contracts/{_signed(w).pk}/renew", {"number": "R-1"}),
        WORK,
        201,
    ),
    Route("execution", "get", lambda w: (f"/contracts/{_signed(w).pk}/execution", None), READ),
    Route("amendments", "get", lambda w: (f"/contracts/{_signed(w).pk}/amendments", None), READ),
    Route(
        "amend",
        "post",
        lambda w: (
            f"/contracts/{_signed(w).pk}/amendments",
            {
                "summary": "改",
                "reason": "因",
                "approved_by_id": w.executive.pk,
                "effective_on": "2026-06-01",
                "title": "新",
            },
        ),
        WORK,
        201,
    ),
]


def stored() -> list[Any]:
    return [
        list(model.objects.order_by("pk").values()) for model in (Contract, ContractItem, Amendment)
    ]


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
