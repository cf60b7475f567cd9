"""Deliveries (销售出库单 / 发货单 / SAP LIKP-LIPS), one delivery line per row: they fill the order
lines' delivered quantity and date (and the promised date where the file gives it), which
on-time delivery reads. Nothing is inserted: a row names an order line imported before.

A row finds its order line by the order's number (within the source) and then, in this order,
the order's line number (行号 / SAP's VGPOS), the line's ID (the ERP's source-line reference,
as the orders file gave it), or the SKU when the order has one line of it. A row that finds no
line is rejected, naming the column and why.

An order line delivered in several deliveries: the file's quantities are summed and the line's
delivered date is the last of them (a return, negative, moves no date); the file's figures
replace what the line said before, so importing the same file again changes nothing. A delivery
line (delivery number / item) given twice is counted once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.imports.kinds import base
from openkam.imports.kinds.base import (
    UNCHANGED,
    UPDATED,
    Column,
    Context,
    ImportKind,
    Row,
)
from openkam.imports.models import ImportChange
from openkam.imports.writing import jsonable
from openkam.ledger.models import Order, OrderLine
from openkam.ledger.upsert import CHUNK

COLUMNS = (
    Column("order_no", gettext_lazy("order number"),
           ("销售订单号", "订单号", "订单单号", "源单号", "源单编号", "order no", "order number",
            "sales order", "vgbel"),
           base.key, required=True),
    Column("line_no", gettext_lazy("order line"),
           ("订单行号", "源单行号", "销售订单行号", "order line", "order item", "vgpos"),
           base.positive_int),
    Column("line_id", gettext_lazy("order line ID"),
           ("订单行id", "源单行id", "源单分录id", "销售订单entryid", "order line id"), base.key),
    Column("sku", gettext_lazy("SKU"),
           ("产品编码", "物料编码", "存货编码", "商品编码", "sku", "product code", "item code",
            "material", "matnr"),
           base.key),
    Column("delivered_quantity", gettext_lazy("delivered quantity"),
           ("出库数量", "发货数量", "实发数量", "数量", "delivered quantity", "quantity", "lfimg"),
           base.line_quantity, required=True),
    Column("delivered_date", gettext_lazy("delivered"),
           ("出库日期", "发货日期", "实际发货日期", "实际交货日期", "delivered date", "ship date",
            "goods issue date", "wadat_ist"),
           base.date, required=True),
    Column("promised_date", gettext_lazy("promised delivery"),
           ("承诺交期", "预发货日期", "要求交货日期", "计划交货日期", "promised date",
            "delivery date", "lfdat"),
           base.date),
    Column("delivery_no", gettext_lazy("delivery number"),
           ("出库单号", "发货单号", "交货单号", "单据编号", "delivery no", "delivery", "vbeln"),
           base.key),
    Column("delivery_line", gettext_lazy("delivery line"),
           ("出库单行号", "发货单行号", "delivery item", "posnr"), base.positive_int),
)  # fmt: skip

FIELDS = ("delivered_quantity", "delivered_date", "promised_date")


@dataclass
class Delivered:
    """What the run's rows so far say of one order line."""

    quantity: Decimal
    date: dt.date | None  # the last date of a delivery (not of a return)
    promised: dt.date | None
    row: int  # the last row that spoke of it


@dataclass
class Stored:
    pk: int
    account_id: int
    sku: str
    values: tuple[Any, ...]  # FIELDS as stored


class DeliveriesKind(ImportKind):
    name = "deliveries"
    columns = COLUMNS
    rebuilds_aggregates = True

    def __init__(self) -> None:
        self.delivered: dict[int, Delivered] = {}  # order line id -> the run's sums
        self.delivery_rows: dict[tuple[str, str], tuple[int, tuple[Any, ...]]] = {}

    def build(self, row: Row, ctx: Context) -> None:
        row.record = dict(row.values)

    def write(self, rows: Sequence[Row], ctx: Context) -> None:
        ok = [row for row in rows if row.ok]
        lines = self._lines(ok, ctx)
        touched: dict[int, Row] = {}  # order line id -> the last row of it
        line_of: list[tuple[Row, int]] = []
        for row in ok:
            line = self._find(row, lines, ctx)
            if line is None or self._repeated(row, line.pk, ctx):
                continue
            self._add(line.pk, row)
            touched[line.pk] = row
            line_of.append((row, line.pk))
        changed = self._store(touched, lines, ctx)
        for row, pk in line_of:
            row.outcome = UPDATED if pk in changed else UNCHANGED

    def _lines(self, rows: Sequence[Row], ctx: Context) -> dict[str, list[Stored]]:
        """The stored lines of the rows' orders, by order number, a query per CHUNK orders."""
        wanted = sorted({row.values["order_no"] for row in rows})
        found: dict[str, list[Stored]] = {}
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            orders = dict(
                Order.objects.filter(source=ctx.source, order_no__in=chunk).values_list(
                    "pk", "order_no"
                )
            )
            for number in orders.values():
                found.setdefault(number, [])
            stored = OrderLine.objects.filter(order_id__in=list(orders)).values_list(
                "pk", "order_id", "line_no", "external_id", "product__sku", "account_id", *FIELDS
            )
            for pk, order_id, line_no, external_id, sku, account_id, *values in stored:
                found[orders[order_id]].append(
                    Stored(pk, account_id, sku, (line_no, external_id, *values))
                )
        return found

    def _find(self, row: Row, lines: dict[str, list[Stored]], ctx: Context) -> Stored | None:
        """The order line the row speaks of, or None with the row rejected."""
        v = row.values
        order_no = v["order_no"]
        of_order = lines.get(order_no)
        if of_order is None:
            row.reject(ctx.header("order_no"), order_no,
                       _("no order with this number: import the orders first"))  # fmt: skip
            return None
        sku = v.get("sku") or ""
        if v.get("line_no") is not None:
            by, value = "line_no", v["line_no"]
            matches = [line for line in of_order if line.values[0] == value]
        elif v.get("line_id"):
            by, value = "line_id", v["line_id"]
            matches = [line for line in of_order if line.values[1] == value]
        elif sku:
            by, value = "sku", sku
            matches = [line for line in of_order if line.sku == sku]
            if len(matches) > 1:
                several = _("the order has several lines of this SKU: give the line number")
                row.reject(ctx.header("sku"), sku, several)
                return None
        else:
            column = next((f for f in ("line_no", "line_id", "sku") if f in ctx.headers), "line_no")
            row.reject(ctx.header(column), "",
                       _("a line number, a line ID or a SKU is required"))  # fmt: skip
            return None
        if not matches:
            row.reject(ctx.header(by), str(value),
                       _("order %(order)s has no such line") % {"order": order_no})  # fmt: skip
            return None
        line = matches[0]
        if sku and line.sku != sku:
            other = _("the order line is of another SKU (%(sku)s)") % {"sku": line.sku}
            row.reject(ctx.header("sku"), sku, other)
            return None
        return line

    def _repeated(self, row: Row, line_id: int, ctx: Context) -> bool:
        """Whether the row's delivery line (the delivery's item, else the order line it
        delivers) came earlier in the run: then counted once; with other figures, the row is
        rejected."""
        v = row.values
        if not v.get("delivery_no"):
            return False
        item = v.get("delivery_line")
        k = (v["delivery_no"], f"item {item}" if item is not None else f"line {line_id}")
        said = tuple(v.get(f) for f in ("order_no", "line_no", "line_id", "sku", *FIELDS))
        earlier = self.delivery_rows.get(k)
        if earlier is None:
            self.delivery_rows[k] = (row.number, said)
            return False
        if earlier[1] == said:
            row.outcome = UNCHANGED
        else:
            row.reject(ctx.header("delivery_no"), v["delivery_no"],
                       _("the same key is on row %(row)s with different values")
                       % {"row": earlier[0]})  # fmt: skip
        return True

    def _add(self, line_id: int, row: Row) -> None:
        v = row.values
        quantity, date = v["delivered_quantity"], v["delivered_date"]
        sums = self.delivered.get(line_id)
        if sums is None:
            sums = self.delivered[line_id] = Delivered(Decimal(0), None, None, row.number)
        sums.quantity += quantity
        if quantity > 0 and (sums.date is None or date > sums.date):
            sums.date = date
        if v.get("promised_date") is not None:
            sums.promised = v["promised_date"]
        sums.row = row.number
        if sums.date is None:  # returns only, so far: their last date
            sums.date = date

    def _store(
        self, touched: dict[int, Row], lines: dict[str, list[Stored]], ctx: Context
    ) -> set[int]:
        """Write the touched lines whose figures change; their ids."""
        stored = {line.pk: line for of_order in lines.values() for line in of_order}
        changes: list[tuple[Stored, dict[str, Any], dict[str, Any], Row]] = []
        for pk, row in touched.items():
            line, sums = stored[pk], self.delivered[pk]
            before = dict(zip(FIELDS, line.values[2:], strict=True))
            after = {"delivered_quantity": sums.quantity, "delivered_date": sums.date,
                     "promised_date": sums.promised or before["promised_date"]}  # fmt: skip
            diff = {f: after[f] for f in FIELDS if after[f] != before[f]}
            if diff:
                changes.append((line, {f: before[f] for f in diff}, diff, row))
        if not changes:
            return set()
        objects = []
        for line, _before, after, _row in changes:
            values = dict(zip(FIELDS, line.values[2:], strict=True)) | after
            objects.append(OrderLine(pk=line.pk, **values))
            line.values = (*line.values[:2], *(values[f] for f in FIELDS))
        OrderLine.objects.bulk_update(objects, list(FIELDS), batch_size=CHUNK)
        ImportChange.objects.bulk_create(
            ImportChange(
                run=ctx.run, model=OrderLine._meta.label, object_id=line.pk, row=row.number,
                before={f: jsonable(x) for f, x in before.items()},
                after={f: jsonable(x) for f, x in after.items()},
            )
            for line, before, after, row in changes
        )  # fmt: skip
        ctx.touched_accounts.update(line.account_id for line, *_rest in changes)
        return {line.pk for line, *_rest in changes}


KIND = DeliveriesKind
