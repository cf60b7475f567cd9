"""Forms of the pipeline pages: they parse and check the input; the services decide."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openkam.accounts.models import Account, Competitor
from openkam.accounts.selectors import teams_visible_to
from openkam.ledger.models import Product
from openkam.pipeline.leads import Lead, leads_from_cells
from openkam.pipeline.mode import stages
from openkam.pipeline.models import ChainPosition, IndustryChain, ScreeningOutcome, TechnologyLevel
from openkam.plans.forms import DATE, StyledForm, UserChoiceField, active_users
from openkam.plans.models import Objective
from openkam.team.models import Role, Team, User


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
    objective_id = forms.ModelChoiceField(
        label=_("Plan objective"), queryset=Objective.objects.none(), required=False
    )

    def __init__(self, *args: Any, objectives: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_id"].queryset = active_users()  # type: ignore[attr-defined]
        if objectives is None:
            del self.fields["objective_id"]
        else:
            self.fields["objective_id"].queryset = objectives  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        owner = data.pop("owner_id")
        data["owner_id"] = owner.pk if owner else None
        data["product_ids"] = [product.pk for product in data["product_ids"]]
        data["competitor_ids"] = [competitor.pk for competitor in data["competitor_ids"]]
        if "objective_id" in data:
            objective = data.pop("objective_id")
            data["objective_id"] = objective.pk if objective else None
        return data


class NewOpportunityForm(OpportunityForm):
    account_id = forms.ModelChoiceField(label=_("Account"), queryset=Account.objects.none())
    stage = forms.ChoiceField(label=_("Stage"))

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["stage"]).choices = [
            (stage.value, stage.label) for stage in stages().open
        ]
        self.fields["account_id"].queryset = accounts  # type: ignore[attr-defined]

    def service_fields(self) -> dict[str, Any]:
        data = super().service_fields()
        data["account_id"] = data["account_id"].pk
        return data


class MoveForm(StyledForm):
    stage = forms.ChoiceField(label=_("Move to"))
    reason = forms.CharField(
        label=pgettext_lazy("pipeline", "Reason"), max_length=300, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["stage"]).choices = stages().choices


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
            *stages().choices,
        ]
        cast(forms.ChoiceField, self.fields["owner"]).choices = [("", _("All owners")), *owners]

    def clean_month(self) -> str:
        month = self.cleaned_data["month"]
        if month and (len(month) != 7 or month[4] != "-" or not month.replace("-", "").isdigit()):
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return str(month)


class TermsForm(StyledForm):
    """An investment project's terms (招商项目): the amount is the planned investment."""

    land_mu = forms.DecimalField(
        label=_("Land (mu)"), max_digits=10, decimal_places=2, min_value=0, required=False
    )
    jobs = forms.IntegerField(label=_("Jobs"), min_value=0, required=False)
    annual_output = forms.DecimalField(
        label=_("Expected annual output"), max_digits=18, decimal_places=2, min_value=0,
        required=False,
    )  # fmt: skip
    annual_tax = forms.DecimalField(
        label=_("Expected annual tax"), max_digits=18, decimal_places=2, min_value=0,
        required=False,
    )  # fmt: skip
    policy_land = forms.CharField(label=_("Land policy"), max_length=300, required=False)
    policy_tax = forms.CharField(label=_("Tax policy"), max_length=300, required=False)
    policy_subsidies = forms.CharField(label=_("Subsidies"), max_length=300, required=False)
    policy_talent = forms.CharField(label=_("Talent policy"), max_length=300, required=False)
    competing_cities = forms.CharField(label=_("Competing cities"), max_length=300, required=False)
    decision_date = forms.DateField(label=_("Decision date"), widget=DATE, required=False)
    park_fit = forms.TypedChoiceField(
        label=_("Fit with the park's plan (1-5)"),
        choices=[("", "—"), *[(n, str(n)) for n in range(1, 6)]],
        coerce=int,
        empty_value=None,
        required=False,
    )


class ProfileForm(StyledForm):
    chain_id = forms.ModelChoiceField(
        label=_("Industry chain"), queryset=IndustryChain.objects.all(), required=False
    )
    position = forms.ChoiceField(
        label=_("Position in the chain"),
        choices=[("", "—"), *ChainPosition.choices],
        required=False,
    )
    market_share = forms.DecimalField(
        label=_("Market share (%)"), max_digits=5, decimal_places=2, required=False
    )
    patent_share = forms.DecimalField(
        label=_("Patent share (%)"), max_digits=5, decimal_places=2, required=False
    )
    technology_level = forms.TypedChoiceField(
        label=_("Technology level"),
        choices=[("", "—"), *TechnologyLevel.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    planned_expansion = forms.CharField(
        label=_("Planned expansion"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    policy_asks = forms.CharField(
        label=_("Policy support asked for"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        chain = data.pop("chain_id")
        data["chain_id"] = chain.pk if chain else None
        return data


class ChainLinkForm(StyledForm):
    supplier_id = forms.ModelChoiceField(label=_("Supplier"), queryset=Account.objects.none())
    supplies = forms.CharField(label=_("What it supplies"), max_length=200, required=False)

    def __init__(self, *args: Any, accounts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supplier_id"].queryset = accounts  # type: ignore[attr-defined]


class LeadUploadForm(StyledForm):
    file = forms.FileField(
        label=_("Lead list (CSV or spreadsheet)"),
        required=False,
        help_text=_(
            "Columns by their usual names in Chinese or English: 公司名称 / company name "
            "(required), 统一社会信用代码 / credit code, 行业 / industry, 区域 / region, "
            "联系人 / contact, 电话 / phone, 来源 / source."
        ),
    )
    pasted = forms.CharField(
        label=_("Or paste the rows (with their header row)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=200_000,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("file") and not (data.get("pasted") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste the rows."))
        return data


class LeadConvertForm(StyledForm):
    field_aliases = {"owner_id": "owner", "team_id": "team"}
    rows = forms.CharField(widget=forms.HiddenInput)
    list_name = forms.CharField(widget=forms.HiddenInput, max_length=200)
    owner = UserChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    team = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none(), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        teams = teams_visible_to(user).order_by("name")
        self.fields["team"].empty_label = "—"  # type: ignore[attr-defined]
        if user.role == Role.KAM and not user.is_superuser:
            teams = teams.filter(members=user)
            del self.fields["owner"]
            if teams.count() < 2:  # their one team (or none): nothing to choose
                del self.fields["team"]
                return
        else:
            owners = User.objects.filter(is_active=True, teams__in=teams) | User.objects.filter(
                pk=user.pk
            )
            self.fields["owner"].queryset = owners.distinct().order_by("username")  # type: ignore[attr-defined]
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]

    def picked(self) -> list[int]:
        """The row numbers ticked (checkboxes named `picked` on the page's table)."""
        values = self.data.getlist("picked") if hasattr(self.data, "getlist") else []
        return [int(value) for value in values if str(value).isdigit()]

    def clean_rows(self) -> list[Lead]:
        try:
            cells = json.loads(self.cleaned_data["rows"])
        except ValueError:
            cells = None
        if not isinstance(cells, list):
            raise forms.ValidationError(_("The list sent back is damaged: screen it again."))
        return leads_from_cells(cells)
