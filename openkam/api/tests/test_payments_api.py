"""/payments: bulk upsert by external ID, linked to their invoice by its external ID."""

from __future__ import annotations

from typing import Any

import pytest

from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World
from openkam.ledger.models import Invoice, Payment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def payment(world: World, n: int, **changes: Any) -> dict[str, Any]:
    item = {
        "source": "erp",
        "external_id": f"PAY-{n}",
        "account_id": world.account.pk,
        "payment_date": "2026-04-10",
        "amount": "5000.00",
        "invoice_external_id": "INV-1",
    }
    return item | changes


@pytest.fixture
def invoice(world: World) -> Invoice:
    return Invoice.objects.create(
        account=world.account,
        source="erp",
        external_id="INV-1",
        invoice_no="FP1",
        invoice_date="2026-03-20",
        due_date="2026-04-19",
        amount="11300",
    )


def test_payments_are_idempotent(world: World, api: dict[str, ApiClient], invoice: Invoice) -> None:
    items = [payment(world, 1), payment(world, 2, invoice_external_id=None, reference="预付款")]
    assert api["kam"].post("/payments/bulk", {"items": items}).json()["inserted"] == 2
    again = api["kam"].post("/payments/bulk", {"items": items}).json()
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert Payment.objects.get(external_id="PAY-1").invoice_id == invoice.pk
    assert Payment.objects.get(external_id="PAY-2").reference == "预付款"


def test_a_missing_field_names_the_item(world: World, api: dict[str, ApiClient]) -> None:
    item = payment(world, 1, invoice_external_id=None)
    del item["payment_date"]
    response = api["kam"].post("/payments/bulk", {"items": [payment(world, 2), item]})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "loc": ["items", 1, "payment_date"],
            "field": "payment_date",
            "index": 1,
            "message": "This field is required.",
        }
    ]
    assert not Payment.objects.exists()


def test_an_unknown_invoice_is_a_field_error(world: World, api: dict[str, ApiClient]) -> None:
    response = api["kam"].post("/payments/bulk", {"items": [payment(world, 1)]})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["items", 0, "invoice_external_id"]


def test_a_viewer_can_not_write_payments(
    world: World, api: dict[str, ApiClient], invoice: Invoice
) -> None:
    assert api["viewer"].post("/payments/bulk", {"items": [payment(world, 1)]}).status_code == 403
    assert (
        api["other_kam"].post("/payments/bulk", {"items": [payment(world, 1)]}).status_code == 422
    )
    assert not Payment.objects.exists()


def test_payments_list_and_delete(
    world: World, api: dict[str, ApiClient], invoice: Invoice
) -> None:
    api["kam"].post("/payments/bulk", {"items": [payment(world, 1)]})
    saved = Payment.objects.get()
    assert (
        api["kam"]
        .get("/payments", {"account_id": world.account.pk})
        .json()["results"][0]["invoice_id"]
        == invoice.pk
    )
    assert api["other_kam"].delete(f"/payments/{saved.pk}").status_code == 404
    assert api["kam"].delete(f"/payments/{saved.pk}").status_code == 204
    assert not Payment.objects.exists()
