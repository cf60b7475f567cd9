"""Invoices (销售发票 / 开票记录): keyed by invoice number within the source."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.accounts.models import Account
from openkam.imports.kinds import base
from openkam.imports.kinds.base import Column, Context, ImportKind, Row
from openkam.imports.writing import TableWriter, ids_by_key
from openkam.ledger.models import Invoice, Order

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
    Column("amount", gettext_lazy("amount"),
           ("金额", "发票金额", "价税合计", "开票金额", "amount", "invoice amount"), base.money(),
           required=True),
    Column("order_no", gettext_lazy("order number"),
           ("订单号", "订单编号", "销售订单号", "order no", "order number", "sales order"),
           base.key),
    *base.CUSTOMER_COLUMNS,
    Column("currency", gettext_lazy("currency"), ("币种", "币别", "currency"), base.currency),
)  # fmt: skip

FIELDS = ("account_id", "order_id", "invoice_no", "invoice_date", "due_date", "amount", "currency")


class InvoicesKind(ImportKind):
    name = "invoices"
    columns = COLUMNS
    one_of = (base.CUSTOMER_ONE_OF,)

    def __init__(self) -> None:
        self.invoices = TableWriter(
            Invoice, key="external_id", fields=FIELDS, key_field="invoice_no"
        )
        self.terms: dict[int, int] = {}

    def build(self, row: Row, ctx: Context) -> None:
        v = row.values
        account_id = base.resolve_customer(row, ctx)
        if account_id is None:
            return
        due = v.get("due_date") or v["invoice_date"] + dt.timedelta(days=self._terms(account_id))
        row.record = {
            "external_id": v["invoice_no"],
            "account_id": account_id,
            "order_no": v.get("order_no", ""),
            "invoice_no": v["invoice_no"],
            "invoice_date": v["invoice_date"],
            "due_date": due,
            "amount": v["amount"],
            "currency": v.get("currency") or base.currency(""),
        }

    def _terms(self, account_id: int) -> int:
        if account_id not in self.terms:
            self.terms[account_id] = (
                Account.objects.filter(pk=account_id).values_list("payment_terms_days", flat=True)
            ).get()
        return self.terms[account_id]

    def write(self, rows: Sequence[Row], ctx: Context) -> None:
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
