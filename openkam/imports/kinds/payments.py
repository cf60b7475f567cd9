"""Payments received (回款 / 收款单): keyed by the payment's number within the source."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from openkam.imports.kinds import base
from openkam.imports.kinds.base import Column, Context, ImportKind, Row
from openkam.imports.writing import TableWriter
from openkam.ledger.models import Invoice, Payment
from openkam.ledger.upsert import PAYMENT_FIELDS, ids_by_key

COLUMNS = (
    Column("payment_no", gettext_lazy("payment number"),
           ("回款单号", "收款单号", "收款单编号", "回款编号", "凭证号", "payment no",
            "payment number", "payment id", "receipt no", "belnr"),
           base.key, required=True),
    Column("payment_date", gettext_lazy("payment date"),
           ("回款日期", "收款日期", "到账日期", "payment date", "receipt date", "budat"),
           base.date, required=True),
    Column("amount", gettext_lazy("amount"),
           ("回款金额", "收款金额", "金额", "amount", "payment amount", "received"),
           base.money(), required=True),
    Column("invoice_no", gettext_lazy("invoice number"),
           ("发票号", "发票号码", "核销发票号", "invoice no", "invoice number", "invoice"),
           base.key),
    *base.CUSTOMER_COLUMNS,
    Column("reference", pgettext_lazy("payment", "reference"),
           ("摘要", "备注", "银行流水号", "reference", "memo", "note"), base.text(100)),
    # In another currency: stored in the company's, its own kept beside (base.Converted).
    *base.CURRENCY_COLUMNS,
)  # fmt: skip

FIELDS = PAYMENT_FIELDS


class PaymentsKind(ImportKind):
    name = "payments"
    columns = COLUMNS
    one_of = (base.CUSTOMER_ONE_OF,)

    def __init__(self) -> None:
        self.payments = TableWriter(
            Payment, key="external_id", fields=FIELDS, key_field="payment_no"
        )
        self.converted = base.Converted()

    def build(self, row: Row, ctx: Context) -> None:
        v = row.values
        stored = self.converted(row, ctx, v["amount"])
        if stored is None:
            return
        account_id = base.resolve_customer(row, ctx)
        if account_id is None:
            return
        row.record = {
            "external_id": v["payment_no"],
            "account_id": account_id,
            "invoice_no": v.get("invoice_no", ""),
            "payment_date": v["payment_date"],
            **stored.values(),
            "reference": v.get("reference", ""),
        }

    def notes(self) -> list[str]:
        return self.converted.notes()

    def write(self, rows: Sequence[Row], ctx: Context) -> None:
        base.refuse_others(rows, ctx, Payment, "external_id", "payment_no")
        base.refuse_others(rows, ctx, Invoice, "invoice_no", "invoice_no")
        wanted = [row.record["invoice_no"] for row in rows if row.ok and row.record["invoice_no"]]
        invoices = ids_by_key(Invoice, "external_id", wanted, source=ctx.source)
        for row in rows:
            if row.ok:
                invoice_no = row.record["invoice_no"]
                row.record["invoice_id"] = invoices.get(invoice_no) if invoice_no else None
                if invoice_no and row.record["invoice_id"] is None:
                    row.reject(ctx.header("invoice_no"), invoice_no,
                               _("unknown invoice number: import the invoice first"))  # fmt: skip
        self.payments.upsert(
            [(row, row.record) for row in rows if row.ok], ctx, scope={"source": ctx.source}
        )


KIND = PaymentsKind
