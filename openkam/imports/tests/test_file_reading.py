"""Files in UTF-8, UTF-8 with a BOM and GB18030, comma, tab or semicolon separated, and XLSX
(first or named sheet) read as the same rows, streamed."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter

from openkam.imports.reading import ReadError, open_table
from openkam.imports.tests.helpers import write_csv

HEADERS = ["客户名称", "金额", "下单日期"]
ROWS = [
    ["上海东方电梯有限公司", "1,234.50", "2024年3月5日"],
    ["成都西部电梯", "(12.00)", "2024/3/6"],
]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8", ","), ("utf-8-sig", ","), ("gb18030", ","), ("gbk", "\t"), ("utf-8", ";"),
     ("gb18030", ";"), ("utf-8-sig", "\t")],
)  # fmt: skip
def test_csv_encodings_and_delimiters_are_detected(
    tmp_path: Path, encoding: str, delimiter: str
) -> None:
    path = write_csv(tmp_path / "x.csv", HEADERS, ROWS, encoding=encoding, delimiter=delimiter)
    table = open_table(path)
    assert table.headers == HEADERS
    assert list(table.rows) == [(2, ROWS[0]), (3, ROWS[1])]
    assert table.delimiter == delimiter


def test_the_encoding_can_be_given(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", HEADERS, ROWS, encoding="gb18030")
    assert open_table(path, encoding="gb18030").headers == HEADERS


def test_a_wrong_encoding_is_reported_not_guessed_into_garbage(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "x.csv", HEADERS, ROWS, encoding="gb18030")
    with pytest.raises(ReadError):
        list(open_table(path, encoding="utf-8").rows)


def _workbook(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    first = book.add_worksheet("说明")
    first.write_row(0, 0, ["这是说明页"])
    sheet = book.add_worksheet("订单")
    sheet.write_row(0, 0, HEADERS)
    sheet.write_row(1, 0, ["上海东方电梯有限公司", 1234.5, "2024-03-05"])
    sheet.write_row(2, 0, ["成都西部电梯", -12, 45357])
    book.close()
    return path


def test_a_named_sheet_of_a_workbook_is_read_with_numbers_as_typed(tmp_path: Path) -> None:
    table = open_table(_workbook(tmp_path / "x.xlsx"), sheet="订单")
    assert table.headers == HEADERS
    assert list(table.rows) == [
        (2, ["上海东方电梯有限公司", "1234.5", "2024-03-05"]),
        (3, ["成都西部电梯", "-12", "45357"]),
    ]


def test_the_first_sheet_is_read_when_none_is_named(tmp_path: Path) -> None:
    assert open_table(_workbook(tmp_path / "x.xlsx")).headers == ["这是说明页"]


def test_an_unknown_sheet_names_the_sheets_there_are(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="说明, 订单"):
        open_table(_workbook(tmp_path / "x.xlsx"), sheet="Sheet9")


def test_an_empty_file_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_bytes(b"")
    with pytest.raises(ReadError):
        open_table(tmp_path / "e.csv")
