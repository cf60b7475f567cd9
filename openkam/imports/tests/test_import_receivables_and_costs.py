"""Invoices, payments and costs to serve: linked to their order or invoice by number, matched to
accounts like orders, idempotent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from openkam.imports.services import import_run
from openkam.imports.tests.helpers import ORDER_HEADERS, Catalogue, order_row, write_csv
from openkam.ledger.models import CostToServe, Invoice, Payment

pytestmark = pytest.mark.django_db


def test_invoices_link_to_their_orders_and_take_the_accounts_terms_as_due_date(
    tmp_path: Path, catalogue: Catalogue
) -> None:
    orders = write_csv(tmp_path / "o.csv", ORDER_HEADERS, [
        order_row("SO-1", 1, "2024-03-05", "上海东方电梯有限公司", "M-100", "1", "100", "100"),
    ])  # fmt: skip
    import_run(kind="orders", path=orders)
    headers = ["发票号码", "开票日期", "客户名称", "价税合计", "订单号"]
    path = write_csv(tmp_path / "i.csv", headers, [
        ["FP001", "2024年3月10日", "上海东方电梯有限公司", "113.00", "SO-1"],
        ["FP002", "2024/3/11", "东方电梯", "50", ""],
        ["FP003", "2024/3/11", "上海东方电梯有限公司", "50", "SO-404"],
    ])  # fmt: skip
    run = import_run(kind="invoices", path=path)
    assert run.counts() == {"read": 3, "inserted": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    first = Invoice.objects.get(invoice_no="FP001")
    assert first.order is not None
    assert first.order.order_no == "SO-1"
    assert first.due_date == dt.date(2024, 3, 10) + dt.timedelta(days=30)
    assert Invoice.objects.get(invoice_no="FP002").account == catalogue.east  # by short name
    assert import_run(kind="invoices", path=path).counts()["unchanged"] == 2


def test_payments_link_to_invoices(tmp_path: Path, catalogue: Catalogue) -> None:
    invoices = write_csv(tmp_path / "i.csv", ["发票号码", "开票日期", "客户名称", "金额"], [
        ["FP001", "2024-03-10", "上海东方电梯有限公司", "113"],
    ])  # fmt: skip
    import_run(kind="invoices", path=invoices)
    headers = ["收款单号", "回款日期", "客户名称", "回款金额", "发票号"]
    path = write_csv(tmp_path / "p.csv", headers, [
        ["SK1", "2024-04-01", "上海东方电梯有限公司", "113.00", "FP001"],
    ])  # fmt: skip
    assert import_run(kind="payments", path=path).rows_inserted == 1
    payment = Payment.objects.get()
    assert (payment.amount, payment.invoice.invoice_no) == (Decimal("113"), "FP001")  # type: ignore[union-attr]


def test_costs_to_serve_read_chinese_categories(tmp_path: Path, catalogue: Catalogue) -> None:
    headers = ["费用单号", "客户名称", "年度", "费用类别", "金额", "类型"]
    path = write_csv(tmp_path / "c.csv", headers, [
        ["F1", "成都西部电梯股份有限公司", "2024", "运费", "12,000", "间接"],
        ["F2", "成都西部电梯股份有限公司", "2024", "招待", "1", ""],
    ])  # fmt: skip
    run = import_run(kind="costs", path=path)
    assert (run.rows_inserted, run.rows_rejected) == (1, 1)
    cost = CostToServe.objects.get()
    assert (cost.account, cost.category, cost.kind, cost.amount) == (
        catalogue.west,
        "freight",
        "indirect",
        Decimal("12000"),
    )
