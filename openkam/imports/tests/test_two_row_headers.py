"""A workbook whose header spans two rows (captions merged over both, a group caption over its
columns) under a report title imports with every column found; blank rows are noted."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter
from django.utils import translation

from openkam.imports.services import import_run
from openkam.imports.tests.helpers import Catalogue
from openkam.ledger.models import OrderLine

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


def test_merged_and_grouped_header_cells_name_their_columns(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = tmp_path / "两行表头.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.merge_range(0, 0, 0, 6, "销售明细表")
    sheet.merge_range(1, 0, 2, 0, "订单号")  # one caption over both header rows
    sheet.merge_range(1, 1, 2, 1, "下单日期")
    sheet.merge_range(1, 2, 1, 3, "客户")  # a group caption over its two columns
    sheet.write_row(1, 4, ["产品", "", ""])
    sheet.write_row(2, 2, ["客户编码", "客户名称", "产品编码", "数量", "金额"])
    sheet.write_row(3, 0, ["SO-9", "2024-05-06", "", "上海东方电梯有限公司", "M-100", 2, 800])
    sheet.write_row(5, 0, ["SO-9", "2024-05-06", "", "上海东方电梯有限公司", "D-200", 1, 150])
    book.close()
    run = import_run(kind="orders", path=path)
    assert run.rows_inserted == 2, (run.message, run.mapping)
    assert run.mapping["order_no"] == "订单号"
    assert run.mapping["order_date"] == "下单日期"
    assert run.notes[0] == (
        "the header is row 3; rows above it skipped: 1 “销售明细表”, 2 “订单号 下单日期 客户 产品”"
    )
    assert "1 blank row skipped" in run.notes
    assert OrderLine.objects.get(product=catalogue.motor).amount == Decimal("800")
