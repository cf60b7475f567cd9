"""Products (物料 / 存货档案): keyed by SKU, which is unique across sources."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy

from openkam.imports.kinds import base
from openkam.imports.kinds.base import Column, Context, ImportKind, Row
from openkam.imports.writing import TableWriter
from openkam.ledger.models import Product

COLUMNS = (
    Column(
        "sku",
        gettext_lazy("SKU"),
        ("产品编码", "物料编码", "存货编码", "商品编码", "sku", "product code", "item code",
         "material", "matnr"),
        base.key,
        required=True,
    ),
    Column("name", gettext_lazy("name"),
           ("产品名称", "物料名称", "存货名称", "商品名称", "名称", "product name", "name",
            "description", "maktx"),
           base.text(200), required=True),
    Column("family", gettext_lazy("product family"),
           ("产品系列", "产品线", "存货分类", "物料分类", "family", "product family",
            "product line", "category"),
           base.text(100)),
    Column("unit", gettext_lazy("unit"), ("单位", "计量单位", "unit", "uom", "meins"),
           base.text(20)),
    Column("standard_cost", gettext_lazy("standard cost"),
           ("标准成本", "单位成本", "成本", "standard cost", "unit cost", "cost"), base.unit_money),
    Column("list_price", gettext_lazy("list price"),
           ("标准售价", "目录价", "单价", "售价", "list price", "price"), base.unit_money),
    Column("currency", gettext_lazy("currency"), ("币种", "币别", "currency"), base.currency),
)  # fmt: skip

FIELDS = ("name", "family", "unit", "standard_cost", "list_price", "currency")
ZERO = base.unit_money("0")


class ProductsKind(ImportKind):
    name = "products"
    columns = COLUMNS

    def __init__(self) -> None:
        self.products = TableWriter(
            Product, key="sku", fields=FIELDS, insert_only=("source", "external_id")
        )

    def build(self, row: Row, ctx: Context) -> None:
        v = row.values
        row.record = {
            "sku": v["sku"],
            "name": v["name"],
            "family": v.get("family", ""),
            "unit": v.get("unit") or "pcs",
            "standard_cost": v.get("standard_cost") or ZERO,
            "list_price": v.get("list_price") or ZERO,
            "currency": v.get("currency") or base.currency(""),
            "source": ctx.source,
            "external_id": v["sku"],
        }

    def write(self, rows: Sequence[Row], ctx: Context) -> None:
        self.products.upsert([(row, row.record) for row in rows if row.ok], ctx, scope={})


KIND = ProductsKind
