"""/invoices: bulk upsert by external ID, linked to their order by the order's external ID."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World
from openkam.ledger.models import Invoice, Order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def invoice(world: World, n: int, **changes: Any) -> dict[str, Any]:
    item = {
        "source": "erp",
        "external_id": f"INV-{n}",
        "account_id": world.account.pk,
        "invoice_no": f"FP{n:06d}",
        "invoice_date": "2026-03-20",
        "due_date": "2026-04-19",
        "amount": "11300.00",
    }
    return item | changes


@pytest.fixture
def sales_order(world: World) -> Order:
    return Order.objects.create(
        account=world.account,
        source="erp",
        external_id="SO-1",
        order_no="SO-1",
        order_date="2026-03-15",
    )


def test_invoices_are_inserted_then_unchanged_then_updated(
    world: World, api: dict[str, ApiClient], sales_order: Order
) -> None:
    items = [invoice(world, 1, order_external_id="SO-1"), invoice(world, 2)]
    first = api["kam"].post("/invoices/bulk", {"items": items}).json()
    assert (first["inserted"], first["updated"], first["unchanged"]) == (2, 0, 0)
    again = api["kam"].post("/invoices/bulk", {"items": items}).json()
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 2)
    items[1] = invoice(world, 2, amount="11300.5")
    third = api["kam"].post("/invoices/bulk", {"items": items}).json()
    assert (third["inserted"], third["updated"], third["unchanged"]) == (0, 1, 1)
    assert Invoice.objects.get(external_id="INV-1").order_id == sales_order.pk
    assert Invoice.objects.get(external_id="INV-2").amount == Decimal("11300.50")


def test_an_unknown_order_and_bad_amounts_are_field_errors(
    world: World, api: dict[str, ApiClient], sales_order: Order
) -> None:
    items = [
        invoice(world, 1, order_external_id="SO-404"),
        invoice(world, 2, amount="12.345"),
        invoice(world, 3, amount="lots"),
    ]
    response = api["kam"].post("/invoices/bulk", {"items": items})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"loc": ["items", 2, "amount"], "field": "amount", "index": 2, "message": "Enter a number."}
    ]
    del items[2]
    errors = api["kam"].post("/invoices/bulk", {"items": items}).json()["errors"]
    assert {(e["index"], e["field"]) for e in errors} == {(0, "order_external_id"), (1, "amount")}
    assert not Invoice.objects.exists()


def test_an_order_of_another_account_is_refused(
    world: World, api: dict[str, ApiClient], sales_order: Order
) -> None:
    item = invoice(world, 1, account_id=world.unassigned_account.pk, order_external_id="SO-1")
    response = api["exec"].post("/invoices/bulk", {"items": [item]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "order_external_id"


def test_another_teams_kam_is_refused(world: World, api: dict[str, ApiClient]) -> None:
    response = api["other_kam"].post("/invoices/bulk", {"items": [invoice(world, 1)]})
    assert response.status_code == 422  # the account reads as unknown
    assert response.json()["errors"][0]["loc"] == ["items", 0, "account_id"]
    assert not Invoice.objects.exists()


def test_invoices_read_as_the_accounts_do(world: World, api: dict[str, ApiClient]) -> None:
    api["kam"].post("/invoices/bulk", {"items": [invoice(world, 1)]})
    saved = Invoice.objects.get()
    assert api["viewer"].get(f"/invoices/{saved.pk}").json()["amount"] == "11300.00"
    assert api["other_kam"].get(f"/invoices/{saved.pk}").status_code == 404
    assert api["other_kam"].get("/invoices").json()["results"] == []
    assert [row["id"] for row in api["analyst"].get("/invoices").json()["results"]] == [saved.pk]


def test_an_invoice_without_due_date_falls_due_after_the_accounts_payment_terms(
    world: World, api: dict[str, ApiClient]
) -> None:
    world.account.payment_terms_days = 45
    world.account.save(update_fields=["payment_terms_days"])
    items = [invoice(world, 1), invoice(world, 2)]
    del items[0]["due_date"]
    response = api["kam"].post("/invoices/bulk", {"items": items})
    assert response.status_code == 200, response.json()
    assert response.json()["inserted"] == 2
    due = dict(Invoice.objects.values_list("external_id", "due_date"))
    assert {k: v.isoformat() for k, v in due.items()} == {
        "INV-1": "2026-05-04",  # 2026-03-20 + 45 days
        "INV-2": "2026-04-19",  # as sent
    }
    again = api["kam"].post("/invoices/bulk", {"items": items}).json()
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 2)
