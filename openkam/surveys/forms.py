"""Forms of the survey pages: they parse the input; the services decide and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Tier
from openkam.plans.forms import StyledForm, UserChoiceField, active_users
from openkam.surveys.models import Campaign, Channel, Language, SurveyTemplate
from openkam.surveys.selectors import GROUPS
from openkam.surveys.services import KEY_TIERS

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BY_LABELS = {
    "account": _("Per account"),
    "tier": _("Per tier"),
    "kam": _("Per KAM"),
    "campaign": _("Per campaign"),
    "family": _("Per product family"),
}


class ResultsFilterForm(StyledForm):
    by = forms.ChoiceField(
        label=_("Group"), choices=[(g, BY_LABELS[g]) for g in GROUPS], required=False
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.none(), required=False,
        empty_label=_("Every campaign"),
    )  # fmt: skip
    tier = forms.ChoiceField(
        label=_("Tier"), choices=[("", _("Every tier")), *Tier.choices], required=False
    )
    owner = UserChoiceField(
        label=_("KAM"), queryset=active_users(), required=False, empty_label=_("Every KAM")
    )
    account = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, campaigns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns  # type: ignore[attr-defined]


class CampaignForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    template = forms.ModelChoiceField(
        label=_("Survey template"), queryset=SurveyTemplate.objects.all(), empty_label=None
    )
    period_start = forms.DateField(label=_("Period from"), widget=DAY)
    period_end = forms.DateField(label=_("Period to"), widget=DAY)
    expires_on = forms.DateField(label=_("Links work until"), widget=DAY)
    tiers = forms.MultipleChoiceField(
        label=_("Tiers"), choices=Tier.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("The accounts of these tiers you may change (key tiers by default)."),
    )  # fmt: skip
    min_influence = forms.IntegerField(
        label=_("Contacts of influence at least"), min_value=1, max_value=5, initial=3
    )
    language = forms.ChoiceField(label=_("Language of the links"), choices=Language.choices)

    @classmethod
    def initial_values(cls) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "period_start": today.replace(day=1),
            "period_end": today,
            "expires_on": today + dt.timedelta(days=21),
            "tiers": list(KEY_TIERS),
            "min_influence": 3,
            "language": Language.ZH,
        }


class AnswerForm(forms.Form):
    """The answers, public or staff-entered; the service checks the ranges again."""

    csat_product = forms.IntegerField(min_value=1, max_value=5, required=False)
    csat_service = forms.IntegerField(min_value=1, max_value=5, required=False)
    csat_sales = forms.IntegerField(min_value=1, max_value=5, required=False)
    nps = forms.IntegerField(min_value=0, max_value=10)
    comment = forms.CharField(max_length=2000, required=False)


class StaffAnswerForm(AnswerForm):
    channel = forms.ChoiceField(
        label=_("Taken down during"),
        choices=[(c.value, c.label) for c in (Channel.PHONE, Channel.VISIT)],
    )
