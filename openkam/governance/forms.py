"""Input of the governance pages, parsed before any service sees it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Tier
from openkam.portfolio.models import PortfolioSettings, ScoringCriterion, TierProposal

TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}
AREA = {"class": "form-control", "rows": 2}


def attach_error(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the field it names when the form has it, else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


class OpenForm(forms.Form):
    year = forms.IntegerField(
        label=_("year"), min_value=2000, max_value=2100, widget=forms.NumberInput(TEXT)
    )


class ProposalForm(forms.Form):
    proposed_tier = forms.ChoiceField(
        label=_("proposed tier"), choices=Tier.choices, widget=forms.Select(attrs=SELECT)
    )
    reason = forms.CharField(label=_("justification"), widget=forms.Textarea(AREA))


class AddForm(ProposalForm):
    account_id = forms.IntegerField(
        label=_("account ID"), min_value=1, widget=forms.NumberInput(TEXT)
    )
    field_order = ["account_id", "proposed_tier", "reason"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("why withdrawn"), widget=forms.Textarea(AREA))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("Approve")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.Textarea(AREA))


class ApproveRestForm(forms.Form):
    comment = forms.CharField(label=_("comment"), required=False, widget=forms.TextInput(TEXT))


class ProposalFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All")), *TierProposal.Status.choices],
        widget=forms.Select(attrs=SELECT),
    )
    tier = forms.ChoiceField(
        label=_("proposed tier"),
        required=False,
        choices=[("", _("All tiers")), *Tier.choices],
        widget=forms.Select(attrs=SELECT),
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[(key, key) for key in ("account", "-account", "current", "-current", "status")],
    )


class SettingsForm(forms.ModelForm):
    """The company's thresholds and cut-offs; each rule checked with the field it is about."""

    class Meta:
        model = PortfolioSettings
        fields = [
            "key_threshold",
            "major_threshold",
            "key_requires_leader",
            "major_requires_mid_or_leader",
            "tier_measure",
            "tier_period",
            "fiscal_year_start_month",
            "abc_a_cutoff",
            "abc_b_cutoff",
            "discount_rate",
            "clv_horizon_months",
            "purchase_model",
            "forecast_model_weight",
            "loyalty_preference_cut",
            "loyalty_repeat_cut",
            "portfolio_attractiveness_cut",
            "portfolio_strength_cut",
            "portfolio_cut",
            "sales_profit_cut",
            "sales_profit_revenue_cut",
            "sales_profit_margin_cut",
            "volume_loyalty_cut",
            "volume_loyalty_revenue_cut",
            "default_vat_rate",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select"
            else:
                field.widget.attrs["class"] = "form-control"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key, major = data.get("key_threshold"), data.get("major_threshold")
        if key is not None and major is not None and major >= key:
            self.add_error(
                "major_threshold",
                _("The major account threshold must be below the key account threshold."),
            )
        a, b = data.get("abc_a_cutoff"), data.get("abc_b_cutoff")
        if a is not None and b is not None and not Decimal("0") < a < b <= Decimal("1"):
            self.add_error(
                "abc_b_cutoff",
                _("ABC cut-offs must rise: 0 < A's cut-off < B's cut-off ≤ 1."),
            )
        return data


class WeightForm(forms.ModelForm):
    class Meta:
        model = ScoringCriterion
        fields = ["name", "name_en", "weight", "is_active"]
        widgets = {
            "name": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "name_en": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "weight": forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
            "is_active": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }


WeightFormSet = forms.modelformset_factory(ScoringCriterion, form=WeightForm, extra=0)


class CriterionAddForm(forms.ModelForm):
    """A new scorecard criterion: which scorecard, a key, its names in both languages, a weight.
    Every field blank: nothing is added."""

    class Meta:
        model = ScoringCriterion
        fields = ["scorecard", "key", "name", "name_en", "weight"]
        widgets = {
            "scorecard": forms.Select(attrs={"class": "form-select form-select-sm"}),
            "key": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "name": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "name_en": forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            "weight": forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False

    def is_blank(self) -> bool:
        data = self.data
        return not any(str(data.get(self.add_prefix(n), "")).strip() for n in self.Meta.fields[1:])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_blank():
            return data
        for name in self.Meta.fields:
            if data.get(name) in (None, ""):
                self.add_error(name, _("This field is required."))
        scorecard, key = data.get("scorecard"), data.get("key")
        if key and ScoringCriterion.objects.filter(scorecard=scorecard, key=key).exists():
            self.add_error("key", _("This scorecard has a criterion with this key already."))
        return data


class ServiceLevelForm(forms.Form):
    """One tier's entitlements (分级差异化服务): the visit cadence (the interactions app's
    contact cadence), an executive sponsor, priority delivery, dedicated training and the
    technical-support response time."""

    every_days = forms.IntegerField(
        label=_("visit every (days)"),
        min_value=1,
        max_value=730,
        widget=forms.NumberInput({"class": "form-control form-control-sm"}),
    )
    executive_sponsor = forms.BooleanField(label=_("executive sponsor"), required=False)
    priority_delivery = forms.BooleanField(label=_("priority delivery"), required=False)
    dedicated_training = forms.BooleanField(label=_("dedicated training"), required=False)
    support_response_hours = forms.IntegerField(
        label=_("technical support responds within (hours)"),
        min_value=1,
        max_value=720,
        widget=forms.NumberInput({"class": "form-control form-control-sm"}),
    )

    def __init__(self, data: Any = None, *, tier: str, **kwargs: Any) -> None:
        super().__init__(data, prefix=f"s-{tier}", **kwargs)
        self.tier = tier
        self.tier_label = Tier(tier).label
        for name in ("executive_sponsor", "priority_delivery", "dedicated_training"):
            self.fields[name].widget.attrs["class"] = "form-check-input"


def check_weights(formset: Any) -> None:
    """Each scorecard needs active criteria whose weights sum above zero."""
    if not formset.is_valid():
        return
    totals: dict[str, Decimal] = {}
    for form in formset.forms:
        criterion = form.instance
        if form.cleaned_data.get("is_active"):
            weight = form.cleaned_data.get("weight") or Decimal("0")
            totals[criterion.scorecard] = totals.get(criterion.scorecard, Decimal("0")) + weight
    for scorecard, label in ScoringCriterion.Scorecard.choices:
        if totals.get(scorecard, Decimal("0")) <= 0:
            message = _("The weights of %(scorecard)s must sum above zero.")
            formset._non_form_errors.append(str(message % {"scorecard": label}))


class DesignationForm(forms.Form):
    """A strategic designation: the account, on or off, the four criteria with evidence."""

    account_id = forms.IntegerField(
        label=_("account ID"), min_value=1, widget=forms.NumberInput(TEXT)
    )
    designate = forms.TypedChoiceField(
        label=_("decision asked"),
        choices=[("1", _("Designate strategic")), ("0", _("Withdraw the designation"))],
        coerce=lambda value: value == "1",
        widget=forms.Select(attrs=SELECT),
    )
    brand = forms.BooleanField(label=_("well-known brand"), required=False)
    brand_evidence = forms.CharField(
        label=_("evidence"), required=False, widget=forms.TextInput(TEXT)
    )
    cooperation = forms.BooleanField(label=_("strategic cooperation potential"), required=False)
    cooperation_evidence = forms.CharField(
        label=_("evidence"), required=False, widget=forms.TextInput(TEXT)
    )
    global_sourcing = forms.BooleanField(
        label=_("entry into the customer's global sourcing"), required=False
    )
    global_sourcing_evidence = forms.CharField(
        label=_("evidence"), required=False, widget=forms.TextInput(TEXT)
    )
    not_competitor = forms.BooleanField(label=_("not a competitor"), required=False)
    not_competitor_evidence = forms.CharField(
        label=_("evidence"), required=False, widget=forms.TextInput(TEXT)
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(AREA))
