"""Forms of the retention pages: they parse and check the input; the services decide and
write. Fields are named as the services name them, so a refusal lands on its field."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account, LifecycleStage, Tier
from openkam.plans.forms import DATE, StyledForm, UserChoiceField
from openkam.retention.models import Cause, Outcome, WinBackCase
from openkam.team.models import Team, User


def _owner_choices(users: QuerySet[User]) -> list[tuple[int, str]]:
    return [(user.pk, str(user)) for user in users]


class CaseForm(StyledForm):
    field_aliases = {"owner": "owner_id"}
    cause = forms.ChoiceField(label=_("Cause"), choices=Cause.choices)
    owner_id = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    notes = forms.CharField(
        label=_("What we know"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    offer = forms.CharField(
        label=_("Offer made"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = _owner_choices(owners)


class OutcomeForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    outcome_on = forms.DateField(label=_("Outcome date"), widget=DATE)
    note = forms.CharField(
        label=_("What happened"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["outcome"].widget.attrs["class"] = "form-check-input"


class ActionForm(StyledForm):
    field_aliases = {"owner": "owner_id"}
    title = forms.CharField(label=_("Action"), max_length=300)
    owner_id = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    due_on = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args: Any, owners: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["owner_id"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = _owner_choices(owners)


class OverrideForm(StyledForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=LifecycleStage.choices)
    reason = forms.CharField(
        label=_("Why the data's stage does not fit"), widget=forms.Textarea(attrs={"rows": 2})
    )


STATES = [
    ("", _("All cases")),
    ("open", _("Open")),
    *Outcome.choices,
]
CASE_SORTS = {
    "opened": "opened_on",
    "-opened": "-opened_on",
    "account": "account__legal_name",
    "-account": "-account__legal_name",
    "revenue": "revenue_at_stake",
    "-revenue": "-revenue_at_stake",
    "outcome": "outcome_on",
    "-outcome": "-outcome_on",
}


class CaseFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("All teams"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    owner = UserChoiceField(
        label=_("Owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All owners"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    tier = forms.ChoiceField(
        label=_("Tier"),
        required=False,
        choices=[("", _("All tiers")), *Tier.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    cause = forms.ChoiceField(
        label=_("Cause"),
        required=False,
        choices=[("", _("All causes")), *Cause.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=STATES,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in CASE_SORTS], widget=forms.HiddenInput
    )

    def __init__(
        self, *args: Any, teams: QuerySet[Team], accounts: QuerySet[Account], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        team, owner = self.fields["team"], self.fields["owner"]
        assert isinstance(team, forms.ModelChoiceField)
        assert isinstance(owner, forms.ModelChoiceField)
        team.queryset = teams.order_by("name")
        owner.queryset = User.objects.filter(
            pk__in=WinBackCase.objects.filter(account__in=accounts).values("owner_id")
        ).order_by("username")

    def filtered(self, cases: QuerySet[WinBackCase]) -> QuerySet[WinBackCase]:
        """The cases the filters keep, sorted (newest first when no sort is asked)."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("team"):
            cases = cases.filter(account__team=data["team"])
        if data.get("owner"):
            cases = cases.filter(owner=data["owner"])
        if data.get("tier"):
            cases = cases.filter(account__tier=data["tier"])
        if data.get("cause"):
            cases = cases.filter(cause=data["cause"])
        state = data.get("state")
        if state == "open":
            cases = cases.filter(outcome="")
        elif state:
            cases = cases.filter(outcome=state)
        order = CASE_SORTS.get(data.get("sort") or "", "-opened_on")
        return cases.order_by(order, "-pk")


class PeriodForm(forms.Form):
    """Two dates for the funnel's movement (a year ago to today by default)."""

    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)

    def period(self) -> tuple[dt.date, dt.date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - dt.timedelta(days=365)
        return (start, end) if start <= end else (end, start)
