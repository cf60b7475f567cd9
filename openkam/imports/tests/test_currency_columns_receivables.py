"""Invoices and payments in another currency are stored in the company's (CNY), as order lines
are: from the amount in the company currency (本币金额 / 本位币金额) when the file gives it, else
from the exchange rate (汇率), half up to the cent; in CNY, or in another currency with neither,
as they are; a 本位币 that is not the company's rejected row by row. Numbers by hand. GB18030
CSV and XLSX, with a title and a totals row."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from openkam.imports.models import ImportRun
from openkam.imports.services import import_run
from openkam.imports.tests.erp_files import write_export
from openkam.imports.tests.helpers import Catalogue, read_csv
from openkam.ledger.models import Invoice, Payment

pytestmark = pytest.mark.django_db
D = Decimal
EAST = "上海东方电梯有限公司"
TITLE = [["销售发票列表"], ["日期：2024-03-01 至 2024-03-31"], []]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_invoices_in_another_currency_are_stored_in_cny(
    tmp_path: Path, catalogue: Catalogue, suffix: str
) -> None:
    header = ["发票号", "开票日期", "客户名称", "价税合计", "币别", "汇率", "本币价税合计"]
    rows = [
        # USD 1,130.00 at 7.1234 = 8,049.442 -> 8,049.44
        ["INV-1", "2024-03-05", EAST, "1130.00", "美元", "7.1234", ""],
        # EUR 113.00 with its CNY amount given: 882.53 (the rate of the file not needed)
        ["INV-2", "2024-03-06", EAST, "113.00", "EUR", "7.9", "882.53"],
        # HKD 10.00 at 0.915 = 9.15
        ["INV-3", "2024-03-07", EAST, "10.00", "HKD", "0.915", ""],
        ["INV-4", "2024-03-08", EAST, "500.00", "人民币", "1", "500.00"],  # CNY: as it is
        ["INV-5", "2024-03-09", EAST, "200.00", "USD", "", ""],  # neither: left in USD
    ]  # fmt: skip
    totals = ["合计", "", "", "1953.00", "", "", "1382.53"]
    path = write_export(tmp_path / f"inv{suffix}", header, rows, title=TITLE, totals=totals)
    run = import_run(kind="invoices", path=path, source="ERP")
    assert run.status == ImportRun.Status.DONE, run.message
    assert run.counts()["inserted"] == 5, run.notes
    found = {i.invoice_no: (i.amount, i.currency) for i in Invoice.objects.all()}
    assert found == {
        "INV-1": (D("8049.44"), "CNY"),
        "INV-2": (D("882.53"), "CNY"),
        "INV-3": (D("9.15"), "CNY"),
        "INV-4": (D("500.00"), "CNY"),
        "INV-5": (D("200.00"), "USD"),
    }
    assert "converted into CNY from another currency: EUR 1, HKD 1, USD 1" in run.notes

    again = import_run(kind="invoices", path=path, source="ERP")
    assert again.counts()["unchanged"] == 5


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_payments_in_another_currency_are_stored_in_cny(
    tmp_path: Path, catalogue: Catalogue, suffix: str
) -> None:
    header = [
        "收款单号",
        "收款日期",
        "客户名称",
        "收款金额",
        "币种",
        "汇率",
        "本位币金额",
        "本位币",
    ]
    rows = [
        # USD 333.33 at 7.2 = 2,399.976 -> 2,399.98
        ["RC-1", "2024-03-05", EAST, "333.33", "USD", "7.2", "", "CNY"],
        # JPY 100,000 with 本位币金额 4,712.30 given
        ["RC-2", "2024-03-06", EAST, "100000", "JPY", "", "4712.30", "人民币"],
        # A file whose company currency is HKD: its local amount cannot be used
        ["RC-3", "2024-03-07", EAST, "100.00", "USD", "7.8", "780.00", "HKD"],
    ]  # fmt: skip
    path = write_export(tmp_path / f"rc{suffix}", header, rows, title=TITLE,
                        totals=["合计", "", "", "100433.33", "", "", "5492.30", ""])  # fmt: skip
    run = import_run(kind="payments", path=path, source="ERP")
    found = {p.external_id: (p.amount, p.currency) for p in Payment.objects.all()}
    assert found == {"RC-1": (D("2399.98"), "CNY"), "RC-2": (D("4712.30"), "CNY")}
    assert [r[-3:] for r in read_csv(run.rejected_file)[1:]] == [
        ["7", "本位币", "the company currency is CNY"]  # rows 1-3 the title, 4 the header
    ]
