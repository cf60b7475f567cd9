"""The alerts pages' forms: the worklists' filters (an explicit schema for the query string)
and the work on one alert (each action its own small form); the notification preferences."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account, Tier
from openkam.alerts.models import ACTIVE_STATES, Alert, AlertState
from openkam.alerts.rules import RULES
from openkam.alerts.selectors import awake
from openkam.plans.forms import UserChoiceField
from openkam.team.models import Role, User

SELECT = {"class": "form-select"}
DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})
# The worklists' "state" filter: the awake active alerts unless asked otherwise.
SNOOZED = "snoozed"
STATE_CHOICES = [
    ("", _("Open and acknowledged")),
    (AlertState.OPEN, AlertState.OPEN.label),
    (AlertState.ACKNOWLEDGED, AlertState.ACKNOWLEDGED.label),
    (SNOOZED, _("Snoozed")),
    (AlertState.RESOLVED, AlertState.RESOLVED.label),
    (AlertState.DISMISSED, AlertState.DISMISSED.label),
]
SORTS = {
    "value": "-value_at_risk",  # the largest first on the first click
    "-value": "value_at_risk",
    "tier": "tier_rank",
    "-tier": "-tier_rank",
    "level": "level",
    "-level": "-level",
    "raised": "first_seen",
    "-raised": "-first_seen",
    "account": "account__legal_name",
    "-account": "-account__legal_name",
    "rule": "rule",
    "-rule": "-rule",
}


def rule_choices() -> list[tuple[str, str]]:
    return [(key, str(rule.title)) for key, rule in RULES.items()]


class AlertFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Account"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"class": "form-control", "placeholder": _("Search an account")}
        ),
    )
    rule = forms.ChoiceField(label=_("Rule"), required=False, widget=forms.Select(attrs=SELECT))
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=STATE_CHOICES, widget=forms.Select(attrs=SELECT)
    )
    tier = forms.ChoiceField(
        label=_("Tier"),
        required=False,
        choices=[("", _("All tiers")), *Tier.choices],
        widget=forms.Select(attrs=SELECT),
    )
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rule = self.fields["rule"]
        assert isinstance(rule, forms.ChoiceField)
        rule.choices = [("", _("All rules")), *rule_choices()]

    def filtered(self, alerts: QuerySet[Alert]) -> QuerySet[Alert]:
        """The alerts the filters keep, ranked (value at risk, then tier) unless sorted."""
        data = self.cleaned_data if self.is_valid() else {}
        state = data.get("state") or ""
        if state == SNOOZED:
            alerts = alerts.filter(state__in=ACTIVE_STATES).exclude(
                pk__in=awake(alerts).values("pk")
            )
        elif state:
            alerts = alerts.filter(state=state)
        else:
            alerts = awake(alerts)
        if data.get("rule"):
            alerts = alerts.filter(rule=data["rule"])
        if data.get("tier"):
            alerts = alerts.filter(account__tier=data["tier"])
        if data.get("q"):
            words = data["q"].strip()
            alerts = alerts.filter(
                Q(account__legal_name__icontains=words) | Q(account__short_name__icontains=words)
            )
        sort = SORTS.get(data.get("sort") or "")
        return alerts.order_by(sort, "pk") if sort else alerts


class TeamFilterForm(forms.Form):
    """The director's worklist: one KAM's rows, sorted."""

    kam = UserChoiceField(
        label=_("KAM"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All KAMs"),
        widget=forms.Select(attrs=SELECT),
    )
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, assignees: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kam = self.fields["kam"]
        assert isinstance(kam, forms.ModelChoiceField)
        kam.queryset = assignees.order_by("username")

    def filtered(self, alerts: QuerySet[Alert]) -> QuerySet[Alert]:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("kam"):
            alerts = alerts.filter(assignee=data["kam"])
        sort = SORTS.get(data.get("sort") or "")
        oldest_first = ("raised_at", "pk")  # annotated by selectors.needs_attention
        return alerts.order_by(*((sort, "pk") if sort else oldest_first))


class ResolveForm(forms.Form):
    note = forms.CharField(
        label=_("What was done"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class DismissForm(forms.Form):
    reason = forms.CharField(
        label=_("Why dismiss it"),
        max_length=2000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
    )


class SnoozeForm(forms.Form):
    until = forms.DateField(label=_("Snooze until"), widget=DATE)


class AssignForm(forms.Form):
    assignee = UserChoiceField(
        label=_("Assign to"),
        queryset=User.objects.none(),
        widget=forms.Select(attrs=SELECT),
        empty_label=None,
    )

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = assignable_users(account)


def assignable_users(account: Account) -> QuerySet[User]:
    """Who may take the account's alerts: its team's members and director, its KAM, the
    executives (the service checks that the chosen one sees the account)."""
    people = Q(role=Role.EXECUTIVE) | Q(pk=account.owner_id)
    if account.team_id is not None:
        people |= Q(teams=account.team_id) | Q(directed_teams=account.team_id)
    writers = [Role.EXECUTIVE, Role.DIRECTOR, Role.KAM]
    return (
        User.objects.filter(people, is_active=True, role__in=writers)
        .distinct()
        .order_by("username")
    )


class PreferenceForm(forms.Form):
    digest = forms.BooleanField(
        label=_("Send me a daily digest of the alerts raised or escalated for me"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    immediate_rules = forms.MultipleChoiceField(
        label=_("Mail me at once when one of these rules raises or escalates an alert for me"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    language = forms.ChoiceField(
        label=_("Language of the mails"),
        required=False,
        choices=[("", _("The site's language")), *settings.LANGUAGES],
        widget=forms.Select(attrs=SELECT),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rules = self.fields["immediate_rules"]
        assert isinstance(rules, forms.MultipleChoiceField)
        rules.choices = rule_choices()
