"""Transactions (销售流水 / 交易明细): the least an ERP or a shop can export, a customer, a date
and an amount per row (quantity and product optional), as in the CDNOW sample
(``customer_id, date, cds, amount``).

The rows become the ledger's orders, as the orders kind stores them: one order per customer and
date (its number is the customer's key and the date, "00004 1997-01-01"), each row one line
of it, numbered in the order of the file (the key "order/line"). A customer no account matches
(by key, credit code or name) becomes a new account, keyed by its code (or name) for the next
files; a customer that only resembles an account still waits for a person (imports' matches).
The accounts a KAM's file creates are the KAM's (their team, themselves as owner); a
director's, their team's; an analyst's or an executive's belong to no team (the assign page).
A product code the catalogue does not know becomes a product (named by the file, else by its
code); rows without a product are booked on one product "not given". A row without a quantity
is one unit. Neither has a cost unless the file gives one: the run says so (100 % margin).

Re-importing the same file changes nothing: the same customer, date and position within that
order give the same keys and values. Memory grows with the orders of the file (a line counter
per order), never with its rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from openkam.accounts.models import Account
from openkam.imports.kinds import base
from openkam.imports.kinds.base import Batch, Column, Context, RowRejected
from openkam.imports.kinds.orders import OrdersKind, products_load
from openkam.imports.matching import NoMatch, customer_key
from openkam.ledger.models import Product
from openkam.portfolio.models import PortfolioSettings

# The product of the rows that name none (a shop's receipts, the CDNOW sample).
NOT_GIVEN = "UNSPECIFIED"
ONE = Decimal("1.000")
ORDER_NO_CHARS = 60
CUSTOMER_CHARS = 48  # of the order number: the rest is the date

COLUMNS = (
    *base.CUSTOMER_COLUMNS,
    Column("date", gettext_lazy("date"),
           ("日期", "交易日期", "销售日期", "业务日期", "单据日期", "订单日期", "下单日期",
            "date", "transaction date", "order date", "sale date"),
           base.date, required=True),
    Column("amount", gettext_lazy("amount"),
           ("金额", "销售金额", "交易金额", "销售额", "成交金额", "amount", "sales", "revenue",
            "sales amount", "value"),
           base.money(), required=True),
    Column("quantity", gettext_lazy("quantity"), ("数量", "销售数量", "件数", "quantity", "qty",
                                                  "units"), base.line_quantity),
    Column("sku", gettext_lazy("product code"),
           ("产品编码", "物料编码", "存货编码", "商品编码", "sku", "product code", "item code",
            "product id"),
           base.key),
    Column("product_name", gettext_lazy("product name"),
           ("产品名称", "商品名称", "存货名称", "物料名称", "品名", "product name", "item name",
            "product"),
           base.text(200)),
    Column("cost", gettext_lazy("cost"), ("成本", "销售成本", "成本金额", "cost", "cogs"),
           base.money()),
    Column("currency", gettext_lazy("currency"), ("币种", "币别", "原币", "currency"),
           base.currency),
    Column("exchange_rate", gettext_lazy("exchange rate"), ("汇率", "折本汇率", "exchange rate"),
           base.exchange_rate),
    Column("local_amount", gettext_lazy("amount in company currency"),
           ("本币金额", "本位币金额", "amount in local currency"), base.money()),
)  # fmt: skip


def order_number(key: str, day: Any) -> str:
    """The order of a customer's day: its key and the date, the key shortened (with a digest,
    so two long keys stay apart) when it would not fit."""
    if len(key) > CUSTOMER_CHARS:
        digest = hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()[:8]
        key = f"{key[: CUSTOMER_CHARS - 9]}~{digest}"
    return f"{key} {day.isoformat()}"[:ORDER_NO_CHARS]


class TransactionsKind(OrdersKind):
    name = "transactions"
    columns = COLUMNS  # type: ignore[assignment]
    one_of = (base.CUSTOMER_ONE_OF,)  # type: ignore[assignment]
    rebuilds_aggregates = True

    def __init__(self) -> None:
        super().__init__()
        self.lines_of: dict[str, int] = {}  # order number -> lines numbered so far
        self.created_accounts = 0
        self.created_products = 0

    def apply(self, batch: Batch, ctx: Context) -> None:
        """The rows made into order lines (order number, line number, product, quantity), then
        stored as the orders kind stores its lines."""
        if self.default_rate is None:
            self.default_rate = PortfolioSettings.current().default_vat_rate
        if batch.ok:
            self._customers(batch, ctx)
            batch.keep_ok()
        if batch.ok:
            self._as_lines(batch, ctx)
            self._derive(batch)
        self.write(batch, ctx)

    def _customers(self, batch: Batch, ctx: Context) -> None:
        """account_id of every row, creating the accounts of the customers nothing matches; a
        customer that resembles an account is rejected until a person decides."""
        fields = ("customer_code", "customer_name", "credit_code")
        read = [batch.column(f, "") for f in fields]
        if any(not any(customer) for customer in zip(*read, strict=True)):
            column = ctx.header(next(f for f in fields if f in ctx.headers))
            for row, *customer in zip(batch.ok, *read, strict=True):
                if not any(customer):
                    row.reject(column, "", _("a value is required"))
            batch.keep_ok()
            read = [batch.column(f, "") for f in fields]
        found = ctx.accounts.resolve_column(*read)
        customers = list(zip(*read, strict=True))
        new = [
            customer
            for customer, account in dict(zip(customers, found, strict=True)).items()
            if isinstance(account, NoMatch)
        ]
        if new:
            self._create_accounts(new, ctx)
            found = [ctx.accounts.cache[customer] for customer in customers]
        for at, (row, account) in enumerate(zip(batch.ok, found, strict=True)):
            if isinstance(account, RowRejected):
                value = read[fields.index(account.column)][at] if account.column in fields else ""
                row.reject(ctx.header(account.column), str(value or ""), account.reason)
        batch.columns["account_id"] = found

    def _create_accounts(self, customers: list[tuple[str, str, str]], ctx: Context) -> None:
        """One account per distinct customer key (code, else name), named by the file (its
        code when it gives no name); the key remembered for the next files."""
        by_key: dict[str, tuple[str, str, str]] = {}
        for code, name, credit in customers:
            by_key.setdefault(customer_key(code, name) or credit, (code, name, credit))
        scope = ctx.accounts.scope  # a KAM's import: their team and themselves as owner
        accounts = [
            Account(legal_name=(name or code or credit)[:200], credit_code=credit,
                    team_id=scope.team_id, owner_id=scope.owner_id)
            for code, name, credit in by_key.values()
        ]  # fmt: skip
        # SQLite and PostgreSQL give the new rows their ids (RETURNING).
        created = bulk_create_with_history(accounts, Account, default_user=ctx.run.user)
        resolver = ctx.accounts
        for (key, (code, name, credit)), account in zip(by_key.items(), created, strict=True):
            resolver.add_account(account.pk, account.legal_name, "", credit)
            scope.add(account.pk)
            if code or name:
                resolver.by_key[key] = account.pk
                resolver.new_keys[key] = account.pk
        for customer in customers:
            code, name, credit = customer
            account_pk = resolver.by_key.get(customer_key(code, name)) or resolver.by_credit.get(
                credit
            )
            assert account_pk is not None
            resolver.cache[customer] = account_pk
        self.created_accounts += len(created)

    def _as_lines(self, batch: Batch, ctx: Context) -> None:
        c = batch.columns
        given = batch.column("sku", "")
        names = batch.column("product_name", "")
        skus = [sku or NOT_GIVEN for sku in given]
        self._products(skus, names, ctx)
        c["sku"] = skus
        c["product"] = list(map(ctx.product_cache.__getitem__, skus))
        c["quantity"] = [ONE if q is None else q for q in batch.column("quantity")]
        codes, customer_names = batch.column("customer_code", ""), batch.column("customer_name", "")
        credits = batch.column("credit_code", "")
        days = c["date"]
        order_no = [
            order_number(customer_key(code, name) or credit, day)
            for code, name, credit, day in zip(codes, customer_names, credits, days, strict=True)
        ]
        counted = self.lines_of
        line_no = []
        for number in order_no:
            counted[number] = counted.get(number, 0) + 1
            line_no.append(counted[number])
        c.update(order_no=order_no, line_no=line_no, order_date=days)
        del c["date"]

    def _products(self, skus: Sequence[str], names: Sequence[str], ctx: Context) -> None:
        """The batch's products in the cache, the unknown ones created (their name from the
        file, else the code; "not given" for rows without one), at no standard cost."""
        products_load(ctx, set(skus))
        wanted: dict[str, str] = {}
        for sku, name in zip(skus, names, strict=True):
            if ctx.product_cache.get(sku) is None and sku not in wanted:
                wanted[sku] = str(_("Product not given")) if sku == NOT_GIVEN else (name or sku)
        if not wanted:
            return
        Product.objects.bulk_create(
            [Product(sku=sku, name=name[:200], source=ctx.source, external_id=sku[:80])
             for sku, name in wanted.items()],
            ignore_conflicts=True,
        )  # fmt: skip
        for sku in wanted:
            ctx.product_cache.pop(sku, None)
        products_load(ctx, set(wanted))
        self.created_products += len(wanted)

    def notes(self) -> list[str]:
        """What the run created, for its page."""
        notes = super().notes()
        if self.created_accounts:
            notes.append(_("%(count)s new accounts created for customers no account matched")
                         % {"count": self.created_accounts})  # fmt: skip
        if self.created_products:
            notes.append(_("%(count)s new products created for product codes not in the "
                           "catalogue") % {"count": self.created_products})  # fmt: skip
        return notes


KIND = TransactionsKind
