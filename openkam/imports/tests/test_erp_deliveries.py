"""Delivery exports (用友 U8 销售出库单 / 发货单, 金蝶云星空 销售出库单, SAP LIKP/LIPS) import as
they come (GB18030 CSV and XLSX, a title above the header, a totals row below) and fill the
order lines' delivered quantity and date, and the promised date where given: a line delivered
twice sums its quantities and takes the last date; a row naming no known line is rejected with
its row, column and reason; the same file again changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from openkam.imports.models import ImportChange, ImportRun
from openkam.imports.services import import_run
from openkam.imports.tests.erp_files import write_export
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, read_csv, write_csv
from openkam.ledger.models import OrderLine

pytestmark = pytest.mark.django_db
D = Decimal
EAST = "上海东方电梯有限公司"
TITLE = [["销售出库单列表"], ["日期：2024-03-01 至 2024-03-31"], []]
SUFFIXES = [".csv", ".xlsx"]


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def orders(tmp_path: Path, catalogue: Catalogue) -> None:
    """SO-1: line 10 of 10 motors (promised 03-20), line 20 of 4 doors; SO-2: line 10, 1 motor."""
    rows = [
        order_row("SO-1", 10, "2024-03-05", EAST, "M-100", "10", "100", ""),
        order_row("SO-1", 20, "2024-03-05", EAST, "D-200", "4", "50", ""),
        order_row("SO-2", 10, "2024-03-06", EAST, "M-100", "1", "100", ""),
    ]
    path = write_csv(tmp_path / "orders.csv", [*ORDER_HEADERS, "承诺交期"],
                     [[*row, "2024-03-20"] for row in rows])  # fmt: skip
    run = import_run(kind="orders", path=path, source="ERP")
    assert run.rows_rejected == 0, run.message


def lines() -> dict[tuple[str, int], OrderLine]:
    return {(x.order.order_no, x.line_no): x for x in OrderLine.objects.select_related("order")}


def rejections(run: ImportRun) -> list[list[str]]:
    """(file row, column, reason) of each rejected row."""
    return [row[-3:] for row in read_csv(run.rejected_file)[1:]]


U8_OUT = ["出库单号", "出库日期", "仓库", "客户", "订单号", "订单行号", "发货单号", "存货编码",
          "存货名称", "规格型号", "数量"]  # fmt: skip


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_u8_sales_issue_list_fills_delivered_quantities_and_dates(
    tmp_path: Path, orders: None, suffix: str
) -> None:
    rows = [
        # SO-1/10 in two issues: 6 on 03-18, 4 on 03-22 -> 10, last on 03-22 (late).
        ["CK-1", "2024-03-18", "成品库", EAST, "SO-1", 10, "FH-1", "M-100", "曳引机", "YJ-1", 6],
        ["CK-2", "2024-03-22", "成品库", EAST, "SO-1", 10, "FH-2", "M-100", "曳引机", "YJ-1", 4],
        # SO-1/20: 4 doors on 03-19 (on time).
        ["CK-1", "2024-03-19", "成品库", EAST, "SO-1", 20, "FH-1", "D-200", "门机", "MJ-2", 4],
        # No such order, no such line, a line of another SKU: rejected.
        ["CK-3", "2024-03-19", "成品库", EAST, "SO-9", 10, "FH-3", "M-100", "曳引机", "YJ-1", 1],
        ["CK-3", "2024-03-19", "成品库", EAST, "SO-2", 30, "FH-3", "M-100", "曳引机", "YJ-1", 1],
        ["CK-3", "2024-03-19", "成品库", EAST, "SO-2", 10, "FH-3", "D-200", "门机", "MJ-2", 1],
    ]  # fmt: skip
    totals = ["合计", "", "", "", "", "", "", "", "", "", 17]
    path = write_export(tmp_path / f"出库{suffix}", U8_OUT, rows, title=TITLE, totals=totals)
    run = import_run(kind="deliveries", path=path, source="ERP")
    assert run.status == ImportRun.Status.DONE, run.message
    assert run.preset == "yonyou_u8_sales_out"
    assert "recognised as 用友 U8 销售出库单" in run.notes
    assert "1 totals row skipped (row 11)" in run.notes
    assert run.counts() == {"read": 6, "inserted": 0, "updated": 3, "unchanged": 0, "rejected": 3}
    assert rejections(run) == [
        ["8", "订单号", "no order with this number: import the orders first"],
        ["9", "订单行号", "order SO-2 has no such line"],
        ["10", "存货编码", "the order line is of another SKU (M-100)"],
    ]
    found = lines()
    motor, door, untouched = found["SO-1", 10], found["SO-1", 20], found["SO-2", 10]
    assert (motor.delivered_quantity, motor.delivered_date) == (D("10"), dt.date(2024, 3, 22))
    assert motor.is_on_time is False
    assert (door.delivered_quantity, door.delivered_date) == (D("4"), dt.date(2024, 3, 19))
    assert door.is_on_time is True
    assert (untouched.delivered_quantity, untouched.delivered_date) == (None, None)
    assert ImportChange.objects.filter(run=run).count() == 2

    again = import_run(kind="deliveries", path=path, source="ERP")
    assert again.counts()["unchanged"] == 3
    assert lines()["SO-1", 10].delivered_quantity == D("10")


def test_the_u8_delivery_note_list_sets_the_promised_date_too(tmp_path: Path, orders: None) -> None:
    header = ["发货单号", "发货日期", "预发货日期", "客户简称", "销售类型", "订单号", "订单行号",
              "存货编码", "存货名称", "仓库名称", "数量"]  # fmt: skip
    rows = [["FH-1", "2024-03-21", "2024-03-25", "东方电梯", "普通销售", "SO-2", 10, "M-100",
             "曳引机", "成品库", 1]]  # fmt: skip
    path = write_export(tmp_path / "发货单.csv", header, rows, title=TITLE,
                        totals=["合计", *[""] * 9, 1])  # fmt: skip
    run = import_run(kind="deliveries", path=path, source="ERP")
    assert run.preset == "yonyou_u8_delivery"
    line = lines()["SO-2", 10]
    assert (line.delivered_date, line.promised_date) == (dt.date(2024, 3, 21),
                                                         dt.date(2024, 3, 25))  # fmt: skip
    assert line.is_on_time is True


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_kingdee_cloud_sales_issue_finds_its_line_by_order_and_sku(
    tmp_path: Path, orders: None, suffix: str
) -> None:
    header = ["单据编号", "日期", "销售组织", "客户", "订单单号", "物料编码", "物料名称", "仓库",
              "实发数量"]  # fmt: skip
    rows = [
        ["XSCKD001", "2024-03-15", "总部", EAST, "SO-1", "D-200", "门机", "成品库", 3],
        # A return (red letter) of one door on 03-28: the sum is 2, the date stays 03-15.
        ["XSCKD002", "2024-03-28", "总部", EAST, "SO-1", "D-200", "门机", "成品库", -1],
        # SO-1 has no line of this SKU.
        ["XSCKD003", "2024-03-15", "总部", EAST, "SO-1", "X-1", "?", "成品库", 1],
    ]
    path = write_export(tmp_path / f"出库{suffix}", header, rows, title=TITLE,
                        totals=["合计", *[""] * 7, 3])  # fmt: skip
    run = import_run(kind="deliveries", path=path, source="ERP")
    assert run.preset == "kingdee_k3_cloud_sales_out"
    assert rejections(run) == [["7", "物料编码", "order SO-1 has no such line"]]
    door = lines()["SO-1", 20]
    assert (door.delivered_quantity, door.delivered_date) == (D("2"), dt.date(2024, 3, 15))


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_sap_delivery_items_name_their_sales_order_item(
    tmp_path: Path, orders: None, suffix: str
) -> None:
    header = ["VBELN", "POSNR", "VGBEL", "VGPOS", "MATNR", "ARKTX", "LFIMG", "LFDAT",
              "WADAT_IST", "VSTEL"]  # fmt: skip
    rows = [
        ["80000001", "000010", "SO-1", "000010", "M-100", "Motor", "10", "2024-03-19",
         "2024-03-19", "1000"],
        # The same delivery item twice (a repeated export row): counted once.
        ["80000001", "000010", "SO-1", "000010", "M-100", "Motor", "10", "2024-03-19",
         "2024-03-19", "1000"],
        # The same item with other figures: rejected, naming the earlier row.
        ["80000001", "000010", "SO-1", "000010", "M-100", "Motor", "9", "2024-03-19",
         "2024-03-19", "1000"],
    ]  # fmt: skip
    path = write_export(tmp_path / f"LIPS{suffix}", header, rows, title=[["Deliveries"], []],
                        totals=["Total", "", "", "", "", "", "29", "", "", ""])  # fmt: skip
    run = import_run(kind="deliveries", path=path, source="ERP")
    assert run.preset == "sap_delivery"
    assert run.counts() == {"read": 3, "inserted": 0, "updated": 1, "unchanged": 1, "rejected": 1}
    assert rejections(run) == [["6", "VBELN", "the same key is on row 4 with different values"]]
    motor = lines()["SO-1", 10]
    assert (motor.delivered_quantity, motor.delivered_date, motor.promised_date) == (
        D("10"), dt.date(2024, 3, 19), dt.date(2024, 3, 19))  # fmt: skip


def test_a_row_without_line_number_line_id_or_sku_is_rejected(tmp_path: Path, orders: None) -> None:
    path = write_csv(tmp_path / "d.csv", ["订单号", "发货日期", "数量"],
                     [["SO-1", "2024-03-19", "1"]])  # fmt: skip
    run = import_run(kind="deliveries", path=path, source="ERP")
    # The file has no line column: the rejection names the field by its label.
    assert rejections(run) == [["2", "order line", "a line number, a line ID or a SKU is required"]]
    assert not OrderLine.objects.filter(delivered_quantity__isnull=False).exists()


def test_an_atomic_import_with_a_rejected_row_writes_nothing(tmp_path: Path, orders: None) -> None:
    path = write_csv(tmp_path / "d.csv", ["订单号", "订单行号", "存货编码", "发货日期", "数量"],
                     [["SO-1", "10", "M-100", "2024-03-19", "10"],
                      ["SO-1", "99", "M-100", "2024-03-19", "1"]])  # fmt: skip
    run = import_run(kind="deliveries", path=path, source="ERP", atomic=True)
    assert run.status == ImportRun.Status.REFUSED
    assert not OrderLine.objects.filter(delivered_quantity__isnull=False).exists()
