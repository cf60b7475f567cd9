"""Orders, one order line per row (销售订单明细): the order's header repeats on each of its lines.

Key of an order: its number (within the source). Key of a line: the line ID when the file has
one, else order number / line number, else order number / SKU.
"""

from __future__ import annotations

from decimal import Decimal
from operator import itemgetter
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.imports.kinds import base
from openkam.imports.kinds.base import (
    OUTCOME,
    REJECTION,
    UNCHANGED,
    UPDATED,
    Batch,
    Column,
    Context,
    ImportKind,
    RowRejected,
    has_none,
)
from openkam.imports.matching import rejected
from openkam.imports.writing import TableWriter
from openkam.ledger.currency import lines_in_company_currency
from openkam.ledger.lines import line_key as ledger_line_key
from openkam.ledger.lines import lines_derive
from openkam.ledger.models import Order, OrderLine, Product
from openkam.ledger.upsert import (
    CHUNK,
    LINE_CURRENCY_FIELDS,
    LINE_FIELDS,
    LINE_TAX_FIELDS,
    ORDER_FIELDS,
    ORDER_RETURN_FIELDS,
)
from openkam.ledger.vat import DEFAULT_RATE, lines_net_of_vat
from openkam.portfolio.models import PortfolioSettings

LINE_WRITTEN = (*LINE_FIELDS, *LINE_TAX_FIELDS, *LINE_CURRENCY_FIELDS)
ORDER_WRITTEN = (*ORDER_FIELDS, *ORDER_RETURN_FIELDS)

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
           base.line_quantity, required=True),
    Column("unit_price", gettext_lazy("unit price"),
           ("单价", "无税单价", "不含税单价", "unit price", "price", "net price"), base.unit_money),
    Column("amount", gettext_lazy("amount"),
           ("金额", "无税金额", "不含税金额", "销售金额", "amount", "net value", "netwr"),
           base.money()),
    # With VAT: stored net of it (ledger.vat), the VAT beside the net amount.
    Column("gross_unit_price", gettext_lazy("unit price with VAT"),
           ("含税单价", "含税价", "unit price incl. tax", "gross price"), base.unit_money),
    Column("gross_amount", gettext_lazy("amount with VAT"),
           ("价税合计", "含税金额", "amount incl. tax", "gross amount", "gross value"),
           base.money()),
    Column("tax_rate", gettext_lazy("VAT rate"),
           ("税率", "税率(%)", "税率%", "增值税税率", "tax rate", "vat rate"), base.tax_rate),
    Column("tax_amount", gettext_lazy("VAT"), ("税额", "增值税额", "tax amount", "vat amount"),
           base.money()),
    Column("includes_tax", gettext_lazy("prices include VAT"),
           ("价格含税", "是否含税", "prices include tax"), base.flag(("含税",), ("不含税",))),
    Column("original_order_no", gettext_lazy("original order"),
           ("原订单号", "原单号", "退货原单号", "original order", "original order no"), base.key),
    Column("red_letter", gettext_lazy("red letter"), ("红蓝字", "红字", "红蓝标志", "red letter"),
           base.flag(("红字", "红", "红单", "red"), ("蓝字", "蓝", "蓝单", "blue"))),
    Column("unit_cost", gettext_lazy("unit cost"), ("单位成本", "成本单价", "unit cost"),
           base.unit_money),
    Column("cost", gettext_lazy("cost"), ("成本", "销售成本", "成本金额", "cost", "cogs"),
           base.money()),
    Column("currency", gettext_lazy("currency"),
           ("币种", "币别", "原币", "原币币种", "原币币别", "currency", "waerk"), base.currency),
    # In another currency: converted to the company's (ledger.currency), the original kept.
    Column("exchange_rate", gettext_lazy("exchange rate"),
           ("汇率", "折本汇率", "exchange rate", "kursk"), base.exchange_rate),
    Column("local_amount", gettext_lazy("amount in company currency"),
           ("本币金额", "本位币金额", "本币无税金额", "amount in local currency"), base.money()),
    Column("local_currency", gettext_lazy("company currency"),
           ("本位币", "本币", "本位币币别", "local currency", "hwaer"), base.currency),
    Column("status", gettext_lazy("status"), ("状态", "订单状态", "status"),
           base.choice(STATUS_WORDS)),
    Column("promised_date", gettext_lazy("promised delivery"),
           ("承诺交期", "交货日期", "要求交货日期", "promised date", "delivery date"), base.date),
    Column("delivered_date", gettext_lazy("delivered"),
           ("实际交货日期", "发货日期", "出库日期", "delivered date", "ship date"), base.date),
    Column("delivered_quantity", gettext_lazy("delivered quantity"),
           ("已发货数量", "发货数量", "delivered quantity"), base.quantity),
)  # fmt: skip

DELIVERED = str(Order.Status.DELIVERED.value)
PRICED = ("unit_price", "amount", "gross_unit_price", "gross_amount")  # one of them, at least
VAT_FIELDS = ("gross_unit_price", "gross_amount", "tax_rate", "tax_amount", "includes_tax")
# A red-letter line (红字) given with positive figures: these turn negative.
SIGNED = ("quantity", "amount", "gross_amount", "tax_amount", "cost", "delivered_quantity",
          "local_amount")  # fmt: skip
NO_TAX = Decimal("0.00")
NO_COST = "no_cost"  # a run's warning: lines booked at 100 % margin


class OrdersKind(ImportKind):
    name = "orders"
    columns = COLUMNS
    one_of = (base.CUSTOMER_ONE_OF, PRICED)
    rebuilds_aggregates = True

    def __init__(self) -> None:
        self.orders = TableWriter(
            Order, key="external_id", fields=ORDER_WRITTEN, key_field="order_no"
        )
        self.lines = TableWriter(
            OrderLine, key="external_id", fields=LINE_WRITTEN, key_field="order_no"
        )
        self.currency = base.currency("")  # the default, read from the settings once per run
        self.default_rate: Decimal | None = None  # the company's, read on the first batch
        # Lines stored (or found unchanged) with an amount and no cost: 100 % margin.
        self.uncosted_lines = 0
        self.uncosted_amount = Decimal(0)

    def apply(self, batch: Batch, ctx: Context) -> None:
        """Column by column: the products and customers of the batch looked up once each, the
        derived values computed only where the file leaves them out, then ``write``."""
        if self.default_rate is None:
            self.default_rate = PortfolioSettings.current().default_vat_rate
        ok_rows = batch.ok
        if ok_rows:
            skus = batch.columns["sku"]
            products_load(ctx, set(skus))
            products = list(map(ctx.product_cache.__getitem__, skus))
            if has_none(products):
                message = _("unknown SKU: import the product first")
                for row, sku, product in zip(ok_rows, skus, products, strict=True):
                    if product is None:
                        row.reject(ctx.header("sku"), sku, message)
            self._customers(batch, ctx)
            batch.columns["product"] = products
            batch.keep_ok()
        if batch.ok:
            self._priced(batch, ctx)
        if batch.ok and "local_currency" in batch.columns:
            self._local_currency(batch, ctx)
        if batch.ok:
            self._derive(batch)
        self.write(batch, ctx)

    def _priced(self, batch: Batch, ctx: Context) -> None:
        """A line needs a price or an amount, with or without VAT (the rest is derived): a row
        with every one of those cells empty is rejected, naming the column the file has."""
        given = [batch.column(name) for name in PRICED]
        if not all(map(has_none, given)):
            return
        column = ctx.header(next((name for name in PRICED if name in ctx.headers), "amount"))
        message = _("a unit price or an amount is required")
        for row, *values in zip(batch.ok, *given, strict=True):
            if values.count(None) == len(values):
                row.reject(column, "", message)
        batch.keep_ok()

    def _local_currency(self, batch: Batch, ctx: Context) -> None:
        """A file whose local currency (本位币) is not the company's: its local amounts cannot be
        used, the row is rejected naming it."""
        message = _("the company currency is %(currency)s") % {"currency": self.currency}
        for row, local in zip(batch.ok, batch.columns["local_currency"], strict=True):
            if local != self.currency:
                row.reject(ctx.header("local_currency"), local, message)
        batch.keep_ok()

    def _customers(self, batch: Batch, ctx: Context) -> None:
        """account_id of every row (every ok row is resolved, even one whose SKU is unknown,
        as a pending match counts the rows waiting for it); a row whose customer is not
        certain is rejected."""
        fields = ("customer_code", "customer_name", "credit_code")
        read = [batch.column(f, "") for f in fields]
        found = ctx.accounts.resolve_column(*read)
        if rejected(found):
            for at, (row, account) in enumerate(zip(batch.ok, found, strict=True)):
                if isinstance(account, RowRejected):
                    value = read[fields.index(account.column)][at] if (
                        account.column in fields
                    ) else ""  # fmt: skip
                    text = "" if value is None else str(value)
                    row.reject(ctx.header(account.column), text, account.reason)
        batch.columns["account_id"] = found

    def _derive(self, batch: Batch) -> None:
        """The lines' values: the file's, else derived from the others (the amount from the
        quantity and price, the unit cost from the cost or the product's standard cost ...),
        a whole column at once where the file leaves the field out everywhere."""
        c = batch.columns
        n = len(c["quantity"])
        currency = (
            [x or self.currency for x in c["currency"]] if "currency" in c else [self.currency] * n
        )
        if "red_letter" in c:
            self._red_letter(c)
        unit_price, amount = batch.column("unit_price"), batch.column("amount")
        tax_amount: list[Decimal] = [NO_TAX] * n
        tax_rate: list[Decimal | None] = [None] * n
        if any(name in c for name in VAT_FIELDS):
            net = lines_net_of_vat(
                quantity=c["quantity"], unit_price=unit_price, amount=amount,
                gross_unit_price=batch.column("gross_unit_price"),
                gross_amount=batch.column("gross_amount"), tax_amount=batch.column("tax_amount"),
                tax_rate=batch.column("tax_rate"), includes_tax=batch.column("includes_tax"),
                currency=currency, default_rate=self.default_rate or DEFAULT_RATE,
            )  # fmt: skip
            unit_price, amount = net.unit_price, net.amount
            tax_amount, tax_rate = net.tax_amount, net.tax_rate
        derived = lines_derive(
            quantity=c["quantity"],
            unit_price=unit_price,
            amount=amount,
            unit_cost=batch.column("unit_cost"),
            cost=batch.column("cost"),
            standard_cost=list(map(itemgetter(1), c["product"])),
            currency=currency,
        )
        unit_price, amount = derived.unit_price, derived.amount
        original_currency: list[str] = [""] * n
        original_amount: list[Decimal | None] = [None] * n
        if "exchange_rate" in c or "local_amount" in c:
            company = self.currency
            local = lines_in_company_currency(
                company=company, currency=currency, quantity=c["quantity"],
                unit_price=unit_price, amount=amount, tax_amount=tax_amount,
                exchange_rate=batch.column("exchange_rate"),
                local_amount=batch.column("local_amount"),
            )  # fmt: skip
            unit_price, amount, tax_amount = local.unit_price, local.amount, local.tax_amount
            currency = local.currency
            original_currency, original_amount = local.original_currency, local.original_amount
        status = [x or DELIVERED for x in c["status"]] if "status" in c else [DELIVERED] * n
        order_no, line_no, skus = c["order_no"], batch.column("line_no"), c["sku"]
        numbered = not has_none(line_no) and 0 not in line_no
        if "line_id" not in c and numbered:
            line_key = list(map("{}/{}".format, order_no, line_no))
        else:
            line_key = [
                ledger_line_key(o, number, given, sku)
                for given, o, number, sku in zip(
                    batch.column("line_id"), order_no, line_no, skus, strict=True
                )
            ]
        c.update(
            unit_price=unit_price, amount=amount, unit_cost=derived.unit_cost,
            original_currency=original_currency, original_amount=original_amount,
            cost=derived.cost, currency=currency, tax_amount=tax_amount, tax_rate=tax_rate,
            status=status, line_key=line_key,
            line_no=line_no if numbered else [number or 1 for number in line_no],
            product_id=list(map(itemgetter(0), c["product"])),
        )  # fmt: skip
        for name in ("promised_date", "delivered_date", "delivered_quantity"):
            c[name] = batch.column(name)
        c["original_order_no"] = batch.column("original_order_no", "")

    def warnings(self) -> list[dict[str, Any]]:
        """Lines without a cost (no unit cost, no cost, no standard cost of their product):
        their margin counts as 100 % (the account's alert "order lines without cost" too). The
        run's page words it in the reader's language, the amount as money."""
        if not self.uncosted_lines:
            return []
        return [{"kind": NO_COST, "lines": self.uncosted_lines,
                 "amount": str(self.uncosted_amount)}]  # fmt: skip

    @staticmethod
    def _red_letter(c: dict[str, list[Any]]) -> None:
        """A line marked red (红字) whose figures are positive is a return: they turn negative
        (a file that writes them negative already is left as it is)."""
        red = c["red_letter"]
        for name in SIGNED:
            if name in c:
                c[name] = [-v if flag and v is not None and v > 0 else v
                           for v, flag in zip(c[name], red, strict=True)]  # fmt: skip

    def write(self, batch: Batch, ctx: Context) -> None:  # type: ignore[override]
        """The orders of the batch (each distinct header once), then its lines."""
        self._others_orders(batch, ctx)
        scope = {"source": ctx.source}
        c = batch.columns
        rows = batch.ok
        headers = list(zip(*(c[f] for f in ORDER_WRITTEN), strict=True)) if rows else []
        # Each distinct (order, header) once, carried by its first row: the other rows of the
        # same order and header have the same outcome or rejection as that row.
        first = dict(zip(reversed(headers), range(len(headers) - 1, -1, -1), strict=True))
        carriers = sorted(first.values())
        order_ids = self.orders.upsert_columns(
            [rows[at] for at in carriers],
            [str(headers[at][1]) for at in carriers],
            [[headers[at][i] for at in carriers] for i in range(len(ORDER_WRITTEN))],
            ctx,
            scope=scope,
        )
        updated = {id(rows[at]) for at in carriers if rows[at].outcome == UPDATED}
        if len(carriers) < len(rows) and any(rows[at].rejection for at in carriers):
            for row, header in zip(rows, headers, strict=True):
                carrier = rows[first[header]]
                if carrier.rejection is not None:
                    row.rejection = carrier.rejection
        batch.keep_ok()
        rows = batch.ok
        if not rows:
            return
        c["order_id"] = list(map(order_ids.__getitem__, c["order_no"]))
        self.lines.upsert_columns(
            rows, c["line_key"], [c[f] for f in LINE_WRITTEN], ctx, scope=scope, want_ids=False
        )
        if 0 in c["unit_cost"]:
            for row, unit_cost, amount in zip(rows, c["unit_cost"], c["amount"], strict=True):
                if not unit_cost and amount > 0 and row.ok:
                    self.uncosted_lines += 1
                    self.uncosted_amount += amount
        if updated:
            for row in rows:
                if row.ok and id(row) in updated:
                    row.outcome = UPDATED
        if UNCHANGED in map(OUTCOME, rows) or any(map(REJECTION, rows)):
            ctx.touched_accounts.update(
                account
                for row, account in zip(rows, c["account_id"], strict=True)
                if row.ok and row.outcome != UNCHANGED
            )
        else:  # every row inserted or updated
            ctx.touched_accounts.update(c["account_id"])

    def _others_orders(self, batch: Batch, ctx: Context) -> None:
        """A KAM's or a director's import: the rows of an order already stored for an account
        they may not write are rejected (the order would move to the row's customer)."""
        scope = ctx.accounts.scope
        if scope.writable is None or not batch.ok:
            return
        numbers = batch.columns["order_no"]
        stored = Order.objects.filter(source=ctx.source, external_id__in=set(numbers))
        theirs = {n for n, pk in stored.values_list("external_id", "account_id")
                  if not scope.allows(pk)}  # fmt: skip
        if not theirs:
            return
        column = "order_no" if "order_no" in ctx.headers else "customer_code"
        reason = _("this order is stored for an account you may not write")
        for row, number in zip(batch.ok, numbers, strict=True):
            if number in theirs:
                row.reject(ctx.header(column), number, reason)
        batch.keep_ok()


def products_load(ctx: Context, skus: set[str]) -> None:
    """Put the SKUs the cache does not know yet in it, a query per CHUNK of them (None for
    unknown SKUs), so the rows of a batch do not look their products up one by one."""
    wanted = sorted(skus - ctx.product_cache.keys())
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        ctx.product_cache.update(dict.fromkeys(chunk))
        found = Product.objects.filter(sku__in=chunk).values_list("sku", "pk", "standard_cost")
        ctx.product_cache.update((sku, (pk, cost)) for sku, pk, cost in found)


KIND = OrdersKind
