"""Dates, amounts and ids as ERPs write them: parsed, or rejected with row, column and reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from openkam.analyze import reading
from openkam.analyze.tests.helpers import analyze_json, write_csv

MESSY = """客户编号,日期,金额,成本
00001,2024年3月5日,"¥1,234.50",800
00001,2024/3/5,"（1,234.00）",
00002,2024.3.5,"(1,234.00)",10
00002,２０２４-０３-０６,１２３４．５,5
00003,20240307,,1
00003,bad date,12,1
00004,2024-02-30,12,1
,2024-03-08,12,1
00005,2024-03-09 10:11:12,RMB 99,abc
00005,2024-03-10,CNY 1 000,1
00006,2024-03-11,$12.5,1

00006,2024-03-12,"12,34",1
"""


@pytest.fixture
def messy(tmp_path: Path) -> reading.Transactions:
    return reading.read_transactions(write_csv(tmp_path / "messy.csv", MESSY))


def test_the_common_date_forms_are_parsed(messy: reading.Transactions) -> None:
    dates = dict(zip(messy.frame["row"], messy.frame["date"], strict=True))
    assert dates[2] == dates[3] == dates[4] == dt.date(2024, 3, 5)
    assert dates[5] == dt.date(2024, 3, 6)
    assert dates[11] == dt.date(2024, 3, 10)


def test_amounts_with_signs_separators_and_full_width_digits_are_parsed(
    messy: reading.Transactions,
) -> None:
    amounts = dict(zip(messy.frame["row"], messy.frame["amount"], strict=True))
    assert amounts[2] == 1234.50
    assert amounts[3] == -1234.00  # full-width accounting negative
    assert amounts[4] == -1234.00
    assert amounts[5] == 1234.5
    assert amounts[11] == 1000.0
    assert amounts[12] == 12.5


def test_a_blank_cost_is_not_a_rejection(messy: reading.Transactions) -> None:
    costs = dict(zip(messy.frame["row"], messy.frame["cost"], strict=True))
    assert costs[3] is None


def test_rejected_rows_name_their_row_column_value_and_reason(
    messy: reading.Transactions,
) -> None:
    rejected = {
        (r["row"], r["column"]): (r["value"], r["reason"]) for r in messy.rejected.to_dicts()
    }
    assert rejected == {
        (6, "金额"): ("", reading.MISSING),
        (7, "日期"): ("bad date", reading.UNRECOGNISED_DATE),
        (8, "日期"): ("2024-02-30", reading.INVALID_DATE),
        (9, "客户编号"): ("", reading.MISSING),
        (10, "成本"): ("abc", reading.NOT_A_NUMBER),
        (14, "金额"): ("12,34", reading.NOT_A_NUMBER),
    }


def test_counts_add_up(messy: reading.Transactions) -> None:
    assert messy.blank_rows == 1
    assert messy.rows_read == 12
    assert messy.rows_rejected == 6
    assert messy.rows_used == 6
    assert messy.rows_read == messy.rows_used + messy.rows_rejected


def test_customer_ids_keep_their_leading_zeros(messy: reading.Transactions) -> None:
    assert messy.frame["customer"].dtype == pl.String
    assert "00001" in messy.frame["customer"].to_list()


def test_the_command_reports_every_rejection_in_json(tmp_path: Path) -> None:
    document = analyze_json(str(write_csv(tmp_path / "messy.csv", MESSY)), "--language", "en")
    rejected = document["rejected"]
    assert len(rejected) == 6
    assert rejected[1] == {
        "row": 7,
        "column": "日期",
        "value": "bad date",
        "reason": "unrecognised_date",
        "message": "not a date (use 2024-03-05, 2024/3/5, 2024.3.5, 2024年3月5日 or 20240305)",
    }
    source = document["input"]
    assert source["rows_read"] == source["rows_used"] + source["rows_rejected"]


def test_excel_serial_day_numbers_in_a_spreadsheet_are_dates(tmp_path: Path) -> None:
    path = tmp_path / "serials.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Customer", "Order Date", "Sales"])
    sheet.write_row(1, 0, ["A-1", 45356, 10.0])  # 45356 = 2024-03-05
    sheet.write_row(2, 0, ["A-1", "2024/3/9", "¥20"])
    sheet.write_row(3, 0, ["A-2", 45356.75, 5])
    book.close()
    data = reading.read_transactions(path)
    march = [dt.date(2024, 3, day) for day in (5, 9, 5)]
    assert data.frame["date"].to_list() == march
    assert data.frame["amount"].to_list() == [10.0, 20.0, 5.0]
    assert data.source.columns == {"customer": "Customer", "date": "Order Date", "amount": "Sales"}


def test_plain_numbers_in_a_csv_date_column_are_not_taken_for_excel_serials(
    tmp_path: Path,
) -> None:
    path = write_csv(tmp_path / "serials.csv", "customer,date,amount\nA,45356,1\n")
    data = reading.read_transactions(path)
    assert data.rejected["reason"].to_list() == [reading.UNRECOGNISED_DATE]
