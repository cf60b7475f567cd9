"""Back office for the portfolio's company settings, scorecard criteria and the yearly tier
review (its proposals are decided on the review's pages; here they are read, with history)."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from openkam.common.admin import TIMESTAMPS, AccountColumnMixin
from openkam.portfolio.models import PortfolioSettings, ScoringCriterion, TierProposal, TierReview


@admin.register(PortfolioSettings)
class PortfolioSettingsAdmin(SimpleHistoryAdmin):
    list_display = ("__str__", "key_threshold", "major_threshold", "abc_a_cutoff", "abc_b_cutoff")
    readonly_fields = TIMESTAMPS


@admin.register(ScoringCriterion)
class ScoringCriterionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "name_en", "scorecard", "weight", "position", "is_active")
    list_filter = ("scorecard", "is_active")
    search_fields = ("name", "name_en", "key")
    readonly_fields = TIMESTAMPS


@admin.register(TierReview)
class TierReviewAdmin(SimpleHistoryAdmin):
    list_display = ("year", "status", "opened_by", "submitted_at", "closed_at")
    list_filter = ("status",)
    readonly_fields = ("run", "opened_by", "submitted_by", "submitted_at", "closed_at", *TIMESTAMPS)


@admin.register(TierProposal)
class TierProposalAdmin(AccountColumnMixin, SimpleHistoryAdmin):
    list_display = ("__str__", "account_link", "review", "proposed_tier", "status")
    list_select_related = ("account", "review")
    list_filter = ("status", "proposed_tier", "review")
    search_fields = ("account__legal_name", "account__short_name")
    raw_id_fields = ("account", "run", "review")
    readonly_fields = ("proposed_by", "decided_by", "decided_at", *TIMESTAMPS)
    show_full_result_count = False
