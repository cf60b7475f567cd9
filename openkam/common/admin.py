"""Building blocks shared by the back-office pages of the domain apps.

The ledger holds millions of rows (10,000,000 order lines in the benchmarks), so nothing here
may scan a whole table to draw a changelist: no DISTINCT for filter choices, no exact count of
an unfiltered table on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper as Wrapper
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import QuerySet
from django.forms import Field as FormField
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TIMESTAMPS = ("created_at", "updated_at")

# Some foreign keys carry no verbose_name in the models, so Django would label them with the
# bare, untranslated field name; the admin labels them itself.
FOREIGN_KEY_LABELS = {
    "account": _("account"),
    "order": _("order"),
    "invoice": _("invoice"),
    "product": _("product"),
    "competitor": _("competitor"),
}


def admin_change_link(obj: models.Model | None) -> str | SafeString:
    """A link to the object's admin change page, or its name when it has none."""
    if obj is None:
        return "-"
    opts = obj._meta
    try:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return str(obj)
    return format_html('<a href="{}">{}</a>', url, obj)


class LabelledForeignKeysMixin:
    """Give translated labels to the foreign keys that lack a verbose_name."""

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> FormField | None:
        formfield: FormField | None = super().formfield_for_dbfield(  # type: ignore[misc]
            db_field, request, **kwargs
        )
        label = FOREIGN_KEY_LABELS.get(db_field.name)
        unlabelled = str(db_field.verbose_name) == db_field.name.replace("_", " ")
        if formfield is not None and label is not None and unlabelled:
            formfield.label = capfirst(label)
        return formfield


class FieldWidthMixin:
    """Inputs as wide as what they hold: a currency code needs four characters, not twenty.

    With compact = True (tabular inlines) every input is narrowed, so that a row of facts
    fits beside the navigation at 1440 pixels."""

    compact = False
    # Enough for amounts in the millions. Inlines that hold company revenue (14 digits with
    # the cents) widen it: a number cut off by its box reads as a smaller one.
    compact_decimal_em = 7.5

    def formfield_for_dbfield(
        self, db_field: models.Field[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> FormField | None:
        formfield: FormField | None = super().formfield_for_dbfield(  # type: ignore[misc]
            db_field, request, **kwargs
        )
        if formfield is not None and self.compact and isinstance(formfield.widget, Wrapper):
            # In a table row the add / change / delete icons double the row's height.
            formfield.widget.can_add_related = formfield.widget.can_change_related = False
            formfield.widget.can_delete_related = formfield.widget.can_view_related = False
            formfield.widget.widget.attrs["data-width"] = "14em"
        if formfield is not None:
            width = _width_em(db_field, formfield.widget, compact=self.compact)
            if self.compact and isinstance(db_field, models.DecimalField):
                width = self.compact_decimal_em
            if isinstance(formfield.widget, forms.Textarea) and self.compact:
                formfield.widget.attrs["rows"] = 2
            if width is not None:
                formfield.widget.attrs["style"] = f"width: {width}em"
        return formfield


def _width_em(
    field: models.Field[Any, Any], widget: forms.Widget, *, compact: bool
) -> float | None:
    if isinstance(field, models.CharField) and not field.choices and field.max_length == 3:
        return 4
    if isinstance(field, models.DecimalField):
        return 10
    if not compact:
        return None
    if isinstance(widget, forms.Textarea):
        return 16
    if isinstance(field, models.CharField) and not field.choices:
        max_length = field.max_length or 1000
        return 7 if max_length <= 20 else 8 if max_length <= 100 else 11
    return None


class AccountColumnMixin:
    """An "account" column that links to the account and sorts by its legal name. It must not
    be the column that links to the row (list_display_links): links cannot nest."""

    @admin.display(description=_("account"), ordering="account__legal_name")
    def account_link(self, obj: Any) -> str | SafeString:
        return admin_change_link(obj.account)


def recent_values_filter(
    field_name: str, title: StrOrPromise, *, newest_first: bool = False, sample_size: int = 10_000
) -> type[admin.SimpleListFilter]:
    """A list filter whose choices are the values of the newest rows.

    A plain field filter runs SELECT DISTINCT over the whole table on every changelist; on
    the ledger that is a full scan of millions of rows. Rows from a source or in a currency
    that only occur in old rows can still be filtered by URL (?source=...)."""

    class RecentValuesFilter(admin.SimpleListFilter):
        parameter_name = field_name

        def lookups(
            self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
        ) -> Iterable[tuple[str, str]]:
            recent = (
                model_admin.model._default_manager.order_by("-pk")
                .values_list(field_name, flat=True)[:sample_size]
                .iterator()
            )
            values = {str(value) for value in recent if value not in (None, "")}
            if self.value():
                values.add(str(self.value()))
            return [(value, value) for value in sorted(values, reverse=newest_first)]

        def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
            if self.value() is None:
                return queryset
            return queryset.filter(**{field_name: self.value()})

    RecentValuesFilter.title = title
    RecentValuesFilter.__name__ = f"Recent{field_name.title().replace('_', '')}Filter"
    return RecentValuesFilter


class EstimatedCountPaginator(Paginator):
    """Counts an unfiltered ledger table from PostgreSQL's statistics instead of scanning it.

    COUNT(*) over 10,000,000 order lines takes seconds on every changelist page; the page
    links only need the order of magnitude. Filtered lists and small tables count exactly."""

    estimate_above = 100_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if isinstance(queryset, QuerySet) and not queryset.query.where:
            estimate = _estimated_rows(queryset)
            if estimate is not None and estimate > self.estimate_above:
                return estimate
        return super().count


def _estimated_rows(queryset: QuerySet[Any]) -> int | None:
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)",
            [connection.ops.quote_name(queryset.model._meta.db_table)],
        )
        row = cursor.fetchone()
    # reltuples is -1 for a table that was never analysed.
    return int(row[0]) if row and row[0] >= 0 else None
