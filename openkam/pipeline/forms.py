"""Forms of the pipeline pages: they parse and check the input; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openkam.accounts.models import Account, Competitor
from openkam.ledger.models import Product
from openkam.pipeline.models import OPEN_STAGES, ScreeningOutcome, Stage
from openkam.plans.forms import DATE, StyledForm, UserChoiceField, active_users
from openkam.team.models import User


class OpportunityForm(StyledForm):
    field_aliases = {"owner": "owner_id", "products": "product_ids"}
    title = forms.CharField(label=pgettext_lazy("pipeline", "Title"), max_length=200)
    amount = forms.DecimalField(label=_("Amount"), max_digits=18, decimal_places=2, min_value=0)
    expected_close = forms.DateField(label=_("Expected close date"), widget=DATE)
    owner_id = UserChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    families = forms.CharField(label=_("Product families"), max_length=300, required=False)
    product_ids = forms.ModelMultipleChoiceField(
        label=_("Products"), queryset=Product.objects.order_by("sku"), required=False
    )
    competitor_ids = forms.ModelMultipleChoiceField(
        label=_("Competitors on it"), queryset=Competitor.objects.order_by("name"), required=False
    )
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_id"].queryset = active_users()  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        owner = data.pop("owner_id")
        data["owner_id"] = owner.pk if owner else None
        data["product_ids"] = [product.pk for product in data["product_ids"]]
        data["competitor_ids"] = [competitor.pk for competitor in data["competitor_ids"]]
        return data


class NewOpportunityForm(OpportunityForm):
    account_id = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none())
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[(stage.value, stage.label) for stage in OPEN_STAGES]
    )

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account_id"].queryset = accounts  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = super().service_fields()
        data["account_id"] = data["account_id"].pk
        return data


class MoveForm(StyledForm):
    stage = forms.ChoiceField(label=_("Move to"), choices=Stage.choices)
    reason = forms.CharField(
        label=pgettext_lazy("pipeline", "Reason"), max_length=300, required=False
    )


class ScreenForm(StyledForm):
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=ScreeningOutcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=pgettext_lazy("pipeline", "Reason"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ListFilterForm(StyledForm):
    q = forms.CharField(label=_("Account"), required=False)
    stage = forms.ChoiceField(label=_("Stage"), required=False)
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int, required=False, empty_value=None)
    month = forms.CharField(
        label=_("Close month"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, owners: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = _("Search accounts")
        cast(forms.ChoiceField, self.fields["stage"]).choices = [
            ("", _("All stages")),
            ("open", pgettext_lazy("pipeline", "Open")),
            *Stage.choices,
        ]
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", _("All owners")), *owners]

    def clean_month(self) -> str:
        month = self.cleaned_data["month"]
        if month and (len(month) != 7 or month[4] != "-" or not month.replace("-", "").isdigit()):
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return str(month)
