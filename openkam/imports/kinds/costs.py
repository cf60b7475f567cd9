"""Costs to serve (服务成本 / 费用): freight, installation, rebates ... per account and year."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext_lazy, pgettext_lazy

from openkam.imports.kinds import base
from openkam.imports.kinds.base import Column, Context, ImportKind, Row
from openkam.imports.writing import TableWriter
from openkam.ledger.models import CostToServe
from openkam.ledger.upsert import COST_FIELDS

KIND_WORDS = {
    "直接": "direct", "直接成本": "direct", "direct": "direct",
    "间接": "indirect", "间接成本": "indirect", "服务成本": "indirect", "indirect": "indirect",
    "cost to serve": "indirect",
}  # fmt: skip
CATEGORY_WORDS = {
    "运费": "freight", "物流": "freight", "运输": "freight", "freight": "freight",
    "logistics": "freight",
    "安装": "installation", "安装支持": "installation", "installation": "installation",
    "销售": "sales", "销售费用": "sales", "sales": "sales",
    "售后": "service", "售后服务": "service", "服务": "service", "service": "service",
    "返利": "rebate", "折扣": "rebate", "rebate": "rebate", "discount": "rebate",
    "融资": "financing", "资金占用": "financing", "financing": "financing",
    "培训": "training", "training": "training",
    "其他": "other", "other": "other",
}  # fmt: skip

COLUMNS = (
    Column("cost_id", gettext_lazy("cost ID"),
           ("费用单号", "费用编号", "单据编号", "凭证号", "cost id", "cost no", "document no"),
           base.key, required=True),
    *base.CUSTOMER_COLUMNS,
    Column("year", gettext_lazy("year"), ("年度", "年份", "会计年度", "year", "fiscal year"),
           base.year, required=True),
    Column("kind", gettext_lazy("kind"), ("成本类型", "类型", "kind", "cost type"),
           base.choice(KIND_WORDS)),
    Column("category", pgettext_lazy("cost", "category"),
           ("费用类别", "类别", "费用项目", "category"),
           base.choice(CATEGORY_WORDS), required=True),
    Column("amount", gettext_lazy("amount"), ("金额", "费用金额", "amount", "cost"),
           base.money(), required=True),
    Column("note", gettext_lazy("note"), ("备注", "摘要", "说明", "note", "memo"), base.text(200)),
    Column("currency", gettext_lazy("currency"), ("币种", "币别", "currency"), base.currency),
)  # fmt: skip

FIELDS = COST_FIELDS


class CostsKind(ImportKind):
    name = "costs"
    columns = COLUMNS
    one_of = (base.CUSTOMER_ONE_OF,)

    def __init__(self) -> None:
        self.costs = TableWriter(CostToServe, key="external_id", fields=FIELDS, key_field="cost_id")

    def build(self, row: Row, ctx: Context) -> None:
        v = row.values
        account_id = base.resolve_customer(row, ctx)
        if account_id is None:
            return
        row.record = {
            "external_id": v["cost_id"],
            "account_id": account_id,
            "year": v["year"],
            "kind": v.get("kind") or CostToServe.Kind.INDIRECT,
            "category": v["category"],
            "amount": v["amount"],
            "currency": v.get("currency") or base.currency(""),
            "note": v.get("note", ""),
        }

    def write(self, rows: Sequence[Row], ctx: Context) -> None:
        self.costs.upsert(
            [(row, row.record) for row in rows if row.ok], ctx, scope={"source": ctx.source}
        )


KIND = CostsKind
