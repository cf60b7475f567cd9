"""/orders: bulk upsert by (source, external_id) with the order lines, idempotent, validated
item by item with errors naming the item and field, refused whole for another team's account;
reading with cursor pagination; the aggregates follow every write."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World
from openkam.factories import ProductFactory
from openkam.ledger.models import AccountMonth, Order, OrderLine

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def products(db: None) -> None:
    ProductFactory.create(sku="TM-100", standard_cost=Decimal("60"))
    ProductFactory.create(sku="DR-200", standard_cost=Decimal("10"))


def order(world: World, n: int, **changes: Any) -> dict[str, Any]:
    item = {
        "source": "erp",
        "external_id": f"SO-{n}",
        "account_id": world.account.pk,
        "order_no": f"SO2026-{n:04d}",
        "order_date": "2026-03-15",
        "lines": [
            {"line_no": 1, "product_sku": "TM-100", "quantity": "2", "unit_price": "100.00"},
            {
                "line_no": 2,
                "product_sku": "DR-200",
                "quantity": "5",
                "unit_price": "20.00",
                "unit_cost": "12.50",
                "amount": "95.00",
            },
        ],
    }
    return item | changes


def test_orders_are_inserted_with_their_lines(
    world: World, api: dict[str, ApiClient], products: None
) -> None:
    response = api["kam"].post("/orders/bulk", {"items": [order(world, 1), order(world, 2)]})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["inserted"], body["updated"], body["unchanged"]) == (2, 0, 0)
    assert [item["result"] for item in body["items"]] == ["inserted", "inserted"]
    saved = Order.objects.get(source="erp", external_id="SO-1")
    assert body["items"][0]["id"] == saved.pk
    lines = {line.line_no: line for line in saved.lines.all()}
    assert lines[1].amount == Decimal("200.00")  # quantity × unit price
    assert lines[1].cost == Decimal("120.00")  # × the product's standard cost
    assert (lines[2].amount, lines[2].cost) == (Decimal("95.00"), Decimal("62.50"))
    assert lines[1].account_id == world.account.pk


def test_sending_the_same_payload_twice_changes_nothing(
    world: World, api: dict[str, ApiClient], products: None
) -> None:
    payload = {"items": [order(world, 1), order(world, 2)]}
    api["kam"].post("/orders/bulk", payload)
    before = list(OrderLine.objects.order_by("pk").values())
    body = api["kam"].post("/orders/bulk", payload).json()
    assert (body["inserted"], body["updated"], body["unchanged"]) == (0, 0, 2)
    assert list(OrderLine.objects.order_by("pk").values()) == before


def test_a_changed_order_is_updated_and_its_lines_follow(
    world: World, api: dict[str, ApiClient], products: None
) -> None:
    api["kam"].post("/orders/bulk", {"items": [order(world, 1), order(world, 2)]})
    changed = order(world, 1, status="cancelled")
    changed["lines"] = [
        {"line_no": 1, "product_sku": "TM-100", "quantity": "3", "unit_price": "100.00"}
    ]
    body = api["kam"].post("/orders/bulk", {"items": [changed, order(world, 2)]}).json()
    assert (body["inserted"], body["updated"], body["unchanged"]) == (0, 1, 1)
    saved = Order.objects.get(external_id="SO-1")
    assert saved.status == "cancelled"
    assert [(line.line_no, line.quantity) for line in saved.lines.all()] == [(1, Decimal("3"))]


def test_the_aggregates_follow_the_orders(
    world: World, api: dict[str, ApiClient], products: None
) -> None:
    api["kam"].post("/orders/bulk", {"items": [order(world, 1)]})
    month = AccountMonth.objects.get(account=world.account, month=dt.date(2026, 3, 1))
    assert month.revenue == Decimal("295.00")
    cancelled = order(world, 1, status="cancelled")
    api["kam"].post("/orders/bulk", {"items": [cancelled]})
    assert not AccountMonth.objects.filter(account=world.account).exists()


def test_errors_name_the_item_and_the_field_and_nothing_is_saved(
    world: World, api: dict[str, ApiClient], products: None
) -> None:
    bad_line = order(world, 3)
    bad_line["lines"][1]["product_sku"] = "NOPE"
    items = [
        order(world, 1),
        order(world, 2, order_date="15/03/2026"),
        bad_line,
        order(world, 4, account_id=999999),
        order(world, 5, currency="yuan"),
    ]
    response = api["kam"].post("/orders/bulk", {"items": items})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {key: errors[0][key] for key in ("loc", "field", "index")} == {
        "loc": ["items", 1, "order_date"],
        "field": "order_date",
        "index": 1,
    }
    assert errors[0]["message"] == "Enter a valid date (YYYY-MM-DD)."
    assert not Order.objects.exists()
    items[1] = order(world, 2)
    errors = api["kam"].post("/orders/bulk", {"items": items}).json()["errors"]
    assert {(e["index"], tuple(e["loc"][2:])) for e in errors} == {
        (2, ("lines", 1, "product_sku")),
        (3, ("account_id",)),
        (4, ("currency",)),
    }
    assert not Order.objects.exists()
    assert not OrderLine.objects.exists()


def test_a_repeated_external_id_in_one_request_is_an_error(
    world: World, api: dict[str, ApiClient], products: None
) -> None:
    response = api["kam"].post("/orders/bulk", {"items": [order(world, 1), order(world, 1)]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["items", 1, "external_id"]
    assert not Order.objects.exists()


def test_the_account_can_be_named_by_credit_code(
    world: World, api: dict[str, ApiClient], products: None
) -> None:
    item = order(world, 1, account_credit_code=world.account.credit_code)
    del item["account_id"]
    assert api["kam"].post("/orders/bulk", {"items": [item]}).status_code == 200
    assert Order.objects.get().account_id == world.account.pk
    unknown = order(world, 2, account_credit_code="91310000000000000X")
    del unknown["account_id"]
    response = api["kam"].post("/orders/bulk", {"items": [unknown]})
    assert response.json()["errors"][0]["field"] == "account_credit_code"


def test_another_teams_kam_is_refused_and_nothing_is_saved(
    world: World, api: dict[str, ApiClient], products: None
) -> None:
    items = [order(world, 1, account_id=world.other_account.pk), order(world, 2)]
    response = api["kam"].post("/orders/bulk", {"items": items})
    assert response.status_code == 422  # another team's account reads as an unknown one
    assert response.json()["errors"][0]["loc"] == ["items", 0, "account_id"]
    assert response.json()["errors"][0]["message"] == "No account with this ID."
    assert not Order.objects.exists()


def test_a_row_can_not_be_taken_from_another_teams_account(
    world: World, api: dict[str, ApiClient], products: None
) -> None:
    api["other_kam"].post(
        "/orders/bulk", {"items": [order(world, 1, account_id=world.other_account.pk)]}
    )
    response = api["kam"].post("/orders/bulk", {"items": [order(world, 1)]})
    assert response.status_code == 422  # the key is taken; whose account is not said
    assert response.json()["errors"][0]["loc"] == ["items", 0, "external_id"]
    assert Order.objects.get().account_id == world.other_account.pk


@pytest.mark.parametrize("persona", ["viewer", "analyst"])
def test_read_only_roles_can_not_write_orders(
    world: World, api: dict[str, ApiClient], products: None, persona: str
) -> None:
    response = api[persona].post("/orders/bulk", {"items": [order(world, 1)]})
    assert response.status_code == 403
    assert not Order.objects.exists()


def test_too_many_items_are_refused(world: World, api: dict[str, ApiClient]) -> None:
    item = order(world, 1)
    response = api["exec"].post("/orders/bulk", {"items": [copy.deepcopy(item)] * 1001})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["items"]


def test_reading_orders_with_their_lines(
    world: World, api: dict[str, ApiClient], products: None
) -> None:
    api["kam"].post("/orders/bulk", {"items": [order(world, 1)]})
    saved = Order.objects.get()
    body = api["viewer"].get(f"/orders/{saved.pk}").json()
    assert body["external_id"] == "SO-1"
    assert [(line["line_no"], line["product_sku"], line["amount"]) for line in body["lines"]] == [
        (1, "TM-100", "200.00"),
        (2, "DR-200", "95.00"),
    ]
    assert api["other_kam"].get(f"/orders/{saved.pk}").status_code == 404


def test_the_order_list_pages_by_cursor(
    world: World, api: dict[str, ApiClient], products: None
) -> None:
    api["kam"].post("/orders/bulk", {"items": [order(world, n) for n in range(1, 8)]})
    api["other_kam"].post(
        "/orders/bulk", {"items": [order(world, 99, account_id=world.other_account.pk)]}
    )
    seen: list[str] = []
    page = api["viewer"].get("/orders", {"page_size": 3}).json()
    while True:
        seen += [item["external_id"] for item in page["results"]]
        if not page["next"]:
            break
        page = api["viewer"].client.get(page["next"], headers=api["viewer"].headers).json()
    assert seen == [f"SO-{n}" for n in range(1, 8)]
    assert [
        i["external_id"] for i in api["exec"].get("/orders", {"source": "erp"}).json()["results"]
    ][-1] == "SO-99"


def test_the_order_list_filters_by_date(
    world: World, api: dict[str, ApiClient], products: None
) -> None:
    api["kam"].post(
        "/orders/bulk",
        {"items": [order(world, 1), order(world, 2, order_date="2026-05-01")]},
    )
    results = api["kam"].get("/orders", {"since": "2026-04-01"}).json()["results"]
    assert [item["external_id"] for item in results] == ["SO-2"]


def test_deleting_an_order_updates_the_aggregates(
    world: World, api: dict[str, ApiClient], products: None
) -> None:
    api["kam"].post("/orders/bulk", {"items": [order(world, 1)]})
    saved = Order.objects.get()
    assert api["other_kam"].delete(f"/orders/{saved.pk}").status_code == 404
    assert api["viewer"].delete(f"/orders/{saved.pk}").status_code == 403
    assert Order.objects.exists()
    assert api["kam"].delete(f"/orders/{saved.pk}").status_code == 204
    assert not Order.objects.exists()
    assert not AccountMonth.objects.filter(account=world.account).exists()


def test_a_blank_external_id_is_refused(world: World, api: dict[str, ApiClient]) -> None:
    response = api["kam"].post("/orders/bulk", {"items": [order(world, 1, external_id="  ")]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["items", 0, "external_id"]
    assert not Order.objects.exists()
