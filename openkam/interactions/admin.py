"""Back office for interactions and the contact cadence per tier."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from openkam.common.admin import TIMESTAMPS, AccountColumnMixin
from openkam.interactions.models import INTERACTION_HISTORY, ContactCadence, Interaction
from openkam.team.models import User


@admin.register(Interaction)
class InteractionAdmin(AccountColumnMixin, SimpleHistoryAdmin):
    list_display = ("starts_at", "kind", "status", "subject", "account_link", "next_step_due")
    list_select_related = ("account",)
    list_filter = ("kind", "status", "account__tier")
    search_fields = ("subject", "account__legal_name", "account__short_name", "notes")
    search_help_text = _("Subject, account or notes")
    date_hierarchy = "starts_at"
    ordering = ("-starts_at",)
    show_full_result_count = False
    autocomplete_fields = ("account", "our_participants", "their_participants", "next_step_owner")
    readonly_fields = (*TIMESTAMPS, "created_by")
    fieldsets = (
        (None, {"fields": ("account", ("kind", "status"), ("starts_at", "duration_minutes"))}),
        (_("Participants"), {"fields": ("our_participants", "their_participants")}),
        (_("Content"), {"fields": ("subject", "notes")}),
        (
            _("Next step"),
            {"fields": ("next_step", ("next_step_due", "next_step_owner"), "next_step_done")},
        ),
        (_("Record"), {"classes": ("collapse",), "fields": (*TIMESTAMPS, "created_by")}),
    )

    def save_model(self, request: HttpRequest, obj: Interaction, form: Any, change: bool) -> None:
        if not change and obj.created_by_id is None and isinstance(request.user, User):
            obj.created_by = request.user
        # History waits for the participants (save_related): one record per save, as in the app.
        obj.skip_history_when_saving = True  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        obj = form.instance
        try:
            super().save_related(request, form, formsets, change)
        finally:
            del obj.skip_history_when_saving
        obj._history_user = request.user
        INTERACTION_HISTORY.create_historical_record(obj, "~" if change else "+")


@admin.register(ContactCadence)
class ContactCadenceAdmin(SimpleHistoryAdmin):
    list_display = ("tier", "every_days")
    list_editable = ("every_days",)
    ordering = ("tier",)
