"""Orders, one order line per row (销售订单明细): the order's header repeats on each of its lines.

Key of an order: its number (within the source). Key of a line: the line ID when the file has
one, else order number / line number, else order number / SKU.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.imports.kinds import base
from openkam.imports.kinds.base import UNCHANGED, UPDATED, Column, Context, ImportKind, Row
from openkam.imports.writing import CHUNK, TableWriter
from openkam.ledger.models import Order, OrderLine, Product

STATUS_WORDS = {
    "已发货": "delivered", "已完成": "delivered", "已交货": "delivered", "完成": "delivered",
    "delivered": "delivered", "closed": "delivered", "completed": "delivered",
    "未发货": "open", "执行中": "open", "未完成": "open", "open": "open", "pending": "open",
    "已取消": "cancelled", "取消": "cancelled", "作废": "cancelled", "cancelled": "cancelled",
    "canceled": "cancelled",
}  # fmt: skip

COLUMNS = (
    Column(
        "order_no",
        gettext_lazy("order number"),
        ("订单号", "订单编号", "销售订单号", "单据编号", "order no", "order number", "order",
         "sales order", "vbeln", "so number"),
        base.key,
        required=True,
    ),
    Column("line_no", gettext_lazy("line"), ("行号", "订单行号", "line", "line no", "posnr"),
           base.positive_int),
    Column("line_id", gettext_lazy("line ID"), ("行id", "明细id", "分录id", "line id"), base.key),
    Column(
        "order_date",
        gettext_lazy("order date"),
        ("下单日期", "订单日期", "单据日期", "日期", "order date", "date", "erdat"),
        base.date,
        required=True,
    ),
    *base.CUSTOMER_COLUMNS,
    Column(
        "sku",
        gettext_lazy("SKU"),
        ("产品编码", "物料编码", "存货编码", "商品编码", "sku", "product code", "item code",
         "material", "matnr"),
        base.key,
        required=True,
    ),
    Column("quantity", gettext_lazy("quantity"), ("数量", "销售数量", "quantity", "qty"),
           base.quantity, required=True),
    Column("unit_price", gettext_lazy("unit price"), ("单价", "含税单价", "unit price", "price"),
           base.money(4)),
    Column("amount", gettext_lazy("amount"),
           ("金额", "价税合计", "销售金额", "含税金额", "amount", "net value", "netwr"),
           base.money()),
    Column("unit_cost", gettext_lazy("unit cost"), ("单位成本", "成本单价", "unit cost"),
           base.money(4)),
    Column("cost", gettext_lazy("cost"), ("成本", "销售成本", "成本金额", "cost", "cogs"),
           base.money()),
    Column("currency", gettext_lazy("currency"), ("币种", "币别", "currency", "waerk"),
           base.currency),
    Column("status", gettext_lazy("status"), ("状态", "订单状态", "status"),
           base.choice(STATUS_WORDS)),
    Column("promised_date", gettext_lazy("promised delivery"),
           ("承诺交期", "交货日期", "要求交货日期", "promised date", "delivery date"), base.date),
    Column("delivered_date", gettext_lazy("delivered"),
           ("实际交货日期", "发货日期", "出库日期", "delivered date", "ship date"), base.date),
    Column("delivered_quantity", gettext_lazy("delivered quantity"),
           ("已发货数量", "发货数量", "delivered quantity"), base.quantity),
)  # fmt: skip

ORDER_FIELDS = ("account_id", "order_no", "order_date", "status", "currency")
LINE_FIELDS = (
    "order_id", "account_id", "product_id", "line_no", "quantity", "unit_price", "unit_cost",
    "amount", "cost", "currency", "promised_date", "delivered_date", "delivered_quantity",
)  # fmt: skip
CENT = Decimal("0.01")
FOUR = Decimal("0.0001")


class OrdersKind(ImportKind):
    name = "orders"
    columns = COLUMNS
    one_of = (base.CUSTOMER_ONE_OF, ("unit_price", "amount"))
    rebuilds_aggregates = True

    def __init__(self) -> None:
        self.orders = TableWriter(
            Order, key="external_id", fields=ORDER_FIELDS, key_field="order_no"
        )
        self.lines = TableWriter(
            OrderLine, key="external_id", fields=LINE_FIELDS, key_field="order_no"
        )
        self.currency = base.currency("")  # the default, read from the settings once per run

    def prepare(self, rows: Sequence[Row], ctx: Context) -> None:
        products_load(ctx, {row.values["sku"] for row in rows if row.rejection is None})

    def build(self, row: Row, ctx: Context) -> None:
        v = row.values
        product = product_of(row, ctx)
        account_id = base.resolve_customer(row, ctx)
        if product is None or account_id is None:
            return
        product_id, standard_cost = product
        quantity = v["quantity"]
        price, amount = v.get("unit_price"), v.get("amount")
        if amount is None:
            amount = (quantity * price).quantize(CENT)
        if price is None:
            price = (amount / quantity).quantize(FOUR) if quantity else Decimal("0.0000")
        unit_cost, cost = v.get("unit_cost"), v.get("cost")
        if unit_cost is None:
            unit_cost = standard_cost if cost is None else _per_unit(cost, quantity)
        if cost is None:
            cost = (quantity * unit_cost).quantize(CENT)
        currency = v.get("currency") or self.currency
        order_no = v["order_no"]
        line_no = v.get("line_no") or 1
        line_key = v.get("line_id") or (
            f"{order_no}/{v['line_no']}" if v.get("line_no") else f"{order_no}/{v['sku']}"
        )
        row.record = {
            "order": {
                "external_id": order_no,
                "account_id": account_id,
                "order_no": order_no,
                "order_date": v["order_date"],
                "status": v.get("status") or Order.Status.DELIVERED,
                "currency": currency,
            },
            "external_id": line_key,
            "account_id": account_id,
            "product_id": product_id,
            "line_no": line_no,
            "quantity": quantity,
            "unit_price": price,
            "unit_cost": unit_cost,
            "amount": amount,
            "cost": cost,
            "currency": currency,
            "promised_date": v.get("promised_date"),
            "delivered_date": v.get("delivered_date"),
            "delivered_quantity": v.get("delivered_quantity"),
        }

    def write(self, rows: Sequence[Row], ctx: Context) -> None:
        scope = {"source": ctx.source}
        headers = [(row, row.record["order"]) for row in rows if row.ok]
        order_ids = self.orders.upsert(headers, ctx, scope=scope)
        header_updated = {id(row) for row, _h in headers if row.outcome == UPDATED}
        lines: list[tuple[Row, dict[str, Any]]] = []
        for row in rows:
            if row.ok:
                row.record["order_id"] = order_ids[row.record["order"]["external_id"]]
                lines.append((row, row.record))
        self.lines.upsert(lines, ctx, scope=scope, want_ids=False)
        for row, record in lines:
            if row.ok and id(row) in header_updated:
                row.outcome = UPDATED
            if row.ok and row.outcome != UNCHANGED:
                ctx.touched_accounts.add(record["account_id"])


def _per_unit(cost: Decimal, quantity: Decimal) -> Decimal:
    return (cost / quantity).quantize(FOUR) if quantity else Decimal("0.0000")


def products_load(ctx: Context, skus: set[str]) -> None:
    """Put the SKUs the cache does not know yet in it, a query per CHUNK of them (None for
    unknown SKUs), so the rows of a batch do not look their products up one by one."""
    wanted = sorted(skus - ctx.product_cache.keys())
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        ctx.product_cache.update(dict.fromkeys(chunk))
        found = Product.objects.filter(sku__in=chunk).values_list("sku", "pk", "standard_cost")
        ctx.product_cache.update((sku, (pk, cost)) for sku, pk, cost in found)


def product_of(row: Row, ctx: Context) -> tuple[int, Decimal] | None:
    """(id, standard cost) of the row's SKU, or None with the row rejected."""
    sku = row.values["sku"]
    if sku not in ctx.product_cache:
        found = Product.objects.filter(sku=sku).values_list("pk", "standard_cost").first()
        ctx.product_cache[sku] = found
    product = ctx.product_cache[sku]
    if product is None:
        row.reject(ctx.header("sku"), sku, _("unknown SKU: import the product first"))
    return product


KIND = OrdersKind
