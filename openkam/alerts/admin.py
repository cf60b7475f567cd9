"""Back office for alerts, the rules' company settings and the users' notification choices.
Alerts are raised and resolved by the engine: the back office reads them and lets an
administrator correct the assignee or the state; the pages are where they are worked."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from openkam.alerts.models import Alert, NotificationPreference, RuleSetting
from openkam.common.admin import AccountColumnMixin


@admin.register(Alert)
class AlertAdmin(AccountColumnMixin, SimpleHistoryAdmin):
    list_display = (
        "rule",
        "account_link",
        "level",
        "state",
        "assignee",
        "value_at_risk",
        "first_seen",
    )
    list_select_related = ("account", "assignee")
    list_filter = ("rule", "state", "level", "account__tier")
    search_fields = ("account__legal_name", "account__short_name", "rule")
    search_help_text = _("Account or rule")
    date_hierarchy = "first_seen"
    show_full_result_count = False
    autocomplete_fields = ("account", "assignee")
    readonly_fields = (
        "rule", "params", "value_at_risk", "first_seen", "last_seen", "escalated_at",
        "acknowledged_at", "dismissed_at", "resolved_at",
    )  # fmt: skip


@admin.register(RuleSetting)
class RuleSettingAdmin(SimpleHistoryAdmin):
    list_display = ("rule", "enabled")
    list_filter = ("enabled",)
    search_fields = ("rule",)


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(SimpleHistoryAdmin):
    list_display = ("user", "digest", "language", "last_digest_at")
    list_select_related = ("user",)
    list_filter = ("digest", "language")
    search_fields = ("user__username", "user__display_name")
    autocomplete_fields = ("user",)
    readonly_fields = ("last_digest_at",)
