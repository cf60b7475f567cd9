"""/orders/bulk derives what a line leaves out as a file import does (``ledger.lines``): the
amount or the unit price from the other, the unit cost from the cost, its external ID from its
order's; a line with neither a unit price nor an amount is refused, naming it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World
from openkam.factories import ProductFactory
from openkam.ledger.models import Order, OrderLine

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _order(world: World, *lines: dict[str, Any]) -> dict[str, Any]:
    return {
        "source": "erp",
        "external_id": "SO-9",
        "account_id": world.account.pk,
        "order_no": "SO-9",
        "order_date": "2026-03-15",
        "lines": [{"product_sku": "FAST-1", **line} for line in lines],
    }


def test_a_line_without_price_or_amount_is_refused_and_nothing_is_saved(
    world: World, api: dict[str, ApiClient]
) -> None:
    ProductFactory.create(sku="FAST-1")
    lines = ({"line_no": 1, "quantity": "2", "amount": "3.00"}, {"line_no": 2, "quantity": "2"})
    response = api["kam"].post("/orders/bulk", {"items": [_order(world, *lines)]})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [error["loc"] for error in errors] == [["items", 0, "lines", 1, "unit_price"]]
    assert not Order.objects.exists()


def test_left_out_values_are_derived_as_an_import_derives_them(
    world: World, api: dict[str, ApiClient]
) -> None:
    ProductFactory.create(sku="FAST-1", standard_cost=Decimal("0.0325"))
    lines = (
        {"line_no": 1, "quantity": "5", "amount": "0.63", "cost": "0.17"},
        {"line_no": 2, "quantity": "10", "unit_price": "0.0125", "external_id": "L-2"},
    )
    response = api["kam"].post("/orders/bulk", {"items": [_order(world, *lines)]})
    assert response.status_code == 200, response.json()
    saved = {
        line.line_no: (line.external_id, line.unit_price, line.amount, line.unit_cost, line.cost)
        for line in OrderLine.objects.all()
    }
    assert saved == {
        # 0.63 / 5, 0.17 / 5 (not the standard cost)
        1: ("SO-9/1", Decimal("0.126"), Decimal("0.63"), Decimal("0.034"), Decimal("0.17")),
        # 0.125 -> 0.13 and 0.325 -> 0.33: half up
        2: ("L-2", Decimal("0.0125"), Decimal("0.13"), Decimal("0.0325"), Decimal("0.33")),
    }
