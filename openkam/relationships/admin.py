"""Back office for contacts and their buying roles (DOMAIN §4)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from openkam.accounts.admin import add_account_inline
from openkam.common.admin import TIMESTAMPS, AccountColumnMixin, FieldWidthMixin
from openkam.relationships.models import Contact, JointProject


class ContactInline(FieldWidthMixin, admin.TabularInline):
    compact = True
    model = Contact
    fields = ("name", "title", "function", "influence_type", "support", "phone", "is_active")
    show_change_link = True
    extra = 0


add_account_inline(ContactInline)


@admin.register(Contact)
class ContactAdmin(AccountColumnMixin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "title",
        "account_link",
        "function",
        "influence_type",
        "influence_level",
        "support",
        "phone",
        "is_active",
    )
    list_select_related = ("account",)
    list_filter = (
        "influence_type",
        "support",
        "function",
        "preferred_channel",
        "is_active",
        "account__tier",
    )
    search_fields = (
        "name",
        "account__legal_name",
        "account__short_name",
        "phone",
        "email",
        "wechat",
    )
    search_help_text = _("Name, account, phone, email or WeChat")
    ordering = ("account__legal_name", "-influence_level", "name")
    show_full_result_count = False
    autocomplete_fields = ("account", "reports_to")
    readonly_fields = TIMESTAMPS
    history_list_display = ("influence_type", "support")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "account",
                    "name",
                    ("title", "department"),
                    ("function", "reports_to"),
                    "is_active",
                )
            },
        ),
        (
            _("Reaching them"),
            {
                "fields": (
                    ("phone", "email", "wechat"),
                    ("preferred_channel", "contact_every_days"),
                )
            },
        ),
        (
            _("Buying role"),
            {
                "description": _(
                    "Their influence on the decision, their attitude towards us and the "
                    "buying stages at which they matter."
                ),
                "fields": (
                    "influence_type",
                    ("influence_level", "participation"),
                    "support",
                    ("stage_needs", "stage_options", "stage_choice", "stage_after_sale"),
                ),
            },
        ),
        (
            _("Motives and needs"),
            {"fields": ("motives", ("need_1", "need_2", "need_3"), "deepening_plan")},
        ),
        (_("Record"), {"classes": ("collapse",), "fields": TIMESTAMPS}),
    )


@admin.register(JointProject)
class JointProjectAdmin(AccountColumnMixin, SimpleHistoryAdmin):
    """Joint project teams and joint board meetings (recorded from the plan page too)."""

    list_display = ("name", "kind", "account_link", "status", "starts_on", "ends_on")
    list_select_related = ("account",)
    list_filter = ("kind", "status")
    search_fields = ("name", "account__legal_name", "account__short_name")
    search_help_text = _("Name or account")
    ordering = ("-starts_on",)
    autocomplete_fields = ("account", "our_members", "their_members")
    readonly_fields = TIMESTAMPS
    date_hierarchy = "starts_on"
