"""Forms of the contract pages: they parse and check the input; the services decide and write.
Fields are named as the services name them, so a service's refusal lands on its field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from openkam.contracts.models import (
    MAX_NOTICE_DAYS,
    AttachmentKind,
    CommitmentPeriod,
    ContractKind,
    ContractStatus,
)
from openkam.ledger.models import Product
from openkam.plans.forms import DATE, StyledForm, UserChoiceField, active_users
from openkam.team.models import Role, User

TEXT = forms.Textarea(attrs={"rows": 2})


class ContractForm(StyledForm):
    kind = forms.ChoiceField(label=_("Type"), choices=ContractKind.choices)
    number = forms.CharField(label=_("Contract number"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=200)
    covers_group = forms.BooleanField(
        label=_("Covers the group's subsidiaries"),
        required=False,
        help_text=_("Signed with the group: purchases of every company below it count."),
    )
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    notice_days = forms.IntegerField(
        label=_("Notice period (days)"), min_value=0, max_value=MAX_NOTICE_DAYS, initial=0
    )
    auto_renew = forms.BooleanField(label=_("Renews automatically"), required=False)
    currency = forms.RegexField(label=_("Currency"), regex=r"^[A-Z]{3}$", initial="CNY")
    commitment_period = forms.ChoiceField(
        label=_("Volumes and values are"),
        choices=CommitmentPeriod.choices,
        initial=CommitmentPeriod.YEAR,
    )
    committed_value = forms.DecimalField(
        label=_("Contracted value per period"),
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=2,
        help_text=_("All purchases of the covered companies count towards it."),
    )
    delivery_terms = forms.CharField(label=_("Delivery terms"), required=False, widget=TEXT)
    price_terms = forms.CharField(label=_("Price terms"), required=False, widget=TEXT)
    payment_terms = forms.CharField(label=_("Payment terms"), required=False, widget=TEXT)
    payment_days = forms.IntegerField(
        label=_("Payment within (days)"), min_value=0, max_value=MAX_NOTICE_DAYS, required=False
    )
    quality_terms = forms.CharField(label=_("Quality terms"), required=False, widget=TEXT)
    breach_liability = forms.CharField(label=_("Breach liability"), required=False, widget=TEXT)
    dispute_resolution = forms.CharField(label=_("Dispute resolution"), required=False, widget=TEXT)
    owner = UserChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = active_users()  # type: ignore[attr-defined]


class ItemForm(StyledForm):
    family = forms.CharField(label=_("Product family"), max_length=100, required=False)
    product = forms.ModelChoiceField(
        label=_("Product"), queryset=Product.objects.none(), required=False
    )
    specification = forms.CharField(label=_("Specification"), required=False, widget=TEXT)
    quality_terms = forms.CharField(label=_("Quality terms"), required=False, widget=TEXT)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    unit_price = forms.DecimalField(
        label=_("Contracted unit price"), required=False, min_value=0, decimal_places=4
    )
    quantity = forms.DecimalField(
        label=_("Volume per period"), required=False, min_value=0, decimal_places=3
    )
    amount = forms.DecimalField(
        label=_("Value per period"), required=False, min_value=0, decimal_places=2
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.order_by("sku")  # type: ignore[attr-defined]

    def has_what(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("family") or data.get("product"))


ItemFormSet = forms.formset_factory(ItemForm, extra=2, can_delete=True, max_num=50)


def item_rows(formset: Any) -> list[dict[str, Any]]:
    """The filled, kept rows of the items formset as the services take them."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.has_what() and not form.cleaned_data.get("DELETE")
    ]


def approvers() -> QuerySet[User]:
    return active_users().filter(Q(role__in=[Role.EXECUTIVE, Role.DIRECTOR]) | Q(is_superuser=True))


class AmendmentForm(StyledForm):
    summary = forms.CharField(label=_("What changes"), max_length=300)
    reason = forms.CharField(label=_("Why"), widget=TEXT)
    approved_by = UserChoiceField(label=_("Approved by"), queryset=User.objects.none())
    effective_on = forms.DateField(label=_("Effective from"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approved_by"].queryset = approvers()  # type: ignore[attr-defined]


class SignForm(StyledForm):
    signed_on = forms.DateField(label=_("Signed on"), widget=DATE)


class TerminateForm(StyledForm):
    terminated_on = forms.DateField(label=_("Terminated on"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), widget=TEXT)


class RenewForm(StyledForm):
    number = forms.CharField(label=_("Number of the new contract"), max_length=60)


class AttachmentForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices)
    file = forms.FileField(label=_("File"))


SORTS = {
    "renewal": ("notice_by", "pk"),
    "-renewal": ("-notice_by", "-pk"),
    "end": ("ends_on", "pk"),
    "-end": ("-ends_on", "-pk"),
    "account": ("account__legal_name", "pk"),
    "-account": ("-account__legal_name", "-pk"),
    "number": ("number",),
    "-number": ("-number",),
    "value": ("committed_value", "pk"),
    "-value": ("-committed_value", "-pk"),
}


class ListFilterForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ContractStatus.choices],
    )
    within = forms.IntegerField(
        label=_("Renewal due within (days)"), required=False, min_value=0, max_value=3660
    )
    q = forms.CharField(label=_("Account or number"), required=False, max_length=100)
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["within"].widget.attrs["placeholder"] = _("Renewal due within (days)")
        self.fields["q"].widget.attrs["placeholder"] = _("Account or number")
