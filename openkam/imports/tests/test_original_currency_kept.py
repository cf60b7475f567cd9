"""An invoice or a payment in another currency keeps its own currency (原币), amount and the
exchange rate used beside the amount stored in the company currency (CNY), and a file import and
the API's bulk upsert store the same (one rule, ``ledger.currency``). A bad rate names the row,
the field and the reason, and nothing is stored. Numbers by hand."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from openkam.api.tests.conftest import api_for
from openkam.conftest import World
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import read_csv, write_csv
from openkam.ledger.models import Invoice, Payment

pytestmark = pytest.mark.django_db
D = Decimal
CURRENCY = ("amount", "currency", "original_currency", "original_amount", "exchange_rate")

# invoice, date, amount with VAT, currency, rate, amount in CNY ("" = left out)
INVOICES = [
    # USD 1,130.00 at 7.1234 = 8,049.442 -> 8,049.44
    ("INV-1", "2026-03-05", "1130.00", "USD", "7.1234", ""),
    # EUR 113.00 with its CNY amount 882.53 given: the rate used 882.53 ÷ 113 = 7.81
    ("INV-2", "2026-03-06", "113.00", "EUR", "", "882.53"),
    ("INV-3", "2026-03-07", "500.00", "CNY", "", ""),  # the company currency: as it is
]
# payment, date, amount, currency, rate
PAYMENTS = [("PAY-1", "2026-04-01", "333.33", "USD", "7.2")]  # 2,399.976 -> 2,399.98


@pytest.fixture(autouse=True)
def in_english(english: None) -> Iterator[None]:
    """The import's messages and the API's (the request's language) in English."""
    with translation.override("en"):
        yield


def _given(**values: str) -> dict[str, str]:
    return {name: value for name, value in values.items() if value}


def _import(world: World, folder: Path) -> None:
    credit = world.account.credit_code
    path = write_csv(
        folder / "invoices.csv",
        ["发票号", "开票日期", "价税合计", "币别", "汇率", "本币价税合计", "统一社会信用代码"],
        [[*invoice, credit] for invoice in INVOICES],
    )
    run = import_run(kind="invoices", path=path, user=world.executive, source="erp")
    assert (run.rows_inserted, run.rows_rejected) == (3, 0), run.message
    path = write_csv(
        folder / "payments.csv",
        ["收款单号", "收款日期", "收款金额", "币种", "汇率", "统一社会信用代码"],
        [[*payment, credit] for payment in PAYMENTS],
    )
    run = import_run(kind="payments", path=path, user=world.executive, source="erp")
    assert (run.rows_inserted, run.rows_rejected) == (1, 0), run.message


def _post(world: World) -> None:
    client = api_for(world.executive)
    account = {"source": "erp", "account_id": world.account.pk}
    invoices = [
        {**account, "external_id": i, "invoice_no": i, "invoice_date": d, "amount": a,
         "currency": c, **_given(exchange_rate=r, local_amount=local)}
        for i, d, a, c, r, local in INVOICES
    ]  # fmt: skip
    payments = [
        {**account, "external_id": p, "payment_date": d, "amount": a, "currency": c,
         "exchange_rate": r}
        for p, d, a, c, r in PAYMENTS
    ]  # fmt: skip
    for path, items in (("invoices", invoices), ("payments", payments)):
        response = client.post(f"/{path}/bulk", {"items": items})
        assert response.status_code == 200, response.json()


def _stored() -> dict[str, tuple[Any, ...]]:
    rows = [*Invoice.objects.values("external_id", *CURRENCY),
            *Payment.objects.values("external_id", *CURRENCY)]  # fmt: skip
    return {row["external_id"]: tuple(row[name] for name in CURRENCY) for row in rows}


EXPECTED = {
    "INV-1": (D("8049.44"), "CNY", "USD", D("1130.00"), D("7.1234")),
    "INV-2": (D("882.53"), "CNY", "EUR", D("113.00"), D("7.81")),
    "INV-3": (D("500.00"), "CNY", "", None, None),
    "PAY-1": (D("2399.98"), "CNY", "USD", D("333.33"), D("7.2")),
}


def test_an_imported_usd_invoice_keeps_its_currency_amount_and_rate(
    world: World, tmp_path: Path
) -> None:
    _import(world, tmp_path)
    assert _stored() == EXPECTED
    usd = Invoice.objects.get(external_id="INV-1")
    assert str(usd.exchange_rate) == "7.123400"  # six places, as stored


def test_the_api_stores_what_the_import_stores(world: World, tmp_path: Path) -> None:
    _post(world)
    assert _stored() == EXPECTED
    listed = api_for(world.executive).get("/invoices").json()["results"]
    by_id = {row["external_id"]: row for row in listed}
    assert (by_id["INV-1"]["original_currency"], by_id["INV-1"]["exchange_rate"]) == (
        "USD",
        "7.123400",
    )


@pytest.mark.parametrize(
    ("rate", "reason"),
    [
        ("0", "must not be zero"),
        ("-7.1", "must not be negative"),
        ("七", "not a number"),
    ],
)
def test_a_bad_rate_in_a_file_names_the_row_the_column_and_the_reason(
    world: World, tmp_path: Path, rate: str, reason: str
) -> None:
    path = write_csv(
        tmp_path / "invoices.csv",
        ["发票号", "开票日期", "价税合计", "币别", "汇率", "统一社会信用代码"],
        [["INV-1", "2026-03-05", "1130.00", "USD", rate, world.account.credit_code]],
    )
    run = import_run(kind="invoices", path=path, user=world.executive, source="erp")
    assert (run.rows_inserted, run.rows_rejected) == (0, 1)
    row, column, why = read_csv(run.rejected_file)[1][-3:]
    assert (row, column) == ("2", "汇率")
    assert reason in why.lower()
    assert not Invoice.objects.exists()


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ("0", "The exchange rate must be above zero."),
        ("-7.1", "The exchange rate must be above zero."),
        ("7.1234567", "The exchange rate has at most 6 decimal places and 10 whole digits."),
    ],
)
def test_a_bad_rate_sent_to_the_api_names_the_item_and_field_and_stores_nothing(
    world: World, rate: str, message: str
) -> None:
    good = {"source": "erp", "external_id": "PAY-0", "account_id": world.account.pk,
            "payment_date": "2026-04-01", "amount": "10.00"}  # fmt: skip
    bad = {**good, "external_id": "PAY-1", "currency": "USD", "exchange_rate": rate}
    response = api_for(world.executive).post("/payments/bulk", {"items": [good, bad]})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["loc"], e["message"]) for e in errors] == [(["items", 1, "exchange_rate"], message)]
    assert not Payment.objects.exists()
