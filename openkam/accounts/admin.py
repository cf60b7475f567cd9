"""Back office for accounts and the facts of their profile (DOMAIN §3)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.contrib.admin.helpers import InlineAdminFormSet
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from openkam.accounts.models import (
    Account,
    AccountTeamMember,
    BudgetCycle,
    BusinessUnit,
    CompanyEvent,
    Competitor,
    CompetitorPresence,
    FinancialYear,
    Industry,
    Location,
    Need,
    Officer,
    OutlookNote,
    Shareholder,
    WalletEstimate,
)
from openkam.common.admin import (
    TIMESTAMPS,
    AccountColumnMixin,
    FieldWidthMixin,
    LabelledForeignKeysMixin,
)
from openkam.team import admin as team_admin
from openkam.team.models import Team

SOURCE = ("source", "as_of")


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")
    ordering = ("code",)


@admin.register(AccountTeamMember)
class AccountTeamMemberAdmin(SimpleHistoryAdmin):
    """An account's standing team (the pages change it; the admin for the back office)."""

    list_display = ("account", "user", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("account__legal_name", "account__short_name", "user__username")
    raw_id_fields = ("account", "user")


@admin.register(Competitor)
class CompetitorAdmin(admin.ModelAdmin):
    list_display = ("name", "country", "updated_at")
    search_fields = ["name", "country"]
    list_filter = ("country",)
    ordering = ("name",)
    fields = ("name", "country", "strengths", "weaknesses", *TIMESTAMPS)
    readonly_fields = TIMESTAMPS


# Inlines of the account page. Each fact keeps its source and date at the end of the row;
# financial years and wallet estimates are dated by their year, and the financials, too wide
# for one more column, show their source on their own page (the change link).


class AccountFactInline(FieldWidthMixin, LabelledForeignKeysMixin, admin.TabularInline):
    extra = 0
    compact = True
    show_change_link = True


class ShareholderInline(AccountFactInline):
    model = Shareholder
    fields = ("name", "kind", "share_percent", "is_actual_controller", *SOURCE)


class OfficerInline(AccountFactInline):
    model = Officer
    fields = ("name", "title", "body", *SOURCE)


class BusinessUnitInline(AccountFactInline):
    model = BusinessUnit
    fields = ("name", "autonomy", "served_by_us", "description", *SOURCE)


class LocationInline(AccountFactInline):
    model = Location
    fields = ("kind", "name", "province", "city", "address", *SOURCE)


class CompanyEventInline(AccountFactInline):
    model = CompanyEvent
    fields = ("date", "kind", "description", *SOURCE)


class FinancialYearInline(AccountFactInline):
    model = FinancialYear
    compact_decimal_em = 10.5
    fields = (
        "year",
        "currency",
        "revenue",
        "net_profit",
        "total_assets",
        "total_liabilities",
        "credit_rating",
    )


class OutlookNoteInline(AccountFactInline):
    model = OutlookNote
    fields = ("kind", "severity", "text", *SOURCE)


class BudgetCycleInline(AccountFactInline):
    model = BudgetCycle
    fields = ("fiscal_year_start_month", "budget_month", "tender_month", "notes", *SOURCE)


class NeedInline(AccountFactInline):
    model = Need
    fields = ("kind", "priority", "description", *SOURCE)


class WalletEstimateInline(AccountFactInline):
    model = WalletEstimate
    compact_decimal_em = 10.5
    fields = ("year", "category_spend", "currency", "source")


class CompetitorPresenceInline(AccountFactInline):
    model = CompetitorPresence
    fields = ("competitor", "products", "share_of_wallet", *SOURCE)
    autocomplete_fields = ("competitor",)


@admin.register(Account)
class AccountAdmin(FieldWidthMixin, SimpleHistoryAdmin):
    # Region and industry are filters only, the strategic flag is a star beside the tier, the
    # KAM sits under the team and the credit code has a short header: as they were, the
    # columns pushed the account team off the page at 1440 pixels.
    list_display = (
        "legal_name",
        "credit_code_column",
        "tier_label",
        "lifecycle_stage",
        "relationship_stage",
        "account_team",
    )
    list_select_related = ("team", "owner")
    list_filter = (
        "tier",
        "is_strategic",
        "lifecycle_stage",
        "relationship_stage",
        "region",
        "team",
        "industry",
    )
    search_fields = ("legal_name", "short_name", "credit_code")
    search_help_text = _("Legal name, short name or unified social credit code")
    ordering = ("legal_name",)
    show_full_result_count = False
    autocomplete_fields = ("industry", "parent", "owner", "team")
    readonly_fields = TIMESTAMPS
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    history_list_display = ("tier", "lifecycle_stage", "relationship_stage")
    fieldsets = (
        (
            _("Identity"),
            {
                "fields": (
                    "legal_name",
                    "short_name",
                    "credit_code",
                    ("industry", "industry_position"),
                    "parent",
                )
            },
        ),
        (
            _("Classification"),
            {
                "fields": (
                    ("tier", "is_strategic"),
                    "strategic_reason",
                    ("lifecycle_stage", "relationship_stage"),
                )
            },
        ),
        (_("Account team"), {"fields": (("owner", "team"),)}),
        (
            _("Address"),
            {"fields": ("region", ("province", "city"), "address", "phone", "website")},
        ),
        (
            _("Commercial terms"),
            {"fields": (("credit_limit", "currency"), "payment_terms_days", "customer_since")},
        ),
        (_("Notes"), {"fields": ("notes",)}),
        (_("Record"), {"classes": ("collapse",), "fields": TIMESTAMPS}),
    )
    # Apps above accounts put their rows first with add_account_inline (relationships: the
    # contacts), so this module imports none of them.
    inlines: tuple[type[admin.options.InlineModelAdmin[Any, Any]], ...] = (
        ShareholderInline,
        OfficerInline,
        BusinessUnitInline,
        LocationInline,
        CompanyEventInline,
        FinancialYearInline,
        OutlookNoteInline,
        BudgetCycleInline,
        NeedInline,
        WalletEstimateInline,
        CompetitorPresenceInline,
    )

    @admin.display(description=_("credit code"), ordering="credit_code")
    def credit_code_column(self, obj: Account) -> str:
        return obj.credit_code

    @admin.display(description=_("tier"), ordering="tier")
    def tier_label(self, obj: Account) -> str:
        if not obj.is_strategic:
            return obj.get_tier_display()
        return format_html(
            '<span style="white-space: nowrap">{} <span title="{}">★</span></span>',
            obj.get_tier_display(),
            _("designated strategic"),
        )

    @admin.display(description=_("account team"), ordering="team__name")
    def account_team(self, obj: Account) -> str:
        return format_html(
            '<span style="white-space: nowrap">{}</span><br>{}', obj.team or "-", obj.owner or "-"
        )

    def get_inline_formsets(
        self,
        request: HttpRequest,
        formsets: Sequence[Any],
        inline_instances: Sequence[Any],
        obj: Account | None = None,
    ) -> list[InlineAdminFormSet]:
        # Twelve sections are too many to scroll through; the empty ones start folded.
        inline_formsets: list[InlineAdminFormSet] = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_formset in inline_formsets:
            if not inline_formset.formset.initial_form_count():
                inline_formset.classes = f"{inline_formset.classes} collapse".strip()
        return inline_formsets


class AccountFactAdmin(
    AccountColumnMixin, FieldWidthMixin, LabelledForeignKeysMixin, admin.ModelAdmin
):
    """The profile facts, each also listed on its own, across accounts."""

    list_select_related = ["account"]
    autocomplete_fields = ["account"]
    readonly_fields = TIMESTAMPS
    show_full_result_count = False
    search_fields = ["account__legal_name", "account__short_name"]


@admin.register(Shareholder)
class ShareholderAdmin(AccountFactAdmin):
    list_display = ("name", "account_link", "kind", "share_percent", "is_actual_controller")
    list_filter = ("kind", "is_actual_controller")
    search_fields = ["name", "account__legal_name", "account__short_name"]
    ordering = ("account__legal_name", "-share_percent")


@admin.register(Officer)
class OfficerAdmin(AccountFactAdmin):
    list_display = ("name", "title", "body", "account_link")
    list_filter = ("body",)
    search_fields = ["name", "title", "account__legal_name", "account__short_name"]
    ordering = ("account__legal_name", "name")


@admin.register(BusinessUnit)
class BusinessUnitAdmin(AccountFactAdmin):
    list_display = ("name", "account_link", "autonomy", "served_by_us")
    list_filter = ("autonomy", "served_by_us")
    search_fields = ["name", "account__legal_name", "account__short_name"]
    ordering = ("account__legal_name", "name")


@admin.register(Location)
class LocationAdmin(AccountFactAdmin):
    list_display = ("name", "kind", "province", "city", "account_link")
    list_filter = ("kind",)
    search_fields = ["name", "city", "account__legal_name", "account__short_name"]
    ordering = ("account__legal_name", "name")


@admin.register(CompanyEvent)
class CompanyEventAdmin(AccountFactAdmin):
    list_display = ("date", "kind", "account_link", "description")
    list_filter = ("kind",)
    date_hierarchy = "date"
    ordering = ("-date",)


@admin.register(FinancialYear)
class FinancialYearAdmin(AccountFactAdmin):
    list_display = ("account_link", "year", "revenue", "net_profit", "currency", "credit_rating")
    list_display_links = ("year",)
    list_filter = ("year", "currency")
    ordering = ("account__legal_name", "-year")


@admin.register(OutlookNote)
class OutlookNoteAdmin(AccountFactAdmin):
    list_display = ("account_link", "kind", "severity", "as_of")
    list_display_links = ("kind",)
    list_filter = ("kind", "severity")
    ordering = ("-as_of", "-id")


@admin.register(BudgetCycle)
class BudgetCycleAdmin(AccountFactAdmin):
    list_display = ("account_link", "fiscal_year_start_month", "budget_month", "tender_month")
    list_display_links = ("fiscal_year_start_month",)
    list_filter = ("tender_month", "budget_month")
    ordering = ("account__legal_name",)


@admin.register(Need)
class NeedAdmin(AccountFactAdmin):
    list_display = ("account_link", "kind", "priority", "description")
    list_display_links = ("kind",)
    list_filter = ("kind", "priority")
    ordering = ("account__legal_name", "kind")


@admin.register(WalletEstimate)
class WalletEstimateAdmin(AccountFactAdmin):
    list_display = ("account_link", "year", "category_spend", "currency")
    list_display_links = ("year",)
    list_filter = ("year", "currency")
    ordering = ("account__legal_name", "-year")


@admin.register(CompetitorPresence)
class CompetitorPresenceAdmin(AccountFactAdmin):
    list_display = ("competitor", "account_link", "share_of_wallet", "products")
    list_select_related = ["account", "competitor"]
    list_filter = ("competitor",)
    autocomplete_fields = ["account", "competitor"]
    search_fields = ["competitor__name", "account__legal_name", "account__short_name"]
    ordering = ("competitor__name", "account__legal_name")


def add_account_inline(inline: type[admin.options.InlineModelAdmin[Any, Any]]) -> None:
    """Show `inline` first on the account's admin page. Called from the admin module of an
    app that sits above accounts (README, "Layout"), which owns the rows it lists."""
    if inline not in AccountAdmin.inlines:
        AccountAdmin.inlines = (inline, *AccountAdmin.inlines)


# The team list counts each team's accounts. Accounts sit above teams (README, "Layout"), so
# the column is added here, to the team admin that team.admin registered.
admin.site.unregister(Team)


@admin.register(Team)
class TeamAdmin(team_admin.TeamAdmin):
    list_display = ("name", "region", "director", "member_count", "account_count", "updated_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return (
            super()
            .get_queryset(request)
            .annotate(account_total=team_admin.count_of(Account, "team"))
        )

    @admin.display(description=_("accounts"), ordering="account_total")
    def account_count(self, obj: Any) -> int:
        return int(obj.account_total)
