"""The ledger from the ERP (orders, invoices, payments, cost to serve) and the per-account
aggregates that are kept current when it is written.

Every ledger table carries account_id, so the tables can be sharded by account (Citus)
without changing the app, and aggregates never need a join to find the account.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from openkam.common.models import CurrencyField, ExternalRow, MoneyField, TimeStamped
from openkam.common.money import UNIT_PLACES


def external_unique(model: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["source", "external_id"],
        condition=~models.Q(external_id=""),
        name=f"{model}_external_id_unique",
    )


class Product(ExternalRow, TimeStamped):
    sku = models.CharField(_("SKU"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    family = models.CharField(_("product family"), max_length=100, blank=True, db_index=True)
    unit = models.CharField(_("unit"), max_length=20, default="pcs")
    # Unit values keep the ERP's precision (common.money.UNIT_PLACES), amounts have cents.
    standard_cost = MoneyField(_("standard cost"), decimal_places=UNIT_PLACES)
    list_price = MoneyField(_("list price"), decimal_places=UNIT_PLACES)
    currency = CurrencyField()

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["sku"]
        constraints = [external_unique("product")]

    def __str__(self) -> str:
        return f"{self.sku} {self.name}"


class Order(ExternalRow):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DELIVERED = "delivered", _("Delivered")
        CANCELLED = "cancelled", _("Cancelled")

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("account"),
        db_index=False,
    )
    order_no = models.CharField(_("order number"), max_length=60)
    order_date = models.DateField(_("order date"))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DELIVERED
    )
    currency = CurrencyField()
    # A return or credit note (红字) names the order it reverses when the file does; the
    # database's default too, for writers that leave it out (the API).
    original_order_no = models.CharField(
        _("original order"), max_length=60, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ["-order_date"]
        constraints = [external_unique("order")]
        indexes = [models.Index(fields=["account", "order_date"])]

    def __str__(self) -> str:
        return self.order_no


class OrderLine(ExternalRow):
    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        related_name="order_lines",
        verbose_name=_("account"),
    )
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("product")
    )
    line_no = models.PositiveIntegerField(_("line"), default=1)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=3)
    unit_price = MoneyField(_("unit price"), decimal_places=UNIT_PLACES)
    unit_cost = MoneyField(_("unit cost"), decimal_places=UNIT_PLACES)
    # Net of VAT: revenue, margins and CLV read it. The VAT of the line lives beside it (a file
    # that gives amounts with VAT is split on import, ledger.vat); a negative line is a return
    # or a credit note (红字) and reduces revenue in the month of its order.
    amount = MoneyField(_("amount"))
    cost = MoneyField(_("cost"))
    currency = CurrencyField()
    # The database's defaults too: writers that do not know VAT (the API) leave them out.
    tax_rate = models.DecimalField(
        _("VAT rate"), max_digits=5, decimal_places=4, null=True, blank=True,
        help_text=_("A fraction: 0.1300 for 13 %."),
    )  # fmt: skip
    tax_amount = MoneyField(_("VAT"), db_default=Decimal("0"))
    # A line the file gives in another currency is stored in the company's (amount, unit price
    # and VAT converted, ledger.currency); the file's currency and net amount are kept here.
    original_currency = models.CharField(
        _("original currency"), max_length=3, blank=True, default="", db_default=""
    )
    original_amount = MoneyField(
        _("original amount"), null=True, blank=True, default=None,
        help_text=_("The net amount in the original currency."),
    )  # fmt: skip
    promised_date = models.DateField(_("promised delivery"), null=True, blank=True)
    delivered_date = models.DateField(_("delivered"), null=True, blank=True)
    delivered_quantity = models.DecimalField(
        _("delivered quantity"), max_digits=14, decimal_places=3, null=True, blank=True
    )

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        constraints = [external_unique("orderline")]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line_no}"

    @property
    def is_on_time(self) -> bool | None:
        if self.promised_date is None or self.delivered_date is None:
            return None
        return self.delivered_date <= self.promised_date


class ConvertedDocument(models.Model):
    """An invoice or a payment given in another currency is stored in the company's
    (``ledger.currency.document_in_company_currency``, by the import and the API alike); its
    own currency, amount and the rate used are kept here (原币 / 原币金额 / 汇率)."""

    original_currency = models.CharField(
        _("original currency"), max_length=3, blank=True, default="", db_default=""
    )
    original_amount = MoneyField(
        _("original amount"), null=True, blank=True, default=None,
        help_text=_("The amount in the original currency."),
    )  # fmt: skip
    exchange_rate = models.DecimalField(
        _("exchange rate"), max_digits=16, decimal_places=6, null=True, blank=True,
        default=None, help_text=_("Company currency per unit of the original currency."),
    )  # fmt: skip

    class Meta:
        abstract = True


class Invoice(ConvertedDocument, ExternalRow):
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        related_name="invoices",
        verbose_name=_("account"),
        db_index=False,
    )
    order = models.ForeignKey(
        Order,
        verbose_name=_("order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invoices",
        db_index=False,
    )
    invoice_no = models.CharField(_("invoice number"), max_length=60)
    invoice_date = models.DateField(_("invoice date"))
    due_date = models.DateField(_("due date"))
    amount = MoneyField(_("amount"))
    currency = CurrencyField()

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-invoice_date"]
        constraints = [external_unique("invoice")]
        indexes = [models.Index(fields=["account", "invoice_date"])]

    def __str__(self) -> str:
        return self.invoice_no


class Payment(ConvertedDocument, ExternalRow):
    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("account"),
        db_index=False,
    )
    invoice = models.ForeignKey(
        Invoice,
        verbose_name=_("invoice"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payments",
        db_index=False,
    )
    payment_date = models.DateField(_("payment date"))
    amount = MoneyField(_("amount"))
    currency = CurrencyField()
    reference = models.CharField(_("reference"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-payment_date"]
        constraints = [external_unique("payment")]
        indexes = [models.Index(fields=["account", "payment_date"])]

    def __str__(self) -> str:
        return f"{self.payment_date} {self.amount}"


class CostToServe(ExternalRow):
    class Kind(models.TextChoices):
        DIRECT = "direct", _("Direct")
        INDIRECT = "indirect", _("Indirect (cost to serve)")

    class Category(models.TextChoices):
        FREIGHT = "freight", _("Freight and logistics")
        INSTALLATION = "installation", _("Installation support")
        SALES = "sales", _("Sales and account team")
        SERVICE = "service", _("After-sales service")
        REBATE = "rebate", _("Rebates and discounts")
        FINANCING = "financing", _("Financing of receivables")
        TRAINING = "training", _("Customer training")
        OTHER = "other", _("Other")

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.PROTECT,
        related_name="costs_to_serve",
        verbose_name=_("account"),
        db_index=False,
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # The month within the year when the cost belongs to one (a service case's, the month it
    # was resolved); empty for a cost of the whole year.
    month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, choices=[(m, str(m)) for m in range(1, 13)]
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    amount = MoneyField(_("amount"))
    currency = CurrencyField()
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cost to serve")
        verbose_name_plural = _("costs to serve")
        constraints = [external_unique("costtoserve")]
        indexes = [models.Index(fields=["account", "year"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.year} {self.category}"


class AccountMonth(models.Model):
    """Revenue, cost and counts per account and calendar month, kept current on write.

    Analytics and dashboards read this table, never the order lines, so their cost grows
    with accounts and months, not with ledger rows.
    """

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("account"),
        db_index=False,
    )
    month = models.DateField(_("month"))
    revenue = MoneyField(_("revenue"))
    cost = MoneyField(_("cost"))
    quantity = models.DecimalField(_("quantity"), max_digits=18, decimal_places=3, default=0)
    order_count = models.PositiveIntegerField(_("orders"), default=0)
    line_count = models.PositiveIntegerField(_("order lines"), default=0)

    class Meta:
        verbose_name = _("account month")
        verbose_name_plural = _("account months")
        constraints = [
            models.UniqueConstraint(fields=["account", "month"], name="account_month_once")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m}"

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost


class AccountDeliveryMonth(models.Model):
    """Order lines promised per account and month of the promised date: how many were due and
    how many were delivered in full by that date (the on-time-in-full rate, KPI 10). Kept with
    AccountMonth (ledger.services.aggregates_rebuild), so the KPI reads a row per account and
    month instead of every order line. Every line with a promised date counts, whatever its
    order's status, as the row-level rule does (performance.kpis.ON_TIME_IN_FULL)."""

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("account"),
        db_index=False,
    )
    month = models.DateField(_("promised month"))
    lines_due = models.PositiveIntegerField(_("lines promised"), default=0)
    lines_on_time = models.PositiveIntegerField(_("lines delivered in full on time"), default=0)

    class Meta:
        verbose_name = _("account delivery month")
        verbose_name_plural = _("account delivery months")
        constraints = [
            models.UniqueConstraint(fields=["account", "month"], name="account_delivery_month_once")
        ]
        indexes = [models.Index(fields=["month"], name="delivery_month_month")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.month:%Y-%m}"


class AccountPurchaseDay(models.Model):
    """One row per account and day with a purchase: the transactions of the purchase models
    (same-day orders count once, as in Fader, Hardie & Lee 2005)."""

    account = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("account"),
        db_index=False,
    )
    day = models.DateField(_("day"))
    revenue = MoneyField(_("revenue"))
    cost = MoneyField(_("cost"))

    class Meta:
        verbose_name = _("purchase day")
        verbose_name_plural = _("purchase days")
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="account_day_once")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.day}"
