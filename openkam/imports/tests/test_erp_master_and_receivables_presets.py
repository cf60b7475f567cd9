"""The customer, material, sales invoice and receipt exports of 用友 U9 / NC / YonSuite and 金蝶
K/3 WISE / 精斗云 import as they come (GB18030 CSV and XLSX, a title and a date range above the
header, a totals row below): recognised as their preset, the rows stored with the file's values.

Each file is the preset's header in the ERP's captions (plus two columns no preset reads) and
one row; the numbers are the row's own (an invoice of 100.00 + 13.00 VAT = 113.00)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from openkam.accounts.models import Account
from openkam.factories import credit_code_for
from openkam.imports.models import ImportRun
from openkam.imports.presets import PRESETS
from openkam.imports.services import import_run
from openkam.imports.tests.erp_files import write_export
from openkam.imports.tests.helpers import Catalogue
from openkam.ledger.models import Invoice, Payment, Product

pytestmark = pytest.mark.django_db
D = Decimal
EAST = "上海东方电梯有限公司"
NEW_CUSTOMER = "广州南方扶梯有限公司"
TITLE = [["导出数据"], ["日期：2024-03-01 至 2024-03-31"], []]
ERPS = ("yonyou_u9", "yonyou_nc", "yonsuite", "kingdee_k3_wise", "kingdee_jingdouyun")
KEYS = sorted(
    key
    for key, preset in PRESETS.items()
    if key.startswith(ERPS) and preset.kind in {"accounts", "products", "invoices", "payments"}
)

# The cell each field gets, by kind (a customer in the catalogue for the ledger kinds).
VALUES: dict[str, dict[str, object]] = {
    "accounts": {
        "customer_code": "C900", "legal_name": NEW_CUSTOMER, "short_name": "南方扶梯",
        "credit_code": credit_code_for(900_003), "address": "广州市天河区中山大道 1 号",
        "phone": "020-12345678", "currency": "人民币", "credit_limit": "500000",
    },
    "products": {
        "sku": "P-900", "name": "扶梯链条", "family": "扶梯配件", "unit": "条",
        "standard_cost": "88.5", "list_price": "120",
    },
    "invoices": {
        "invoice_no": "FP-0001", "invoice_date": "2024-03-08", "due_date": "2024-04-07",
        "customer_code": "", "customer_name": EAST, "amount": "113.00", "net_amount": "100.00",
        "tax_amount": "13.00", "currency": "人民币", "order_no": "",
    },
    "payments": {
        "payment_no": "SK-0001", "payment_date": "2024-03-20", "customer_code": "",
        "customer_name": EAST, "amount": "113.00", "currency": "人民币", "reference": "货款",
    },
}  # fmt: skip
TOTALS = {"accounts": "", "products": "", "invoices": "113.00", "payments": "113.00"}


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def export(path: Path, key: str) -> Path:
    preset = PRESETS[key]
    values = VALUES[preset.kind]
    fields = list(preset.columns)
    header = [preset.columns[f][0] for f in fields]
    header += [words[0] for words in preset.known.values()] + ["制单人", "审核人"]
    row = [values[f] for f in fields] + ["—"] * (len(header) - len(fields))
    total = TOTALS[preset.kind]
    totals = ["合计"] + [total if f == "amount" else "" for f in fields[1:]]
    totals += [""] * (len(header) - len(totals))
    return write_export(path, header, [row], title=TITLE, totals=totals)


@pytest.mark.parametrize("erp", ERPS)
def test_every_erp_has_its_customer_material_invoice_and_receipt_preset(erp: str) -> None:
    kinds = sorted(PRESETS[key].kind for key in KEYS if key.startswith(f"{erp}_"))
    assert kinds == ["accounts", "invoices", "payments", "products"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
@pytest.mark.parametrize("key", KEYS)
def test_the_export_imports_as_it_comes(
    tmp_path: Path, catalogue: Catalogue, key: str, suffix: str
) -> None:
    preset = PRESETS[key]
    run = import_run(kind=preset.kind, path=export(tmp_path / f"{key}{suffix}", key), source="ERP")
    assert run.status == ImportRun.Status.DONE, run.message
    assert run.preset == key
    assert f"recognised as {preset.name}" in run.notes
    assert run.counts()["rejected"] == 0
    assert run.counts()["inserted"] == 1
    assert any(note.startswith("1 totals row skipped") for note in run.notes), run.notes
    mapped = set(preset.columns)
    if preset.kind == "accounts":
        account = Account.objects.get(legal_name=NEW_CUSTOMER)
        if "credit_code" in mapped:
            assert account.credit_code == credit_code_for(900_003)
        if "phone" in mapped:
            assert account.phone == "020-12345678"
    elif preset.kind == "products":
        product = Product.objects.get(sku="P-900")
        assert product.name == "扶梯链条"
        if "standard_cost" in mapped:
            assert product.standard_cost == D("88.5")
    elif preset.kind == "invoices":
        invoice = Invoice.objects.get(invoice_no="FP-0001")
        assert (invoice.account_id, invoice.amount) == (catalogue.east.pk, D("113.00"))
    else:
        payment = Payment.objects.get(external_id="SK-0001")
        assert (payment.account_id, payment.amount) == (catalogue.east.pk, D("113.00"))
