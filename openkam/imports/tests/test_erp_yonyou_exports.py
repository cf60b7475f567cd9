"""用友 exports import as they come (GB18030 CSV and XLSX, a title and a date range above the
header, a totals row below): the U9 sales order of the issue with its prices including VAT,
stored net with the VAT beside; a red-letter line as a return; U8's lists. Numbers by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from openkam.imports.models import ImportRun
from openkam.imports.services import import_run
from openkam.imports.tests.erp_files import write_export
from openkam.imports.tests.helpers import Catalogue, read_csv
from openkam.ledger.models import AccountMonth, Invoice, OrderLine, Payment

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


SUFFIXES = [".csv", ".xlsx"]

U9_HEADER = ["单号", "日期", "客户", "客户名称", "业务员", "价格含税", "行号", "料品", "品名",
             "规格", "单价", "数量", "销售订单行.价税合计", "销售订单行.税组合",
             "交期"]  # fmt: skip
EAST = "上海东方电梯有限公司"
TITLE = [["销售订单列表"], ["日期：2024-03-01 至 2024-03-31"], []]


def u9_rows() -> list[list[object]]:
    return [
        # 10 × 11.30 with VAT = 113.00 -> 100.00 net + 13.00 VAT.
        ["SO-1", "2024-03-05", "C001", EAST, "张三", "是", 10, "M-100", "曳引机", "YJ-1",
         "11.30", 10, "113.00", "增值税13%", "2024-03-20"],
        # 1 × 2.125 = 2.13 (half up) -> 1.88 net + 0.25 VAT.
        ["SO-1", "2024-03-05", "C001", EAST, "张三", "是", 20, "D-200", "门机", "MJ-2",
         "2.125", 1, "", "增值税13%", "2024-03-20"],
        # A return (红字): -2 × 11.30 = -22.60 -> -20.00 net, -2.60 VAT.
        ["SO-2", "2024-03-18", "C001", EAST, "张三", "是", 10, "M-100", "曳引机", "YJ-1",
         "11.30", -2, "-22.60", "增值税13%", ""],
    ]  # fmt: skip


U9_TOTALS = ["合计", "", "", "", "", "", "", "", "", "", "", 9, "92.53", "", ""]


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_u9_sales_order_export_imports_as_it_comes_with_its_money_net_of_vat(
    tmp_path: Path, catalogue: Catalogue, suffix: str
) -> None:
    path = write_export(tmp_path / f"U9销售订单{suffix}", U9_HEADER, u9_rows(), title=TITLE,
                        totals=U9_TOTALS)  # fmt: skip
    run = import_run(kind="orders", path=path, source="U9")
    assert run.status == ImportRun.Status.DONE, run.message
    assert run.preset == "yonyou_u9_sales_order"
    assert run.counts() == {"read": 3, "inserted": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert run.notes[0].startswith("the header is row 4; rows above it skipped: 1 “销售订单列表”")
    assert "recognised as 用友 U9 销售订单" in run.notes
    assert "1 totals row skipped (row 8)" in run.notes
    lines = {
        (line.order.order_no, line.line_no): line
        for line in OrderLine.objects.select_related("order")
    }
    first, second, back = lines["SO-1", 10], lines["SO-1", 20], lines["SO-2", 10]
    assert (first.quantity, first.unit_price, first.amount) == (10, D("10"), D("100.00"))
    assert (first.tax_rate, first.tax_amount) == (D("0.13"), D("13.00"))
    assert first.promised_date == dt.date(2024, 3, 20)
    assert (second.amount, second.tax_amount, second.unit_price) == (D("1.88"), D("0.25"),
                                                                     D("1.88"))  # fmt: skip
    assert (back.quantity, back.amount, back.tax_amount) == (-2, D("-20.00"), D("-2.60"))
    assert back.unit_price == D("10")
    assert {line.account_id for line in lines.values()} == {catalogue.east.pk}
    # Revenue of March, net of VAT, the return deducted: 100.00 + 1.88 - 20.00.
    march = AccountMonth.objects.get(account=catalogue.east, month=dt.date(2024, 3, 1))
    assert march.revenue == D("81.88")


def test_the_same_u9_file_imported_again_changes_nothing(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = write_export(tmp_path / "U9.csv", U9_HEADER, u9_rows(), title=TITLE, totals=U9_TOTALS)
    import_run(kind="orders", path=path, source="U9")
    again = import_run(kind="orders", path=path, source="U9")
    assert again.counts()["unchanged"] == 3


def test_a_bad_rate_is_refused_by_row_column_and_reason_and_atomic_writes_nothing(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    rows = u9_rows()
    rows[1][13] = "增值税13%或9%"  # two rates: which one is a guess
    rows[2][5] = "也许"  # 价格含税 neither yes nor no
    path = write_export(tmp_path / "U9.csv", U9_HEADER, rows, title=TITLE, totals=U9_TOTALS)
    run = import_run(kind="orders", path=path, source="U9", atomic=True)
    assert run.status == ImportRun.Status.REFUSED
    assert OrderLine.objects.count() == 0
    assert AccountMonth.objects.count() == 0
    rejected = read_csv(run.rejected_file)
    assert rejected[1][-3:] == ["6", "销售订单行.税组合", "not a number"]
    assert rejected[2][-3:] == ["7", "价格含税", "unknown value; use one of: 含税, 不含税, 是, 否"]


U8_HEADER = ["订单号", "订单日期", "销售类型", "客户编码", "客户简称", "币种", "存货编码",
             "存货名称", "规格型号", "数量", "报价", "含税单价", "无税单价", "无税金额", "税额",
             "价税合计", "税率（%）", "预发货日期"]  # fmt: skip


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_u8_sales_order_list_keeps_the_erps_own_split_of_vat(
    tmp_path: Path, catalogue: Catalogue, suffix: str
) -> None:
    rows = [
        ["0000000001", "2024-04-02", "普通销售", "", "东方电梯", "人民币", "M-100", "曳引机", "",
         3, "1200", "1130", "1000", "3000.00", "390.00", "3390.00", 13, "2024-04-30"],
        ["0000000002", "2024-04-09", "普通销售", "", "东方电梯", "人民币", "D-200", "门机", "",
         -1, "106", "106", "100", "-100.00", "-6.00", "-106.00", 6, ""],
    ]  # fmt: skip
    totals = ["合计", "", "", "", "", "", "", "", "", 2, "", "", "", "2900.00", "384.00",
              "3284.00", "", ""]  # fmt: skip
    path = write_export(tmp_path / f"U8订单{suffix}", U8_HEADER, rows,
                        title=[["销售订单列表"]], totals=totals)  # fmt: skip
    run = import_run(kind="orders", path=path, source="U8")
    assert run.preset == "yonyou_u8_sales_order"
    assert run.rows_inserted == 2, run.message
    sale = OrderLine.objects.get(order__order_no="0000000001")
    assert (sale.unit_price, sale.amount, sale.tax_amount, sale.tax_rate) == (
        D("1000"),
        D("3000.00"),
        D("390.00"),
        D("0.13"),
    )
    refund = OrderLine.objects.get(order__order_no="0000000002")
    assert (refund.quantity, refund.amount, refund.tax_amount) == (-1, D("-100.00"), D("-6.00"))
    assert AccountMonth.objects.get(account=catalogue.east).revenue == D("2900.00")


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_u8_invoices_and_receipts_import_by_their_captions(
    tmp_path: Path, catalogue: Catalogue, suffix: str
) -> None:
    invoices = write_export(
        tmp_path / f"发票{suffix}",
        ["发票号", "发票类型", "开票日期", "客户编码", "客户简称", "销售类型", "币种", "无税金额",
         "税额", "价税合计"],
        [["FP-1", "专用发票", "2024-04-03", "", "东方电梯", "普通销售", "人民币", "3000.00",
          "390.00", "3390.00"]],
        title=[["销售发票列表"]], totals=["合计", "", "", "", "", "", "", "3000.00", "390.00",
                                         "3390.00"],
    )  # fmt: skip
    run = import_run(kind="invoices", path=invoices, source="U8")
    assert (run.preset, run.rows_inserted) == ("yonyou_u8_sales_invoice", 1), run.message
    assert Invoice.objects.get().amount == D("3390.00")  # what the customer owes
    receipts = write_export(
        tmp_path / f"收款{suffix}",
        ["单据编号", "单据日期", "客户", "部门", "结算方式", "币种", "汇率", "金额", "本币金额",
         "摘要"],
        [["SK-1", "2024-05-06", "东方电梯", "销售部", "电汇", "人民币", 1, "3390.00", "3390.00",
          "FP-1 货款"]],
        totals=["合计", "", "", "", "", "", "", "3390.00", "3390.00", ""],
    )  # fmt: skip
    run = import_run(kind="payments", path=receipts, source="U8")
    assert (run.preset, run.rows_inserted) == ("yonyou_u8_receipt", 1), run.message
    payment = Payment.objects.get()
    assert (payment.amount, payment.payment_date) == (D("3390.00"), dt.date(2024, 5, 6))
