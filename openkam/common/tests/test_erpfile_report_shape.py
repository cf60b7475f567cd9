"""Reports as ERPs export them: the header below a title and a date range, two-row headers, the
delimiter of a file whose first lines are a title, and totals rows (合计, 小计, Total, SAP's *)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from openkam.common import erpfile

WORDS = {"单号", "日期", "客户", "数量", "单价"}


def score(cells: Sequence[str]) -> int:
    return len(WORDS.intersection(cells))


def test_the_header_is_the_row_naming_most_columns_below_a_title_and_a_date_range() -> None:
    records = [["销售订单列表"], ["日期：2024-03-01 至 2024-03-31"], [],
               ["单号", "日期", "客户", "数量"], ["SO-1", "2024-03-05", "C001", "10"]]  # fmt: skip
    assert erpfile.locate_header(records, score) == 3


def test_without_a_row_naming_two_columns_the_header_is_the_first_filled_row() -> None:
    assert erpfile.locate_header([[""], ["a", "b"], ["1", "2"]], score) == 1
    assert erpfile.locate_header([["a", "b"]], None) == 0
    assert erpfile.locate_header([[""], []], score) is None


def test_a_group_caption_row_fills_the_blank_captions_under_it() -> None:
    group = ["单号", "日期", "客户", "", ""]  # merged over two rows: kept in the upper cell
    header = ["", "", "编码", "数量", "单价"]
    assert erpfile.header_with_group(header, group) == ["单号", "日期", "编码", "数量", "单价"]


def test_a_title_above_the_header_fills_nothing() -> None:
    assert erpfile.header_with_group(["", "数量"], ["销售订单列表"]) == ["", "数量"]


def test_a_row_above_that_would_name_two_columns_alike_fills_nothing() -> None:
    assert erpfile.header_with_group(["数量", ""], ["", "数量"]) == ["数量", ""]


@pytest.mark.parametrize(
    "cell", ["合计", "合 计", "合计：", "总计", "小计", "小计(3行)", "本页合计", "Total",
             "Grand Total", "Subtotal", "Summe", "Gesamtsumme", "*", "**"],
)  # fmt: skip
def test_a_totals_row_is_known_by_its_first_filled_cell(cell: str) -> None:
    assert erpfile.is_totals_row(["", cell, "", "113.00"])


@pytest.mark.parametrize("cell", ["合计金额", "SO-合计", "Totally", "上海合计电梯有限公司", "12"])
def test_a_cell_that_only_contains_a_totals_word_is_data(cell: str) -> None:
    assert not erpfile.is_totals_row([cell, "合计"])


def test_the_totals_rows_of_a_block_are_found_at_their_positions() -> None:
    records = [["SO-1", "1"], ["SO-2", "2"], ["小计", "3"], ["", ""], ["合计", "3"]]
    assert erpfile.totals_rows(records) == [2, 4]
    assert erpfile.totals_rows([["SO-1", "1"], ["SO-2", "2"]]) == []


def test_the_delimiter_of_a_tab_file_with_a_title_above_is_the_tab(tmp_path: Path) -> None:
    path = tmp_path / "u8.txt"
    lines = ["销售订单列表, 2024", "日期：2024-03", "单号\t日期\t数量", "SO-1\t2024-03-05\t1",
             "SO-2\t2024-03-06\t2"]  # fmt: skip
    path.write_bytes("\r\n".join(lines).encode("gb18030"))
    table = erpfile.open_csv(path, limits=erpfile.Limits())
    try:
        assert table.delimiter == "\t"
    finally:
        table.close()
