"""Forms of the service pages: they parse and check the input; the services decide and write.
Fields are named as the services name them, so a service's refusal lands on its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from openkam.ledger.models import Product
from openkam.plans.forms import StyledForm, UserChoiceField, active_users
from openkam.relationships.models import Contact
from openkam.service.models import CaseKind, CaseStatus, Channel, ServiceCase, Severity

TEXT = forms.Textarea(attrs={"rows": 3})
WHEN = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")

SORTS = {
    "opened": ("opened_at", "pk"),
    "-opened": ("-opened_at", "-pk"),
    "due": ("resolution_due", "pk"),
    "-due": ("-resolution_due", "-pk"),
    "account": ("account__legal_name", "pk"),
    "-account": ("-account__legal_name", "-pk"),
}


class CaseForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CaseKind.choices)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=Severity.choices, initial=Severity.MEDIUM
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=TEXT)
    contact = forms.ModelChoiceField(
        label=_("Raised by"), queryset=Contact.objects.none(), required=False
    )
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.order_by("sku"), required=False
    )
    family = forms.CharField(label=_("Product family"), max_length=100, required=False)
    owner = UserChoiceField(label=_("Owner"), queryset=active_users(), required=False)
    opened_at = forms.DateTimeField(label=_("Opened at"), widget=WHEN)
    first_response_at = forms.DateTimeField(
        label=_("First response at"), required=False, widget=WHEN
    )
    containment = forms.CharField(label=_("Containment action"), required=False, widget=TEXT)
    root_cause = forms.CharField(label=_("Root cause"), required=False, widget=TEXT)
    corrective_action = forms.CharField(label=_("Corrective action"), required=False, widget=TEXT)
    prevention = forms.CharField(label=_("Prevention"), required=False, widget=TEXT)
    cost = forms.DecimalField(
        label=_("Cost of the case"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
        help_text=_("Booked to the account's cost to serve when the case is resolved."),
    )

    def __init__(self, *args: Any, account_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = Contact.objects.filter(account_id=account_id)  # type: ignore[attr-defined]


class ResolveForm(StyledForm):
    root_cause = forms.CharField(label=_("Root cause"), required=False, widget=TEXT)
    corrective_action = forms.CharField(label=_("Corrective action"), required=False, widget=TEXT)
    resolved_at = forms.DateTimeField(label=_("Resolved at"), required=False, widget=WHEN)
    cost = forms.DecimalField(
        label=_("Cost of the case"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
        help_text=_("Booked to the account's cost to serve when the case is resolved."),
    )


class MoveForm(StyledForm):
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices)


class ListFilterForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), ("open", _("Open")), *CaseStatus.choices],
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *CaseKind.choices]
    )
    severity = forms.ChoiceField(
        label=_("Severity"),
        required=False,
        choices=[("", _("All severities")), *Severity.choices],
    )
    breached = forms.ChoiceField(
        label=_("SLA"),
        required=False,
        choices=[("", _("Any SLA")), ("yes", _("SLA breached")), ("no", _("Within SLA"))],
    )
    q = forms.CharField(label=_("Account or title"), required=False, max_length=100)
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Account or title")


class TrainingForm(StyledForm):
    held_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    topic = forms.CharField(label=_("Topic"), max_length=200)
    trainer = forms.CharField(label=_("Trainer"), max_length=100)
    attendees = forms.ModelMultipleChoiceField(
        label=_("Attendees"), queryset=Contact.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )  # fmt: skip
    other_attendees = forms.CharField(
        label=_("Other attendees"), max_length=300, required=False,
        help_text=_("People not on the relationship map, and how many came."),
    )  # fmt: skip
    cases = forms.ModelMultipleChoiceField(
        label=_("Linked cases"), queryset=ServiceCase.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )  # fmt: skip
    notes = forms.CharField(label=_("Notes"), required=False, widget=TEXT)

    def __init__(self, *args: Any, account_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attendees"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Contact.objects.filter(account_id=account_id).order_by("name")
        cases = self.fields["cases"]
        assert isinstance(cases, forms.ModelMultipleChoiceField)
        cases.queryset = ServiceCase.objects.filter(account_id=account_id).order_by("-opened_at")


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Your rating"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)],
        widget=forms.RadioSelect,
    )  # fmt: skip
    comment = forms.CharField(label=_("Anything to add?"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
