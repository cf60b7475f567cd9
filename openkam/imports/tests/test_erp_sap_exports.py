"""SAP lists import as they come, with technical, English or German column names (GB18030 CSV
and XLSX, title above, totals below): sales orders with German dates and SAP's trailing minus,
billing documents (net value + tax = what the customer owes), receipts (a credit in SAP, a
positive payment here), customers and materials. Numbers by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from openkam.accounts.models import Account
from openkam.imports.models import AccountKey
from openkam.imports.services import import_run
from openkam.imports.tests.erp_files import write_export
from openkam.imports.tests.helpers import Catalogue
from openkam.ledger.models import Invoice, OrderLine, Payment, Product

pytestmark = pytest.mark.django_db
D = Decimal
SUFFIXES = [".csv", ".xlsx"]
EAST = "上海东方电梯有限公司"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def sap_customer(catalogue: Catalogue) -> Catalogue:
    AccountKey.objects.create(source="SAP", external_id="100001", account=catalogue.east)
    return catalogue


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_va05_list_with_german_names_imports_its_items(
    tmp_path: Path, sap_customer: Catalogue, suffix: str
) -> None:
    header = ["Verkaufsbeleg", "Position", "Verkaufsbelegart", "Verkaufsorganisation",
              "Belegdatum", "Auftraggeber", "Name 1", "Material", "Bezeichnung", "Auftragsmenge",
              "Nettopreis", "Nettowert", "Steuerbetrag", "Belegwährung",
              "Wunschlieferdatum"]  # fmt: skip
    rows = [
        ["1000012", "10", "TA", "1000", "05.03.2024", "100001", EAST, "M-100", "Traktionsmaschine",
         "4", "2500.00", "10000.00", "1300.00", "CNY", "29.03.2024"],
        ["1000013", "10", "RE", "1000", "12.03.2024", "100001", EAST, "D-200", "Türantrieb",
         "1-", "300.00", "300.00-", "39.00-", "CNY", ""],
    ]  # fmt: skip
    path = write_export(tmp_path / f"VA05{suffix}", header, rows,
                        title=[["Liste der Aufträge"], ["Datum 07.12.2026"]],
                        totals=["*", "", "", "", "", "", "", "", "", "3", "", "9700.00",
                                "1261.00", "CNY", ""])  # fmt: skip
    run = import_run(kind="orders", path=path, source="SAP")
    assert (run.preset, run.rows_inserted, run.rows_rejected) == ("sap_sales_order", 2, 0), (
        run.message
    )
    sale = OrderLine.objects.get(order__order_no="1000012")
    assert sale.order.order_date == dt.date(2024, 3, 5)
    assert (sale.amount, sale.tax_amount, sale.tax_rate) == (D("10000"), D("1300"), D("0.13"))
    assert sale.promised_date == dt.date(2024, 3, 29)
    credit = OrderLine.objects.get(order__order_no="1000013")
    assert (credit.quantity, credit.amount, credit.tax_amount) == (-1, D("-300"), D("-39"))
    assert sale.account_id == credit.account_id == sap_customer.east.pk


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_billing_documents_owe_net_value_plus_tax_and_receipts_are_positive(
    tmp_path: Path, sap_customer: Catalogue, suffix: str
) -> None:
    billing = write_export(
        tmp_path / f"VF05{suffix}",
        ["Billing Document", "Billing Type", "Sales Organization", "Billing Date", "Payer",
         "Sold-To Party", "Net Value", "Tax Amount", "Doc. Currency"],
        [["90000001", "F2", "1000", "2024-03-08", "100001", "100001", "10000.00", "1300.00",
          "CNY"]],
        title=[["List of Billing Documents"]], totals=["Total", "", "", "", "", "", "10000.00",
                                                       "1300.00", ""],
    )  # fmt: skip
    run = import_run(kind="invoices", path=billing, source="SAP")
    assert (run.preset, run.rows_inserted) == ("sap_billing", 1), run.message
    assert Invoice.objects.get().amount == D("11300.00")
    receipts = write_export(
        tmp_path / f"FBL5N{suffix}",
        ["BUKRS", "KUNNR", "BELNR", "BLART", "BUDAT", "DMBTR", "WAERS", "ZUONR", "AUGBL"],
        [["1000", "100001", "1400000001", "DZ", "20240405", "-11300.00", "CNY", "90000001",
          "1400000001"]],
        totals=["**", "", "", "", "", "-11300.00", "CNY", "", ""],
    )  # fmt: skip
    run = import_run(kind="payments", path=receipts, source="SAP")
    assert (run.preset, run.rows_inserted) == ("sap_receipt", 1), run.message
    payment = Payment.objects.get()
    assert (payment.amount, payment.payment_date) == (D("11300.00"), dt.date(2024, 4, 5))


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_customers_and_materials_by_their_technical_names(
    tmp_path: Path, db: None, suffix: str
) -> None:
    customers = write_export(
        tmp_path / f"KNA1{suffix}",
        ["KUNNR", "LAND1", "NAME1", "ORT01", "PSTLZ", "REGIO", "STRAS", "TELF1", "STCD1",
         "KTOKD"],
        [["200001", "CN", "广州南方电梯有限公司", "广州", "510000", "190", "天河路1号",
          "020-12345678", "DE123456789", "0001"]],
        title=[["Table KNA1"]],
    )  # fmt: skip
    run = import_run(kind="accounts", path=customers, source="SAP")
    assert (run.preset, run.rows_inserted, run.rows_rejected) == ("sap_customer", 1, 0), run.message
    account = Account.objects.get(legal_name="广州南方电梯有限公司")
    # STCD1 is not read as a credit code (a German VAT number here would refuse the row).
    assert (account.city, account.address, account.phone, account.credit_code) == (
        "广州",
        "天河路1号",
        "020-12345678",
        "",
    )
    materials = write_export(
        tmp_path / f"MARA{suffix}",
        ["MATNR", "MAKTX", "MTART", "MATKL", "MEINS", "WERKS", "STPRS"],
        [["000000000000100200", "Türantrieb TA-2", "FERT", "DOOR", "ST", "1000", "155.25"]],
    )  # fmt: skip
    run = import_run(kind="products", path=materials, source="SAP")
    assert (run.preset, run.rows_inserted) == ("sap_material", 1), run.message
    product = Product.objects.get(sku="000000000000100200")
    assert (product.name, product.family, product.standard_cost) == (
        "Türantrieb TA-2",
        "DOOR",
        D("155.25"),
    )
