"""Invoices (销售发票 / 开票记录): keyed by invoice number within the source."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.imports.kinds import base
from openkam.imports.kinds.base import Column, Context, ImportKind, Row
from openkam.imports.writing import TableWriter
from openkam.ledger.models import Invoice, Order
from openkam.ledger.upsert import INVOICE_FIELDS, due_dates, ids_by_key

COLUMNS = (
    Column("invoice_no", gettext_lazy("invoice number"),
           ("发票号", "发票号码", "发票编号", "开票单号", "invoice no", "invoice number",
            "invoice", "billing document", "vbeln"),
           base.key, required=True),
    Column("invoice_date", gettext_lazy("invoice date"),
           ("开票日期", "发票日期", "invoice date", "billing date", "fkdat"), base.date,
           required=True),
    Column("due_date", gettext_lazy("due date"),
           ("到期日", "到期日期", "应收日期", "due date", "net due date"), base.date),
    # What the customer owes (with VAT: receivables compare it with the payments); a file that
    # gives the net value and the tax apart (SAP's NETWR and MWSBK) has them added up.
    Column("amount", gettext_lazy("amount"),
           ("金额", "发票金额", "价税合计", "开票金额", "amount", "invoice amount"), base.money()),
    Column("net_amount", gettext_lazy("amount without VAT"),
           ("无税金额", "不含税金额", "net amount", "net value"), base.money()),
    Column("tax_amount", gettext_lazy("VAT"), ("税额", "tax amount", "vat amount"), base.money()),
    Column("order_no", gettext_lazy("order number"),
           ("订单号", "订单编号", "销售订单号", "order no", "order number", "sales order"),
           base.key),
    *base.CUSTOMER_COLUMNS,
    # In another currency: stored in the company's, its own kept beside (base.Converted).
    *base.CURRENCY_COLUMNS,
)  # fmt: skip

FIELDS = INVOICE_FIELDS


class InvoicesKind(ImportKind):
    name = "invoices"
    columns = COLUMNS
    one_of = (base.CUSTOMER_ONE_OF, ("amount", "net_amount"))

    def __init__(self) -> None:
        self.invoices = TableWriter(
            Invoice, key="external_id", fields=FIELDS, key_field="invoice_no"
        )
        self.terms: dict[int, int] = {}  # account -> payment terms in days, read once a run
        self.converted = base.Converted()

    def build(self, row: Row, ctx: Context) -> None:
        v = row.values
        amount = v.get("amount")
        if amount is None and v.get("net_amount") is not None:
            amount = v["net_amount"] + (v.get("tax_amount") or 0)
        if amount is None:
            name = "amount" if "amount" in ctx.headers else "net_amount"
            row.reject(ctx.header(name), "", _("a value is required"))
            return
        stored = self.converted(row, ctx, amount)
        if stored is None:
            return
        account_id = base.resolve_customer(row, ctx)
        if account_id is None:
            return
        row.record = {
            "external_id": v["invoice_no"],
            "account_id": account_id,
            "order_no": v.get("order_no", ""),
            "invoice_no": v["invoice_no"],
            "invoice_date": v["invoice_date"],
            "due_date": v.get("due_date"),
            **stored.values(),
        }

    def notes(self) -> list[str]:
        return self.converted.notes()

    def write(self, rows: Sequence[Row], ctx: Context) -> None:
        base.refuse_others(rows, ctx, Invoice, "external_id", "invoice_no")
        base.refuse_others(rows, ctx, Order, "order_no", "order_no")
        records = [row.record for row in rows if row.ok]
        due = due_dates(
            invoice_date=[record["invoice_date"] for record in records],
            due_date=[record["due_date"] for record in records],
            account_id=[record["account_id"] for record in records],
            terms=self.terms,
        )
        for record, day in zip(records, due, strict=True):
            record["due_date"] = day
        wanted = [row.record["order_no"] for row in rows if row.ok and row.record["order_no"]]
        orders = ids_by_key(Order, "external_id", wanted, source=ctx.source)
        for row in rows:
            if row.ok:
                order_no = row.record["order_no"]
                row.record["order_id"] = orders.get(order_no) if order_no else None
                if order_no and row.record["order_id"] is None:
                    row.reject(ctx.header("order_no"), order_no,
                               _("unknown order number: import the order first"))  # fmt: skip
        self.invoices.upsert(
            [(row, row.record) for row in rows if row.ok], ctx, scope={"source": ctx.source}
        )


KIND = InvoicesKind
