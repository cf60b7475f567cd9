"""Back office for the ledger from the ERP and its per-account aggregates.

Ledger tables are big (10,000,000 order lines in the benchmarks): the changelists count
cheaply, take filter choices from recent rows, and pick related rows through autocomplete.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.db.models import DecimalField, ForeignKey, OuterRef, QuerySet, Subquery, Sum
from django.forms import BaseModelForm, BaseModelFormSet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from openkam.common.admin import (
    AccountColumnMixin,
    EstimatedCountPaginator,
    FieldWidthMixin,
    LabelledForeignKeysMixin,
    admin_change_link,
    recent_values_filter,
)
from openkam.common.money import amount_round
from openkam.ledger.models import (
    AccountDeliveryMonth,
    AccountMonth,
    AccountPurchaseDay,
    CostToServe,
    Invoice,
    Order,
    OrderLine,
    Payment,
    Product,
)
from openkam.ledger.services import aggregates_rebuild

EXTERNAL = ("source", "external_id")
SourceFilter = recent_values_filter("source", _("source system"))
CurrencyFilter = recent_values_filter("currency", _("currency"))
ACCOUNT_SEARCH = ("account__legal_name", "account__short_name", "account__credit_code")


class LedgerAdmin(AccountColumnMixin, FieldWidthMixin, LabelledForeignKeysMixin, admin.ModelAdmin):
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    # Facet counts run one aggregate per filter over millions of rows.
    show_facets = admin.ShowFacets.NEVER


@admin.register(Product)
class ProductAdmin(LedgerAdmin):
    list_display = (
        "sku",
        "name",
        "family",
        "unit",
        "standard_cost",
        "list_price",
        "currency",
        "source",
    )
    list_filter = ("family", "currency", "source")
    search_fields = ("sku", "name", "family", "external_id")
    ordering = ("sku",)
    fieldsets = (
        (None, {"fields": ("sku", "name", "family", "unit")}),
        (_("Prices"), {"fields": ("standard_cost", "list_price", "currency")}),
        (_("Origin"), {"fields": (*EXTERNAL, "created_at", "updated_at")}),
    )
    readonly_fields = ("created_at", "updated_at")


class OrderLineInline(FieldWidthMixin, LabelledForeignKeysMixin, admin.TabularInline):
    compact = True
    model = OrderLine
    fk_name = "order"
    # The account and the currency of a line are the order's, set on save. Delivery dates
    # and quantities are on the line's own page (the change link): with them the table is
    # wider than the page.
    fields = ("line_no", "product", "quantity", "unit_price", "amount", "unit_cost", "cost")
    autocomplete_fields = ("product",)
    show_change_link = True
    extra = 0


def _order_amounts() -> Subquery:
    # A correlated subquery is evaluated for the rows on the page only, where a join with
    # GROUP BY would aggregate every order line before the page is cut.
    return Subquery(
        OrderLine.objects.filter(order=OuterRef("pk"))
        .order_by()
        .values("order")
        .annotate(total=Sum("amount"))
        .values("total"),
        output_field=DecimalField(max_digits=18, decimal_places=2),
    )


@admin.register(Order)
class OrderAdmin(LedgerAdmin):
    list_display = (
        "order_no",
        "order_date",
        "account_link",
        "status",
        "lines_amount",
        "currency",
        "source",
        "external_id",
    )
    list_select_related = ("account",)
    list_filter = ("status", CurrencyFilter, SourceFilter)
    date_hierarchy = "order_date"
    search_fields = ("order_no", "external_id", *ACCOUNT_SEARCH)
    search_help_text = _("Order number, external ID or account")
    ordering = ("-order_date", "-id")
    autocomplete_fields = ("account",)
    fields = ("account", "order_no", "order_date", "status", "currency", *EXTERNAL)
    inlines = (OrderLineInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Order]:
        return super().get_queryset(request).annotate(amount_of_lines=_order_amounts())

    @admin.display(description=_("amount"), ordering="amount_of_lines")
    def lines_amount(self, obj: Any) -> Decimal:
        return amount_round(Decimal(obj.amount_of_lines or 0))

    def save_formset(
        self,
        request: HttpRequest,
        form: BaseModelForm[Any],
        formset: BaseModelFormSet[Any, Any],
        change: bool,
    ) -> None:
        if formset.model is OrderLine:
            for line_form in formset.forms:
                line_form.instance.account_id = form.instance.account_id
                line_form.instance.currency = form.instance.currency
        super().save_formset(request, form, formset, change)

    def save_related(
        self, request: HttpRequest, form: BaseModelForm[Any], formsets: Any, change: bool
    ) -> None:
        super().save_related(request, form, formsets, change)
        # Every ledger row carries its account (the sharding key) and its currency: lines
        # follow their order when it moves to another account or currency.
        order = form.instance
        order.lines.exclude(account_id=order.account_id, currency=order.currency).update(
            account_id=order.account_id, currency=order.currency
        )
        aggregates_rebuild(account_ids={order.account_id, *_initial_ids(form, "account")})

    def delete_model(self, request: HttpRequest, obj: Order) -> None:
        super().delete_model(request, obj)
        aggregates_rebuild(account_ids=[obj.account_id])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Order]) -> None:
        account_ids = set(queryset.values_list("account_id", flat=True))
        super().delete_queryset(request, queryset)
        aggregates_rebuild(account_ids=account_ids)


def _initial_ids(form: BaseModelForm[Any], field: str) -> list[int]:
    """The primary key a foreign-key field had before the edit, if any."""
    value = form.initial.get(field)
    return [int(value)] if value not in (None, "") else []


@admin.register(OrderLine)
class OrderLineAdmin(LedgerAdmin):
    list_display = (
        "order_and_line",
        "account_link",
        "product_sku",
        "quantity",
        "amount",
        "cost",
        "currency",
        "delivered_date",
        "on_time",
    )
    list_select_related = ("order", "account", "product")
    list_filter = ("delivered_date", "promised_date", CurrencyFilter, SourceFilter)
    search_fields = ("order__order_no", "external_id", "product__sku")
    search_help_text = _("Order number, external ID or SKU")
    # The newest first through the primary key: sorting 10,000,000 rows by a date is a scan.
    ordering = ("-id",)
    autocomplete_fields = ("order", "product")
    fields = (
        "order",
        "account_link",
        "line_no",
        "product",
        ("quantity", "delivered_quantity"),
        ("unit_price", "amount"),
        ("tax_rate", "tax_amount"),
        ("unit_cost", "cost"),
        "currency",
        ("promised_date", "delivered_date"),
        *EXTERNAL,
    )
    # A line is in its order's account and currency.
    readonly_fields = ("account_link", "currency")

    @admin.display(description=_("order line"), ordering="order__order_no")
    def order_and_line(self, obj: OrderLine) -> str:
        return f"{obj.order.order_no} / {obj.line_no}"

    @admin.display(description=_("SKU"), ordering="product__sku")
    def product_sku(self, obj: OrderLine) -> str:
        return format_html('<span title="{}">{}</span>', obj.product.name, obj.product.sku)

    @admin.display(description=_("on time"), boolean=True)
    def on_time(self, obj: OrderLine) -> bool | None:
        return obj.is_on_time

    def save_model(
        self, request: HttpRequest, obj: OrderLine, form: BaseModelForm[Any], change: bool
    ) -> None:
        obj.account_id = obj.order.account_id
        obj.currency = obj.order.currency
        super().save_model(request, obj, form, change)
        previous = Order.objects.filter(pk__in=_initial_ids(form, "order"))
        aggregates_rebuild(
            account_ids={obj.account_id, *previous.values_list("account_id", flat=True)}
        )

    def delete_model(self, request: HttpRequest, obj: OrderLine) -> None:
        super().delete_model(request, obj)
        aggregates_rebuild(account_ids=[obj.account_id])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[OrderLine]) -> None:
        account_ids = set(queryset.values_list("account_id", flat=True))
        super().delete_queryset(request, queryset)
        aggregates_rebuild(account_ids=account_ids)


# A document given in another currency: what the ERP said, beside the company-currency amount
# (set by the import and the API, ledger.currency; not edited by hand).
ORIGINAL = ("original_currency", "original_amount", "exchange_rate")


class ConvertedDocumentAdmin(LedgerAdmin):
    @admin.display(description=_("original"))
    def original(self, obj: Invoice | Payment) -> str:
        """The document's own currency and amount (and the rate) when it was converted."""
        if not obj.original_currency:
            return ""
        rate = "" if obj.exchange_rate is None else f" @ {obj.exchange_rate.normalize():f}"
        return f"{obj.original_currency} {obj.original_amount:,}{rate}"


@admin.register(Invoice)
class InvoiceAdmin(ConvertedDocumentAdmin):
    list_display = (
        "invoice_no",
        "invoice_date",
        "due_date",
        "account_link",
        "order_link",
        "amount",
        "currency",
        "original",
        "source",
    )
    list_select_related = ("account", "order")
    list_filter = (CurrencyFilter, SourceFilter)
    date_hierarchy = "invoice_date"
    search_fields = ("invoice_no", "external_id", "order__order_no", *ACCOUNT_SEARCH)
    search_help_text = _("Invoice number, external ID, order number or account")
    ordering = ("-invoice_date", "-id")
    autocomplete_fields = ("account", "order")
    fields = (
        "account",
        "order",
        "invoice_no",
        ("invoice_date", "due_date"),
        ("amount", "currency"),
        ORIGINAL,
        *EXTERNAL,
    )
    readonly_fields = ORIGINAL

    @admin.display(description=_("order"), ordering="order__order_no")
    def order_link(self, obj: Invoice) -> str:
        return admin_change_link(obj.order)


@admin.register(Payment)
class PaymentAdmin(ConvertedDocumentAdmin):
    list_display = (
        "payment_date",
        "account_link",
        "invoice_link",
        "amount",
        "currency",
        "original",
        "reference",
        "source",
    )
    list_select_related = ("account", "invoice")
    list_filter = (CurrencyFilter, SourceFilter)
    date_hierarchy = "payment_date"
    search_fields = ("reference", "external_id", "invoice__invoice_no", *ACCOUNT_SEARCH)
    search_help_text = _("Reference, external ID, invoice number or account")
    ordering = ("-payment_date", "-id")
    autocomplete_fields = ("account", "invoice")
    fields = (
        "account", "invoice", "payment_date", ("amount", "currency"), ORIGINAL, "reference",
        *EXTERNAL,
    )  # fmt: skip
    readonly_fields = ORIGINAL

    @admin.display(description=_("invoice"), ordering="invoice__invoice_no")
    def invoice_link(self, obj: Payment) -> str:
        return admin_change_link(obj.invoice)


@admin.register(CostToServe)
class CostToServeAdmin(LedgerAdmin):
    list_display = ("account_link", "year", "kind", "category", "amount", "currency", "note")
    list_select_related = ("account",)
    list_display_links = ("year",)
    list_filter = (
        recent_values_filter("year", _("year"), newest_first=True),
        "kind",
        "category",
        CurrencyFilter,
        SourceFilter,
    )
    search_fields = ("note", "external_id", *ACCOUNT_SEARCH)
    ordering = ("-year", "-id")
    autocomplete_fields = ("account",)
    fields = ("account", "year", "kind", "category", ("amount", "currency"), "note", *EXTERNAL)


class AggregateAdmin(LedgerAdmin):
    """The aggregates are kept current by the system when the ledger is written: they can be
    looked at, never written by hand."""

    list_select_related = ("account",)
    search_fields = ACCOUNT_SEARCH
    ordering = ("-id",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return self.get_readonly_fields(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return tuple(
            "account_link" if isinstance(field, ForeignKey) else field.name
            for field in self.model._meta.fields
            if not field.primary_key
        )


@admin.register(AccountMonth)
class AccountMonthAdmin(AggregateAdmin):
    list_display = (
        "account_link",
        "month",
        "revenue",
        "cost",
        "margin",
        "quantity",
        "order_count",
        "line_count",
    )
    list_display_links = ("month",)
    list_filter = ("month",)

    @admin.display(description=_("margin"))
    def margin(self, obj: AccountMonth) -> Decimal:
        return amount_round(obj.margin)


@admin.register(AccountPurchaseDay)
class AccountPurchaseDayAdmin(AggregateAdmin):
    list_display = ("account_link", "day", "revenue", "cost")
    list_display_links = ("day",)
    list_filter = ("day",)


@admin.register(AccountDeliveryMonth)
class AccountDeliveryMonthAdmin(AggregateAdmin):
    list_display = ("account_link", "month", "lines_due", "lines_on_time")
    list_display_links = ("month",)
    list_filter = ("month",)
