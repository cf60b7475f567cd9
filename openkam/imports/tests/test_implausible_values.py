"""Implausible values are rejected with their row, column and reason: an order line of zero
quantity, a date before 1900 or after 2100 (typing errors, ERPs' empty-date sentinels), a cost
year out of range. Negative quantities still pass where they passed (returns come later)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from openkam.imports.models import ImportRun
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, read_csv, write_csv
from openkam.ledger.models import CostToServe, OrderLine

pytestmark = pytest.mark.django_db
EAST = "上海东方电梯有限公司"
WEST = "成都西部电梯股份有限公司"
COST_HEADERS = ["费用单号", "客户名称", "年度", "费用类别", "金额"]


def _rejections(run: ImportRun) -> list[list[str]]:
    """(file row, column, reason) of each rejected row."""
    return [row[-3:] for row in read_csv(run.rejected_file)[1:]]


def _orders(tmp_path: Path, rows: list[list[str]]) -> ImportRun:
    with translation.override("en"):
        return import_run(kind="orders", path=write_csv(tmp_path / "o.csv", ORDER_HEADERS, rows))


def test_an_order_line_of_zero_quantity_is_rejected(tmp_path: Path, catalogue: Catalogue) -> None:
    run = _orders(tmp_path, [
        order_row("SO-1", 1, "2024-03-05", EAST, "M-100", "2", "100", ""),
        order_row("SO-2", 1, "2024-03-05", EAST, "M-100", "0", "100", ""),
        order_row("SO-3", 1, "2024-03-05", EAST, "M-100", "0.000", "100", ""),
    ])  # fmt: skip
    zero = "must not be zero"
    assert _rejections(run) == [["3", "数量", zero], ["4", "数量", zero]]
    assert OrderLine.objects.count() == 1


def test_a_negative_quantity_still_passes(tmp_path: Path, catalogue: Catalogue) -> None:
    run = _orders(tmp_path, [order_row("SO-1", 1, "2024-03-05", EAST, "M-100", "-2", "100", "")])
    assert run.rows_rejected == 0
    assert OrderLine.objects.get().quantity == -2


@pytest.mark.parametrize("day", ["1899-12-30", "0024-03-05", "2204-03-05", "9999-12-31"])
def test_an_order_date_outside_1900_to_2100_is_rejected(
    tmp_path: Path, catalogue: Catalogue, day: str
) -> None:
    run = _orders(tmp_path, [order_row("SO-1", 1, day, EAST, "M-100", "2", "100", "")])
    assert _rejections(run) == [["2", "下单日期", "implausible: outside 1900–2100"]]
    assert not OrderLine.objects.exists()


@pytest.mark.parametrize("day", ["1900-01-01", "2100-12-31"])
def test_the_first_and_last_plausible_days_pass(
    tmp_path: Path, catalogue: Catalogue, day: str
) -> None:
    assert _orders(tmp_path, [order_row("SO-1", 1, day, EAST, "M-100", "2", "1", "")]).rows_inserted


@pytest.mark.parametrize("year", ["24", "1899", "2101", "20240"])
def test_a_cost_year_out_of_range_is_rejected(
    tmp_path: Path, catalogue: Catalogue, year: str
) -> None:
    rows = [["F1", WEST, "2024", "运费", "12,000"], ["F2", WEST, year, "运费", "500"]]
    with translation.override("en"):
        run = import_run(kind="costs", path=write_csv(tmp_path / "c.csv", COST_HEADERS, rows))
    assert _rejections(run) == [["3", "年度", "implausible: outside 1900–2100"]]
    assert CostToServe.objects.count() == 1


def test_the_reason_reads_in_chinese(tmp_path: Path, catalogue: Catalogue) -> None:
    rows = [order_row("SO-1", 1, "2204-03-05", EAST, "M-100", "2", "100", "")]
    path = write_csv(tmp_path / "o.csv", ORDER_HEADERS, rows)
    with translation.override("zh-hans"):
        run = import_run(kind="orders", path=path)
    assert _rejections(run)[0][-1] == "数值不合理：应在 1900–2100 之间"
