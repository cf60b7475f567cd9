"""Input of the account pages, parsed and validated before anything reads the database."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import LifecycleStage, Region, Tier
from openkam.accounts.selectors import owners_visible_to, teams_holding_visible
from openkam.portfolio.labels import ABC_CLASSES, CHURN_LEVELS, CHURN_ORDER
from openkam.team.models import Team, User
from openkam.web.selectors import ACCOUNT_SORTS, DEFAULT_ACCOUNT_SORT

SORT_CHOICES = [(f"{prefix}{key}", key) for key in ACCOUNT_SORTS for prefix in ("", "-")]
FILTERS = ("q", "tier", "lifecycle", "owner", "team", "region", "churn", "abc", "proposal")
OPEN_PROPOSAL = "open"


def _with_blank(label: object, choices: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class AccountFilterForm(forms.Form):
    """Search, filters and sort of the account list (GET). The KAM and team choices are
    limited to those of the accounts the user may see, so no other team leaks by name."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    tier = forms.ChoiceField(label=_("Tier"), required=False)
    lifecycle = forms.ChoiceField(label=_("Lifecycle stage"), required=False)
    owner = forms.ModelChoiceField(
        label=_("KAM"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All KAMs"),
    )
    team = forms.ModelChoiceField(
        label=_("Team"), queryset=Team.objects.none(), required=False, empty_label=_("All teams")
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    churn = forms.ChoiceField(label=_("Churn risk"), required=False)
    abc = forms.ChoiceField(label=_("ABC class"), required=False)
    proposal = forms.ChoiceField(
        label=_("Tier proposal"),
        required=False,
        choices=[("", _("Any")), (OPEN_PROPOSAL, _("Awaiting a decision"))],
    )
    sort = forms.ChoiceField(label=_("Sort"), required=False, choices=SORT_CHOICES)

    def __init__(self, data: Any, *, user: User) -> None:
        super().__init__(data)
        choices = {
            "tier": _with_blank(_("All tiers"), Tier.choices),
            "lifecycle": _with_blank(_("All stages"), LifecycleStage.choices),
            "region": _with_blank(_("All regions"), Region.choices),
            "churn": _with_blank(
                _("All levels"), [(level, CHURN_LEVELS[level]) for level in CHURN_ORDER]
            ),
            "abc": _with_blank(_("All classes"), [(c, c) for c in ABC_CLASSES]),
        }
        for name, field_choices in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = field_choices
        owner = self.fields["owner"]
        team = self.fields["team"]
        assert isinstance(owner, forms.ModelChoiceField)
        assert isinstance(team, forms.ModelChoiceField)
        owner.queryset = owners_visible_to(user).order_by("display_name", "username")
        team.queryset = teams_holding_visible(user)
        for name, field in self.fields.items():
            if name not in ("q", "sort"):
                field.widget.attrs["class"] = "form-select"

    def filters(self) -> dict[str, Any]:
        """The valid part of the input as account_list() arguments; invalid values drop out
        (call after is_valid())."""
        data = getattr(self, "cleaned_data", {})
        return {
            "query": (data.get("q") or "").strip(),
            "tier": data.get("tier") or "",
            "lifecycle_stage": data.get("lifecycle") or "",
            "owner": data.get("owner"),
            "team": data.get("team"),
            "region": data.get("region") or "",
            "churn": data.get("churn") or "",
            "abc": data.get("abc") or "",
            "open_proposal": data.get("proposal") == OPEN_PROPOSAL,
            "sort": data.get("sort") or DEFAULT_ACCOUNT_SORT,
        }

    @property
    def is_filtered(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in FILTERS)
