"""Input of the dashboard, parsed before anything reads the database."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account, Industry, Region, Tier
from openkam.accounts.selectors import teams_visible_to
from openkam.team.models import Role, Team, User

FILTERS = ("team", "owner", "region", "industry", "tier")


class DashboardFilterForm(forms.Form):
    """Team, KAM, region, industry and tier of the portfolio dashboard (GET). Teams and KAMs
    offered are those of the accounts the user may see, so no other team leaks by name."""

    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All teams")
    )
    owner = forms.ModelChoiceField(
        label=_("KAM"), queryset=User.objects.none(), required=False, empty_label=_("All KAMs")
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    industry = forms.ModelChoiceField(
        label=_("Industry"),
        queryset=Industry.objects.order_by("code"),
        required=False,
        empty_label=_("All industries"),
    )
    tier = forms.ChoiceField(label=_("Tier"), required=False)

    def __init__(self, data: Any, *, user: User, accounts: QuerySet[Account]) -> None:
        super().__init__(data)
        region = self.fields["region"]
        tier = self.fields["tier"]
        team = self.fields["team"]
        owner = self.fields["owner"]
        assert isinstance(region, forms.ChoiceField)
        assert isinstance(tier, forms.ChoiceField)
        assert isinstance(team, forms.ModelChoiceField)
        assert isinstance(owner, forms.ModelChoiceField)
        region.choices = [("", _("All regions")), *Region.choices]
        tier.choices = [("", _("All tiers")), *Tier.choices]
        if user.sees_all_accounts:
            # Every team and account worker: no scan of the whole account table per page.
            team.queryset = Team.objects.order_by("name")
            owner.queryset = User.objects.filter(
                role__in=[Role.KAM, Role.DIRECTOR], is_active=True
            ).order_by("display_name", "username")
        else:
            # The teams the user sees (teams_visible_to, the one team rule) and the teams of
            # accounts they own: the teams accounts_visible_to opens, read from the small
            # tables, not by a scan of every visible account.
            teams = Team.objects.filter(
                Q(pk__in=teams_visible_to(user).values("pk"))
                | Q(pk__in=Account.objects.filter(owner=user).values("team_id"))
            )
            team.queryset = teams.order_by("name")
            owner.queryset = (
                User.objects.filter(
                    Q(pk=user.pk)
                    | Q(
                        role__in=[Role.KAM, Role.DIRECTOR],
                        teams__in=teams.values("pk"),
                    )
                )
                .distinct()
                .order_by("display_name", "username")
            )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> dict[str, Any]:
        """The valid part of the input (call after is_valid()); invalid values drop out."""
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or None for name in FILTERS}

    @property
    def is_filtered(self) -> bool:
        return any(self.filters().values())
