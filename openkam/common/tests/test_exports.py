"""The export module: CSV with a BOM and safe cells, XLSX with typed cells, dated names."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest
from django.http import Http404
from django.utils import timezone

from openkam.common.exports import (
    Column,
    Kind,
    attr,
    csv_cell,
    export_filename,
    export_response,
    write_xlsx,
)


@dataclass
class Item:
    name: str
    amount: Decimal | None
    day: dt.date | None
    active: bool


ROWS = [
    Item("上海三菱电梯有限公司", Decimal("1234567.89"), dt.date(2026, 3, 31), True),
    Item('=HYPERLINK("http://evil")', None, None, False),
]
COLUMNS: list[Column[Item]] = [
    Column("名称", attr("name")),
    Column("Amount", attr("amount"), Kind.MONEY),
    Column("Day", attr("day"), Kind.DATE),
    Column("Active", attr("active"), Kind.BOOLEAN),
]


def body(response: object) -> bytes:
    return b"".join(response.streaming_content)  # type: ignore[attr-defined]


def test_csv_starts_with_a_bom_and_reads_back_in_utf8() -> None:
    response = export_response("csv", ROWS, COLUMNS, stem="list", today=dt.date(2026, 4, 1))
    content = body(response)
    assert content.startswith("\ufeff".encode())
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [
        ["名称", "Amount", "Day", "Active"],
        ["上海三菱电梯有限公司", "1234567.89", "2026-03-31", "1"],
        ['\'=HYPERLINK("http://evil")', "", "", "0"],
    ]


def test_csv_filename_carries_the_date_and_survives_chinese() -> None:
    response = export_response("csv", ROWS, COLUMNS, stem="客户", today=dt.date(2026, 4, 1))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=utf-8''%E5%AE%A2%E6%88%B7-2026-04-01.csv" in disposition


def test_csv_cells_keep_numbers_exact_and_guard_only_text() -> None:
    assert csv_cell(Decimal("-12.50"), Kind.MONEY) == "-12.50"
    assert csv_cell("-12", Kind.TEXT) == "'-12"
    assert csv_cell("+86 21 5555", Kind.TEXT) == "'+86 21 5555"
    assert csv_cell("@sum", Kind.TEXT) == "'@sum"
    assert csv_cell(None, Kind.TEXT) == ""


def test_csv_datetimes_are_written_in_local_time(settings: object) -> None:
    moment = dt.datetime(2026, 1, 1, 0, 30, tzinfo=dt.UTC)
    assert csv_cell(moment, Kind.DATETIME) == "2026-01-01 08:30:00"  # Asia/Shanghai


def test_xlsx_has_headers_numbers_and_dates(tmp_path: object) -> None:
    buffer = io.BytesIO()
    count = write_xlsx(buffer, ROWS, COLUMNS, sheet_name="List")
    assert count == 2
    sheet = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    assert sheet.title == "List"
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == ["名称", "Amount", "Day", "Active"]
    assert values[1] == ["上海三菱电梯有限公司", 1234567.89, dt.datetime(2026, 3, 31), True]
    assert values[2] == ['=HYPERLINK("http://evil")', None, None, False]
    assert sheet.cell(row=2, column=2).number_format == "#,##0.00"
    assert sheet.cell(row=2, column=3).number_format == "yyyy-mm-dd"
    assert sheet.cell(row=3, column=1).data_type == "s"  # a string, never a formula
    assert sheet.freeze_panes == "A2"


def test_xlsx_response_is_a_dated_attachment() -> None:
    response = export_response("xlsx", ROWS, COLUMNS, stem="list", today=dt.date(2026, 4, 1))
    content = body(response)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="list-2026-04-01.xlsx"' in response["Content-Disposition"]
    assert openpyxl.load_workbook(io.BytesIO(content)).active.max_row == 3


def test_an_empty_list_gives_the_header_alone() -> None:
    content = body(export_response("csv", [], COLUMNS, stem="list"))
    assert content.decode("utf-8-sig").splitlines() == ["名称,Amount,Day,Active"]
    buffer = io.BytesIO()
    assert write_xlsx(buffer, [], COLUMNS, sheet_name="List") == 0
    assert openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active.max_row == 1


def test_an_unknown_format_is_not_found() -> None:
    with pytest.raises(Http404):
        export_response("pdf", ROWS, COLUMNS, stem="list")


def test_filename_defaults_to_today() -> None:
    assert export_filename("list", "csv") == f"list-{timezone.localdate():%Y-%m-%d}.csv"


def test_attr_follows_paths_through_missing_objects() -> None:
    @dataclass
    class Holder:
        item: Item | None

    assert attr("item.name")(Holder(ROWS[0])) == "上海三菱电梯有限公司"
    assert attr("item.name")(Holder(None)) is None
