"""A line whose price includes VAT and whose file names no rate is split at the company's
default VAT rate (the company settings' default_vat_rate, 13 % until changed); a rate the file
names still wins. Numbers by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from openkam.imports.services import import_run
from openkam.imports.tests.erp_files import write_export
from openkam.imports.tests.helpers import Catalogue
from openkam.ledger.models import OrderLine
from openkam.portfolio.models import PortfolioSettings

pytestmark = pytest.mark.django_db
D = Decimal
EAST = "上海东方电梯有限公司"
HEADER = ["订单号", "行号", "订单日期", "客户名称", "存货编码", "数量", "单价", "价格含税", "税率"]
ROWS = [
    # 1 × 109.00 with VAT, no rate: at 9 % -> 100.00 net + 9.00 VAT; at 13 % -> 96.46 + 12.54.
    ["SO-1", 1, "2024-03-05", EAST, "M-100", 1, "109.00", "是", ""],
    # 1 × 113.00 with VAT at the file's 13 %: 100.00 + 13.00 whatever the default.
    ["SO-1", 2, "2024-03-05", EAST, "M-100", 1, "113.00", "是", "13%"],
]


def split() -> list[tuple[Decimal, Decimal, Decimal | None]]:
    return list(OrderLine.objects.order_by("line_no").values_list("amount", "tax_amount",
                                                                  "tax_rate"))  # fmt: skip


def test_without_a_rate_the_company_default_of_13_percent_applies(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    import_run(kind="orders", path=write_export(tmp_path / "o.csv", HEADER, ROWS), source="ERP")
    assert split() == [(D("96.46"), D("12.54"), D("0.13")), (D("100.00"), D("13.00"), D("0.13"))]


def test_a_company_default_of_9_percent_applies_where_the_file_names_no_rate(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    settings = PortfolioSettings.current()
    settings.default_vat_rate = D("0.09")
    settings.save()
    import_run(kind="orders", path=write_export(tmp_path / "o.xlsx", HEADER, ROWS), source="ERP")
    assert split() == [(D("100.00"), D("9.00"), D("0.09")), (D("100.00"), D("13.00"), D("0.13"))]
