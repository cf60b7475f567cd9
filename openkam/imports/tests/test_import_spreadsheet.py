"""A workbook imports like a CSV: the named sheet, numbers as typed, Excel serial dates."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import xlsxwriter

from openkam.imports.services import import_run
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue
from openkam.ledger.models import OrderLine

pytestmark = pytest.mark.django_db


def test_orders_from_a_named_sheet_with_serial_dates_and_numeric_cells(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    path = tmp_path / "金蝶销售明细.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("封面").write_row(0, 0, ["金蝶K3 导出"])
    sheet = book.add_worksheet("明细")
    sheet.write_row(0, 0, ORDER_HEADERS)
    sheet.write_row(1, 0, ["SO-1", 1, 45356, "", "上海东方电梯有限公司", "", "M-100", 2, 1000.5,
                           2001])  # fmt: skip
    sheet.write_row(2, 0, ["SO-1", 2, "2024/3/5", "", "上海东方电梯有限公司", "", "D-200", 1, "",
                           "¥99.00"])  # fmt: skip
    book.close()
    run = import_run(kind="orders", path=path, sheet="明细", source="金蝶")
    assert run.counts() == {"read": 2, "inserted": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert run.sheet == "明细"
    first = OrderLine.objects.get(line_no=1)
    assert first.order.order_date == dt.date(2024, 3, 5)
    assert (first.quantity, first.unit_price, first.amount) == (2, Decimal("1000.5"), 2001)
    assert OrderLine.objects.get(line_no=2).unit_price == Decimal("99")
