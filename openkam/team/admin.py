"""Back office for users, their roles and the KAM teams."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from openkam.common.admin import TIMESTAMPS
from openkam.team.models import Team, TeamMembership, User

PROFILE_FIELDS = ("display_name", "role", "function", "phone")


class MembershipOfTeamInline(admin.TabularInline):
    model = TeamMembership
    fields = ("user", "team_role")
    autocomplete_fields = ("user",)
    extra = 0


class MembershipOfUserInline(admin.TabularInline):
    model = TeamMembership
    fields = ("team", "team_role")
    autocomplete_fields = ("team",)
    extra = 0
    verbose_name_plural = _("teams")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "display_name",
        "email",
        "role",
        "function",
        "team_names",
        "is_staff",
        "is_active",
    )
    list_filter = ("role", "function", "teams", "is_staff", "is_superuser", "is_active")
    search_fields = ("username", "display_name", "first_name", "last_name", "email", "phone")
    search_help_text = _("User name, display name, name, email or phone")
    ordering = ("username",)
    inlines = (MembershipOfUserInline,)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("OpenKAM profile"), {"fields": PROFILE_FIELDS}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email")}),
        (
            _("Permissions"),
            {
                "classes": ("collapse",),
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
            },
        ),
        (_("Important dates"), {"classes": ("collapse",), "fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "usable_password", "password1", "password2"),
            },
        ),
        (_("OpenKAM profile"), {"classes": ("wide",), "fields": PROFILE_FIELDS}),
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("teams")

    @admin.display(description=_("teams"))
    def team_names(self, obj: User) -> str:
        return ", ".join(team.name for team in obj.teams.all())


def count_of(model: type[Any], field: str) -> Coalesce:
    """Count related rows in a subquery: joining members and accounts at once would multiply
    the rows (100,000 accounts x members) before grouping."""
    counts = (
        model._default_manager.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    # The accounts column is added by accounts.admin (accounts sit above teams).
    list_display: tuple[str, ...] = ("name", "region", "director", "member_count", "updated_at")
    list_select_related = ("director",)
    search_fields = ("name", "region")
    list_filter = ("region",)
    ordering = ("name",)
    autocomplete_fields = ("director",)
    fields = ("name", "region", "director", *TIMESTAMPS)
    readonly_fields = TIMESTAMPS
    inlines = (MembershipOfTeamInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Team]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_total=count_of(TeamMembership, "team"),
            )
        )

    @admin.display(description=_("members"), ordering="member_total")
    def member_count(self, obj: Any) -> int:
        return int(obj.member_total)


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "team", "team_role", "created_at")
    list_select_related = ("user", "team")
    list_filter = ("team_role", "team")
    search_fields = ("user__username", "user__display_name", "team__name")
    ordering = ("team__name", "user__username")
    autocomplete_fields = ("team", "user")
    fields = ("team", "user", "team_role", *TIMESTAMPS)
    readonly_fields = TIMESTAMPS
