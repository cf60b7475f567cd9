"""Back office for win-back cases and actions, lifecycle changes and overrides, and the
stored backtests of the alert rules."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from openkam.common.admin import TIMESTAMPS, AccountColumnMixin
from openkam.retention.models import (
    LifecycleChange,
    LifecycleOverride,
    RuleBacktest,
    WinBackAction,
    WinBackCase,
)


class WinBackActionInline(admin.TabularInline):
    model = WinBackAction
    extra = 0
    fields = ("title", "owner", "due_on", "status", "done_on")
    autocomplete_fields = ("owner",)


@admin.register(WinBackCase)
class WinBackCaseAdmin(AccountColumnMixin, SimpleHistoryAdmin):
    list_display = ("opened_on", "account_link", "cause", "owner", "outcome", "outcome_on")
    list_select_related = ("account", "owner")
    list_filter = ("cause", "outcome", "account__tier")
    search_fields = ("account__legal_name", "account__short_name", "notes", "offer")
    search_help_text = _("Account, notes or offer")
    date_hierarchy = "opened_on"
    autocomplete_fields = ("account", "owner")
    raw_id_fields = ("alert",)
    readonly_fields = TIMESTAMPS
    inlines = [WinBackActionInline]


@admin.register(WinBackAction)
class WinBackActionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "case", "owner", "due_on", "status")
    list_select_related = ("case", "case__account", "owner")
    list_filter = ("status",)
    search_fields = ("title", "case__account__legal_name")
    autocomplete_fields = ("owner",)
    raw_id_fields = ("case",)
    readonly_fields = TIMESTAMPS


@admin.register(LifecycleChange)
class LifecycleChangeAdmin(AccountColumnMixin, admin.ModelAdmin):
    list_display = ("day", "account_link", "from_stage", "to_stage", "source", "user")
    list_select_related = ("account", "user")
    list_filter = ("source", "to_stage")
    search_fields = ("account__legal_name", "account__short_name")
    date_hierarchy = "day"
    raw_id_fields = ("account", "user")
    show_full_result_count = False


@admin.register(LifecycleOverride)
class LifecycleOverrideAdmin(AccountColumnMixin, SimpleHistoryAdmin):
    list_display = ("created_at", "account_link", "stage", "overrode", "user", "ended_on")
    list_select_related = ("account", "user")
    list_filter = ("stage",)
    search_fields = ("account__legal_name", "account__short_name", "reason")
    raw_id_fields = ("account", "user")
    readonly_fields = TIMESTAMPS


@admin.register(RuleBacktest)
class RuleBacktestAdmin(admin.ModelAdmin):
    list_display = ("rule", "computed_at", "raised", "raised_then_bad", "bad", "caught")
    list_filter = ("rule",)
    readonly_fields = ("computed_at",)
