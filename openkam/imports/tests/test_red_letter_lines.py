"""Red-letter lines (红字) are returns and credit notes: stored negative, never refused, linked to
the order they reverse when the file names it, and deducted from revenue in their month."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from openkam.imports.services import import_run
from openkam.imports.tests.erp_files import write_export
from openkam.imports.tests.helpers import Catalogue
from openkam.ledger.models import AccountMonth, Order, OrderLine

pytestmark = pytest.mark.django_db
D = Decimal
HEADER = ["订单号", "行号", "订单日期", "客户名称", "存货编码", "数量", "含税单价", "价税合计",
          "税率", "红蓝字", "原订单号"]  # fmt: skip
EAST = "上海东方电梯有限公司"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_line_marked_red_with_positive_figures_is_stored_as_a_return(
    tmp_path: Path, catalogue: Catalogue, suffix: str
) -> None:
    rows = [
        ["XS-1", 1, "2024-05-06", EAST, "M-100", 3, "113", "339.00", "13%", "蓝字", ""],
        # The ERP writes the return's figures positive and says 红字: they turn negative.
        ["TH-1", 1, "2024-06-03", EAST, "M-100", 1, "113", "113.00", "13%", "红字", "XS-1"],
        # Another writes them negative already: left as they are.
        ["TH-2", 1, "2024-06-10", EAST, "D-200", -2, "56.50", "-113.00", "13%", "红字", "XS-9"],
    ]  # fmt: skip
    path = write_export(tmp_path / f"红字{suffix}", HEADER, rows,
                        totals=["合计", "", "", "", "", 0, "", "113.00", "", "", ""])  # fmt: skip
    run = import_run(kind="orders", path=path)
    assert (run.rows_inserted, run.rows_rejected) == (3, 0), run.message
    back = OrderLine.objects.get(order__order_no="TH-1")
    assert (back.quantity, back.amount, back.tax_amount, back.unit_price) == (
        -1,
        D("-100.00"),
        D("-13.00"),
        D("100"),
    )
    other = OrderLine.objects.get(order__order_no="TH-2")
    assert (other.quantity, other.amount, other.tax_amount) == (-2, D("-100.00"), D("-13.00"))
    assert Order.objects.get(order_no="TH-1").original_order_no == "XS-1"
    assert Order.objects.get(order_no="XS-1").original_order_no == ""
    months = dict(
        AccountMonth.objects.filter(account=catalogue.east).values_list("month", "revenue")
    )
    # May: 339.00 / 1.13 = 300.00; June: the two returns, -100.00 each.
    assert months == {dt.date(2024, 5, 1): D("300.00"), dt.date(2024, 6, 1): D("-200.00")}
