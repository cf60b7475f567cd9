"""Back office for opportunities with their stage log, the stage probabilities and the
prospect screenings."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from openkam.common.admin import TIMESTAMPS, AccountColumnMixin
from openkam.pipeline.models import Opportunity, ProspectScreening, StageChange, StageProbability


class StageChangeInline(admin.TabularInline):
    model = StageChange
    extra = 0
    fields = ("at", "from_stage", "to_stage", "user", "reason")
    readonly_fields = ("at", "from_stage", "to_stage", "user", "reason")
    can_delete = False


@admin.register(Opportunity)
class OpportunityAdmin(AccountColumnMixin, SimpleHistoryAdmin):
    list_display = ("title", "account_link", "stage", "amount", "expected_close", "owner")
    list_select_related = ("account", "owner")
    list_filter = ("stage", "account__tier")
    search_fields = ("title", "account__legal_name", "account__short_name")
    search_help_text = _("Title or account")
    date_hierarchy = "expected_close"
    autocomplete_fields = ("account", "owner")
    filter_horizontal = ("competitors",)
    raw_id_fields = ("products", "orders")
    readonly_fields = (*TIMESTAMPS, "stage_changed_at")
    inlines = [StageChangeInline]


@admin.register(StageChange)
class StageChangeAdmin(admin.ModelAdmin):
    list_display = ("at", "opportunity", "from_stage", "to_stage", "user")
    list_select_related = ("opportunity", "user")
    list_filter = ("to_stage",)
    raw_id_fields = ("opportunity", "user")


@admin.register(StageProbability)
class StageProbabilityAdmin(SimpleHistoryAdmin):
    list_display = ("stage", "probability")
    readonly_fields = TIMESTAMPS


@admin.register(ProspectScreening)
class ProspectScreeningAdmin(AccountColumnMixin, SimpleHistoryAdmin):
    list_display = ("screened_on", "account_link", "outcome", "attractiveness", "screened_by")
    list_select_related = ("account", "screened_by")
    list_filter = ("outcome",)
    search_fields = ("account__legal_name", "account__short_name", "reason")
    autocomplete_fields = ("account",)
    raw_id_fields = ("screened_by",)
    readonly_fields = TIMESTAMPS
