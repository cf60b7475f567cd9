"""Columns are found by their Chinese or English headers or named by option; what cannot be read
stops the command with a clear CommandError (a non-zero exit)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError

from openkam.analyze import reading
from openkam.analyze.tests.helpers import analyze, analyze_json, write_csv

ROWS = "A,2024-01-05,100\nA,2024-02-05,200\nB,2024-01-09,50\n"


@pytest.mark.parametrize(
    "header",
    [
        "客户名称,订单日期,价税合计",
        "Customer ID,Order Date,Revenue",
        "  CUSTOMER_ID , order_date ,  Sales ",
        "client,transaction date,value",
        "客户ID,开票日期,不含税金额",
    ],
)
def test_recognised_headers_are_mapped_in_either_language(header: str, tmp_path: Path) -> None:
    data = reading.read_transactions(write_csv(tmp_path / "t.csv", f"{header}\n{ROWS}"))
    assert data.rows_used == 3
    assert set(data.source.columns) == {"customer", "date", "amount"}


def test_a_customer_code_wins_over_a_customer_name(tmp_path: Path) -> None:
    text = "客户名称,客户编码,日期,金额\n某公司,007,2024-01-05,1\n"
    data = reading.read_transactions(write_csv(tmp_path / "t.csv", text))
    assert data.source.columns["customer"] == "客户编码"
    assert data.source.alternatives == {"customer": ["客户名称"]}
    assert data.frame["customer"].to_list() == ["007"]


def test_columns_named_by_option_win(tmp_path: Path) -> None:
    text = "buyer,when,net,gross\nA,2024-01-05,90,100\nA,2024-02-05,180,200\n"
    path = write_csv(tmp_path / "t.csv", text)
    options = reading.ReadOptions(columns={"customer": "Buyer", "date": "when", "amount": "net"})
    data = reading.read_transactions(path, options)
    assert data.frame["amount"].to_list() == [90.0, 180.0]


def test_title_rows_above_the_header_are_skipped(tmp_path: Path) -> None:
    text = "销售明细表\n期间：2024年1月-2月\n客户,日期,金额\n" + ROWS
    data = reading.read_transactions(write_csv(tmp_path / "t.csv", text))
    assert data.source.header_row == 3
    assert data.frame["row"].to_list() == [4, 5, 6]


def test_missing_columns_name_what_was_looked_for(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", "name,day,total\nA,2024-01-05,1\n")
    with pytest.raises(CommandError) as caught:
        analyze(str(path), "--json", "--language", "en")
    message = str(caught.value)
    assert "customer, date, amount" in message
    for looked_for in ("客户编号", "customer_id", "下单日期", "order date", "金额", "revenue"):
        assert looked_for in message
    assert "name, day, total" in message
    assert "--customer-column" in message


def test_a_column_named_by_option_that_is_absent_is_an_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", "customer,date,amount\n" + ROWS)
    with pytest.raises(CommandError, match="cost"):
        analyze(str(path), "--json", "--cost-column", "成本", "--language", "en")


def test_a_file_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no such file"):
        analyze(str(tmp_path / "missing.csv"), "--json", "--language", "en")


def test_reading_errors_are_in_the_language_asked_for(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", "customer,date,amount\nA,2024-01-05,1\nB,2024-01-06,2,9\n")
    with pytest.raises(CommandError, match="第 3 行有 4 个字段"):
        analyze(str(path), "--json", "--language", "zh-hans")
    with pytest.raises(CommandError, match="文件不存在"):
        analyze(str(tmp_path / "missing.csv"), "--json", "--language", "zh-hans")


def test_a_file_in_the_wrong_encoding_says_to_give_the_encoding(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", "客户,日期,金额\n甲,2024-01-05,1\n", "gb18030")
    with pytest.raises(CommandError, match="--encoding"):
        analyze(str(path), "--json", "--encoding", "utf-8")


def test_an_explicit_encoding_is_used(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", "客户,日期,金额\n甲,2024-01-05,1\n", "gbk")
    document = analyze_json(str(path), "--encoding", "gbk")
    assert document["customers"][0]["customer_id"] == "甲"


def test_a_ragged_csv_names_the_row(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", "customer,date,amount\nA,2024-01-05,1\nB,2024-01-06,2,9\n")
    with pytest.raises(CommandError, match="row 3 has 4 fields, the header 3"):
        analyze(str(path), "--json", "--language", "en")


def test_a_missing_sheet_lists_the_sheets(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "t.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("订单").write_row(0, 0, ["客户", "日期", "金额"])
    book.close()
    with pytest.raises(CommandError, match="订单"):
        analyze(str(path), "--json", "--sheet", "Sheet9")


def test_a_file_whose_rows_are_all_rejected_is_an_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", "customer,date,amount\nA,someday,1\n")
    with pytest.raises(CommandError, match="row 2"):
        analyze(str(path), "--json", "--language", "en")


def test_a_calibration_end_before_the_data_is_an_error(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "t.csv", "customer,date,amount\n" + ROWS)
    with pytest.raises(CommandError, match="before the first date"):
        analyze(str(path), "--json", "--calibration-end", "2020-01-01")
