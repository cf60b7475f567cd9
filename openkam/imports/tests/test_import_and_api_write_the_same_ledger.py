"""The same orders (with lines), invoices, payments and costs to serve, sent once as CSV files
through the import service and once through the API's bulk endpoints, land in identical rows:
every column compared, surrogate ids and time stamps aside (rows that point at other ledger rows
are compared by the external ID they point at).

The lines leave out different values (amount, unit price, unit cost, cost), so every derivation
is taken, and are chosen where half-up and half-to-even rounding differ (0.125 -> 0.13, not
0.12) and where unit costs need more than four places (0.0325, 71.6073, 214.82 / 3).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.db.models import Model

from openkam.accounts.models import Account
from openkam.api.tests.conftest import api_for
from openkam.conftest import World
from openkam.imports.services import import_run
from openkam.imports.tests.helpers import write_csv
from openkam.ledger.models import CostToServe, Invoice, Order, OrderLine, Payment, Product

pytestmark = pytest.mark.django_db

# order, line, date, SKU, quantity, unit price, amount, unit cost, cost ("" = left out)
LINES = [
    ("SO-1", 1, "2026-03-02", "FAST-1", "10", "0.0125", "", "", ""),
    ("SO-1", 2, "2026-03-02", "MOTOR", "3", "0.125", "", "", "214.82"),
    ("SO-1", 3, "2026-03-02", "MOTOR", "2", "", "200.00", "", ""),
    ("SO-2", 1, "2026-04-10", "FAST-1", "7", "0.0325", "0.23", "0.0325", ""),
    ("SO-2", 2, "2026-04-10", "FAST-1", "1", "", "0.13", "0.0123", "0.01"),
]
# invoice, date, due (left out: the account's payment terms), amount, order
INVOICES = [
    ("INV-1", "2026-03-05", "2026-04-04", "200.51", "SO-1"),
    ("INV-2", "2026-04-12", "", "0.36", ""),
]
# payment, date, amount, invoice, reference
PAYMENTS = [
    ("PAY-1", "2026-04-01", "200.51", "INV-1", "银行回单 0001"),
    ("PAY-2", "2026-05-01", "0.30", "", ""),
]
# cost, year, kind, category, amount, note
COSTS = [("FEE-1", 2026, "indirect", "freight", "1234.56", "物流")]


@pytest.fixture
def products(db: None) -> None:
    Product.objects.create(sku="FAST-1", name="螺栓", standard_cost=Decimal("0.0325"))
    Product.objects.create(sku="MOTOR", name="曳引机", standard_cost=Decimal("71.6073"))


def _import_files(world: World, folder: Path) -> None:
    credit = world.account.credit_code
    files = {
        "orders": (
            ["订单号", "行号", "下单日期", "统一社会信用代码", "产品编码", "数量", "单价", "金额",
             "单位成本", "成本"],
            [[o, str(n), d, credit, sku, q, p, a, u, c] for o, n, d, sku, q, p, a, u, c in LINES],
        ),
        "invoices": (
            ["发票号", "开票日期", "到期日", "金额", "订单号", "统一社会信用代码"],
            [[*invoice, credit] for invoice in INVOICES],
        ),
        "payments": (
            ["回款单号", "回款日期", "回款金额", "发票号", "摘要", "统一社会信用代码"],
            [[*payment, credit] for payment in PAYMENTS],
        ),
        "costs": (
            ["费用单号", "年度", "成本类型", "费用类别", "金额", "备注", "统一社会信用代码"],
            [[c, str(y), k, cat, a, note, credit] for c, y, k, cat, a, note in COSTS],
        ),
    }  # fmt: skip
    for kind, (headers, rows) in files.items():
        path = write_csv(folder / f"{kind}.csv", headers, rows)
        run = import_run(kind=kind, path=path, user=world.executive, source="erp")
        assert (run.rows_rejected, run.rows_inserted) == (0, len(rows)), (kind, run.message)


def _given(**values: str) -> dict[str, str]:
    return {name: value for name, value in values.items() if value}


def _post_items(world: World) -> None:
    client = api_for(world.executive)
    account = {"source": "erp", "account_id": world.account.pk}
    orders: dict[str, dict[str, Any]] = {}
    for o, n, d, sku, q, p, a, u, c in LINES:
        order = orders.setdefault(
            o, {**account, "external_id": o, "order_no": o, "order_date": d, "lines": []}
        )
        line = {"line_no": n, "product_sku": sku, "quantity": q}
        order["lines"].append(line | _given(unit_price=p, amount=a, unit_cost=u, cost=c))
    invoices = [
        {**account, "external_id": i, "invoice_no": i, "invoice_date": d, "amount": a,
         **_given(due_date=due, order_external_id=o)}
        for i, d, due, a, o in INVOICES
    ]  # fmt: skip
    payments = [
        {**account, "external_id": p, "payment_date": d, "amount": a, "reference": r,
         **_given(invoice_external_id=i)}
        for p, d, a, i, r in PAYMENTS
    ]  # fmt: skip
    costs = [
        {**account, "external_id": c, "year": y, "kind": k, "category": cat, "amount": a,
         "note": note}
        for c, y, k, cat, a, note in COSTS
    ]  # fmt: skip
    for path, items in (("orders", list(orders.values())), ("invoices", invoices),
                        ("payments", payments), ("costs-to-serve", costs)):  # fmt: skip
        response = client.post(f"/{path}/bulk", {"items": items})
        assert response.status_code == 200, response.json()
        assert response.json()["inserted"] == len(items)


# Per table: the columns compared (every one but the surrogate id and time stamps; a reference
# to another ledger row by that row's external ID) and the ordering.
TABLES: dict[type[Model], tuple[str, ...]] = {
    Order: ("external_id",),
    OrderLine: ("order__external_id", "line_no"),
    Invoice: ("external_id",),
    Payment: ("external_id",),
    CostToServe: ("external_id",),
}
SURROGATE = {"id", "created_at", "updated_at", "order_id", "invoice_id"}
REFERENCES: dict[type[Model], list[str]] = {
    OrderLine: ["order__external_id"],
    Invoice: ["order__external_id"],
    Payment: ["invoice__external_id"],
}


def _dump() -> dict[str, list[dict[str, Any]]]:
    dump = {}
    for model, ordering in TABLES.items():
        columns = [f.attname for f in model._meta.concrete_fields if f.attname not in SURROGATE]
        names = [*columns, *REFERENCES.get(model, [])]
        rows = model._default_manager.order_by(*ordering).values(*names)
        dump[model.__name__] = list(rows)
    return dump


def _delete_ledger() -> None:
    for model in (Payment, Invoice, OrderLine, Order, CostToServe):
        model._default_manager.all().delete()


def test_a_file_import_and_the_api_store_identical_ledger_rows(
    world: World, products: None, tmp_path: Path
) -> None:
    Account.objects.filter(pk=world.account.pk).update(payment_terms_days=45)
    _import_files(world, tmp_path)
    imported = _dump()
    _delete_ledger()
    _post_items(world)
    posted = _dump()
    for table, rows in imported.items():
        assert rows == posted[table], table
    assert [len(rows) for rows in posted.values()] == [2, 5, 2, 2, 1]
    # The invoice sent without due date falls due after the account's payment terms, both ways.
    assert Invoice.objects.get(external_id="INV-2").due_date.isoformat() == "2026-05-27"


def test_both_paths_round_amounts_half_up_and_keep_six_places_of_unit_costs(
    world: World, products: None, tmp_path: Path
) -> None:
    _post_items(world)
    lines = {
        (line.order.external_id, line.line_no): line
        for line in OrderLine.objects.select_related("order")
    }
    by_api = _money(lines)
    _delete_ledger()
    _import_files(world, tmp_path)
    lines = {
        (line.order.external_id, line.line_no): line
        for line in OrderLine.objects.select_related("order")
    }
    assert (
        _money(lines)
        == by_api
        == {
            # 10 × 0.0125 = 0.125 -> 0.13 (half to even: 0.12); 10 × 0.0325 = 0.325 -> 0.33
            ("SO-1", 1): ("0.012500", "0.13", "0.032500", "0.33"),
            # 3 × 0.125 = 0.375 -> 0.38; 214.82 / 3 = 71.60666… -> 71.606667
            ("SO-1", 2): ("0.125000", "0.38", "71.606667", "214.82"),
            # 200.00 / 2; the standard cost 71.6073 stored as it is, 2 × it = 143.2146 -> 143.21
            ("SO-1", 3): ("100.000000", "200.00", "71.607300", "143.21"),
            ("SO-2", 1): ("0.032500", "0.23", "0.032500", "0.23"),
            ("SO-2", 2): ("0.130000", "0.13", "0.012300", "0.01"),
        }
    )


def _money(lines: dict[tuple[str, int], OrderLine]) -> dict[tuple[str, int], tuple[str, ...]]:
    return {
        key: tuple(str(v) for v in (line.unit_price, line.amount, line.unit_cost, line.cost))
        for key, line in lines.items()
    }
