"""The CDNOW sample re-encoded the ways Chinese ERPs write it gives the same BG/NBD fit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from openkam.analyze.tests.helpers import CALIBRATION_END, analyze_json, write_csv

CHINESE_HEADER = "客户编号,日期,数量,金额"
PUBLISHED = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}


def bgnbd_of(path: Path) -> dict[str, Any]:
    document = analyze_json(str(path), "--calibration-end", CALIBRATION_END)
    assert len(document["customers"]) == 2357
    return document


def assert_published_bgnbd(document: dict[str, Any]) -> None:
    params = document["models"]["bgnbd"]["params"]
    assert {name: round(value, 3) for name, value in params.items()} == PUBLISHED
    assert round(document["models"]["bgnbd"]["log_likelihood"], 1) == -9582.4


def test_gb18030_with_chinese_headers_gives_the_published_bgnbd(
    cdnow_lines: list[str], tmp_path: Path
) -> None:
    text = "\n".join([CHINESE_HEADER, *cdnow_lines[1:]]) + "\n"
    path = write_csv(tmp_path / "cdnow_gb18030.csv", text, "gb18030")
    document = bgnbd_of(path)
    assert_published_bgnbd(document)
    assert document["input"]["encoding"] == "gb18030"
    assert document["input"]["columns"]["customer"] == "客户编号"
    assert document["input"]["columns"]["quantity"] == "数量"


def test_utf8_with_bom_gives_the_published_bgnbd(cdnow_lines: list[str], tmp_path: Path) -> None:
    text = "\r\n".join(cdnow_lines) + "\r\n"
    path = write_csv(tmp_path / "cdnow_bom.csv", text, "utf-8-sig")
    document = bgnbd_of(path)
    assert_published_bgnbd(document)
    assert document["input"]["encoding"] == "utf_8_sig"
    assert document["input"]["columns"]["customer"] == "customer_id"


def test_xlsx_with_text_ids_and_excel_dates_gives_the_published_bgnbd(
    cdnow_lines: list[str], tmp_path: Path
) -> None:
    path = tmp_path / "cdnow.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("销售明细")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, CHINESE_HEADER.split(","))
    for i, line in enumerate(cdnow_lines[1:], start=1):
        customer, day, units, amount = line.split(",")
        sheet.write_string(i, 0, customer)
        sheet.write_datetime(i, 1, dt.datetime.fromisoformat(day), date_format)
        sheet.write_number(i, 2, int(units))
        sheet.write_number(i, 3, float(amount))
    book.close()
    document = bgnbd_of(path)
    assert_published_bgnbd(document)
    assert document["input"]["sheet"] == "销售明细"
    assert document["customers"][0]["customer_id"] == "00004"


@pytest.mark.parametrize(("delimiter", "name"), [("\t", "tab"), (";", "semicolon")])
def test_tab_and_semicolon_separated_files_are_sniffed(
    cdnow_lines: list[str], tmp_path: Path, delimiter: str, name: str
) -> None:
    lines = [line.replace(",", delimiter) for line in cdnow_lines[:200]]
    path = write_csv(tmp_path / f"{name}.txt", "\n".join(lines) + "\n")
    document = analyze_json(str(path))
    assert document["input"]["delimiter"] == delimiter
    assert document["input"]["rows_used"] == 199
