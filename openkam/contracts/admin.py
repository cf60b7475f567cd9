"""Back office for contracts, their items, amendments and files (DOMAIN §6). Files are not
offered for upload or as links to storage here: they are served only by the contract page's
download view, which checks who sees the account."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from openkam.common.admin import TIMESTAMPS, AccountColumnMixin
from openkam.contracts.models import Amendment, Attachment, Contract, ContractItem


class ItemInline(admin.TabularInline):
    model = ContractItem
    fields = ("family", "product", "unit", "unit_price", "quantity", "amount", "position")
    autocomplete_fields = ("product",)
    extra = 0


class AmendmentInline(admin.TabularInline):
    model = Amendment
    fields = ("sequence", "summary", "approved_by", "effective_on")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Contract)
class ContractAdmin(AccountColumnMixin, SimpleHistoryAdmin):
    list_display = ("number", "title", "account_link", "kind", "state", "starts_on", "ends_on",
                    "notice_by")  # fmt: skip
    list_select_related = ("account",)
    list_filter = ("kind", "state", "commitment_period", "auto_renew", "covers_group")
    search_fields = ("number", "title", "account__legal_name", "account__short_name")
    search_help_text = _("Number, title or account")
    ordering = ("ends_on", "pk")
    show_full_result_count = False
    autocomplete_fields = ("account", "owner", "renews")
    readonly_fields = ("notice_by", *TIMESTAMPS)
    inlines = (ItemInline, AmendmentInline)
    history_list_display = ("state", "ends_on")


@admin.register(ContractItem)
class ContractItemAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "contract", "family", "unit_price", "quantity", "amount")
    list_select_related = ("contract", "product")
    search_fields = ("family", "contract__number", "product__sku", "product__name")
    search_help_text = _("Family, contract number or product")
    autocomplete_fields = ("contract", "product")


@admin.register(Amendment)
class AmendmentAdmin(SimpleHistoryAdmin):
    list_display = ("contract", "sequence", "summary", "approved_by", "effective_on")
    list_select_related = ("contract", "approved_by")
    search_fields = ("summary", "reason", "contract__number")
    search_help_text = _("What, why or contract number")
    autocomplete_fields = ("contract", "approved_by", "recorded_by")
    readonly_fields = ("recorded_at",)


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ("name", "contract", "kind", "size", "uploaded_by", "uploaded_at")
    list_select_related = ("contract", "uploaded_by")
    search_fields = ("name", "contract__number")
    search_help_text = _("File name or contract number")
    fields = ("contract", "kind", "name", "download", "content_type", "size", "sha256",
              "uploaded_by", "uploaded_at")  # fmt: skip
    readonly_fields = ("download", "content_type", "size", "sha256", "uploaded_by", "uploaded_at")
    autocomplete_fields = ("contract",)

    def has_add_permission(self, request: object) -> bool:
        return False  # files arrive through the contract page, which checks them

    @admin.display(description=_("file"))
    def download(self, obj: Attachment) -> str:
        url = reverse("contracts:attachment", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.name)
