"""Forms of the account pages' writes: they parse and check the input, the services decide and
write. Fields are named as the services name them (`team_id`, `owner_id`), so a service's
ValidationError that names a field lands on that field (attach_error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms import modelform_factory
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import (
    Account,
    AccountTeamMember,
    AccountTeamRole,
    Competitor,
    CompetitorPresence,
    Industry,
    Region,
    Tier,
    credit_code_validator,
)
from openkam.accounts.selectors import teams_visible_to
from openkam.accounts.services import FACT_FIELDS, FACT_MODELS, SOURCE_FIELDS
from openkam.common.models import SourcedFact
from openkam.team.models import Role, Team, TeamMembership, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXTAREA = forms.Textarea(attrs={"rows": 2})


def style(form: forms.BaseForm) -> None:
    """Tabler's classes on every widget, and a test id named after the field."""
    for name, field in form.fields.items():
        widget = field.widget
        widget.attrs.setdefault("data-testid", f"field-{name}")
        if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
            widget.attrs["class"] = "form-check-input"
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def mark_invalid(form: forms.BaseForm) -> None:
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def attach_error(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal on the form: on the field it names when the form has it (by its
    attribute name, `owner_id`, or the form's, `owner`), else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
    else:
        for name, errors in error.message_dict.items():
            field = name if name in form.fields else name.removesuffix("_id")
            form.add_error(field if field in form.fields else None, errors)
    mark_invalid(form)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def blank_as_dash(field: forms.ChoiceField) -> list[tuple[Any, Any]]:
    """A choice field's choices with the blank one read as a dash, not "---------"."""
    choices: list[tuple[Any, Any]] = list(field.choices)  # type: ignore[arg-type]
    return [(value, "—" if value == "" else label) for value, label in choices]


def active_people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("display_name", "username")


# --- Creating an account -------------------------------------------------------------------


class AccountCreateForm(forms.Form):
    """A new account. A KAM creates into their own team with themselves as the owner; a
    director chooses among their teams and its people; an executive among all. The tier
    starts as General for a KAM: tiers are the yearly classification's decision."""

    legal_name = forms.CharField(label=_("Legal name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        required=False,
        help_text=_("18 characters with a check digit; leave empty if unknown."),
        validators=[credit_code_validator],
    )
    industry_id = forms.ModelChoiceField(
        label=_("Industry"),
        queryset=Industry.objects.order_by("code"),
        required=False,
        empty_label="—",
    )
    region = forms.ChoiceField(label=_("Region"), required=False)
    city = forms.CharField(label=_("City"), max_length=40, required=False)
    team_id = forms.ModelChoiceField(label=_("Team"), queryset=Team.objects.none())
    owner_id = PersonChoiceField(label=_("Key account manager"), queryset=User.objects.none())
    tier = forms.ChoiceField(label=_("Tier"), choices=Tier.choices, initial=Tier.GENERAL)
    confirm_duplicates = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [("", "—"), *Region.choices]
        team = self.fields["team_id"]
        owner = self.fields["owner_id"]
        assert isinstance(team, forms.ModelChoiceField)
        assert isinstance(owner, forms.ModelChoiceField)
        teams = teams_visible_to(user).order_by("name")
        team.queryset = teams
        if user.role == Role.KAM and not user.sees_all_accounts:
            # Their own team and themselves: the fields stay, fixed, so the page says so.
            del self.fields["owner_id"]
            del self.fields["tier"]
            own = Team.objects.filter(
                pk__in=TeamMembership.objects.filter(user=user).values("team_id")
            ).order_by("name")
            team.queryset = own
            if len(own) == 1:
                team.initial = own[0].pk
        else:
            people = active_people().filter(role__in=[Role.KAM, Role.DIRECTOR, Role.EXECUTIVE])
            if not user.sees_all_accounts:
                # Their teams' people, and executives: an account may be given to an
                # executive to run (任用高管人员负责).
                people = people.filter(
                    Q(pk__in=TeamMembership.objects.filter(team__in=teams).values("user_id"))
                    | Q(pk=user.pk)
                    | Q(role=Role.EXECUTIVE)
                )
            owner.queryset = people
            owner.initial = user.pk
        style(self)

    def full_clean(self) -> None:
        super().full_clean()
        mark_invalid(self)

    def account_data(self) -> dict[str, Any]:
        """The cleaned input as account_create's `data`."""
        data = dict(self.cleaned_data)
        data.pop("confirm_duplicates", None)
        for name in ("industry_id", "team_id", "owner_id"):
            value = data.get(name)
            data[name] = value.pk if value is not None else None
        if "owner_id" not in self.fields:
            data["owner_id"] = self.user.pk
        data.setdefault("tier", Tier.GENERAL)
        data["legal_name"] = data["legal_name"].strip()
        return data


# --- Facts of the profile ------------------------------------------------------------------

MONEY_FIELDS = {"revenue", "net_profit", "total_assets", "total_liabilities", "category_spend"}
# Foreign keys the services name by id (`owner_id`); the forms offer the row itself.
_FOREIGN = {"owner_id": "owner", "competitor_id": "competitor"}


def fact_form(
    kind: str, data: Any = None, *, instance: SourcedFact | None = None, prefix: str | None = None
) -> forms.ModelForm[Any]:
    """The form of one kind of fact: its own fields, then its source and date."""
    model = FACT_MODELS[kind]
    names = [_FOREIGN.get(name, name) for name in FACT_FIELDS[kind]] + list(SOURCE_FIELDS)
    widgets: dict[str, Any] = {"as_of": DATE, "date": DATE}
    for name in ("description", "text", "notes", "our_response"):
        widgets[name] = TEXTAREA
    form_class = modelform_factory(
        model,
        fields=names,
        widgets={k: v for k, v in widgets.items() if k in names},
        field_classes={"owner": PersonChoiceField} if "owner" in names else None,
    )
    form = form_class(data, instance=instance, prefix=prefix)
    if "owner" in form.fields:
        owner = form.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = active_people()
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField):
            field.empty_label = "—"
        elif isinstance(field, forms.TypedChoiceField):
            field.choices = blank_as_dash(field)
    for name in MONEY_FIELDS & set(form.fields):
        form.fields[name].help_text = _("In yuan, e.g. 12500000 for 12.5 million.")
    source = form.fields["source"]
    source.help_text = _("Where this comes from: annual report, the customer, a website …")
    style(form)
    if form.is_bound:
        form.is_valid()
        mark_invalid(form)
    return form


def fact_values(kind: str, form: forms.ModelForm[Any]) -> dict[str, Any]:
    """A valid fact form's input as the services' `fields` (rows as ids)."""
    values: dict[str, Any] = {}
    for name in (*FACT_FIELDS[kind], *SOURCE_FIELDS):
        value = form.cleaned_data.get(_FOREIGN.get(name, name))
        if name in _FOREIGN:
            value = value.pk if value is not None else None
        values[name] = value
    return values


class CompetitorPresenceForm(forms.Form):
    """A competitor at the account: its name (an existing one is offered as it is typed; a
    new name records the competitor), what it supplies and its share of the wallet."""

    competitor = forms.CharField(label=_("Competitor"), max_length=200)
    products = forms.CharField(label=_("Products supplied"), max_length=300, required=False)
    share_of_wallet = forms.DecimalField(
        label=_("Estimated share of wallet (%)"),
        max_digits=5,
        decimal_places=2,
        min_value=0,
        max_value=100,
        required=False,
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    as_of = forms.DateField(label=_("As of"), required=False, widget=DATE)

    def __init__(self, *args: Any, presence: CompetitorPresence | None = None, **kwargs: Any):
        if presence is not None:
            kwargs.setdefault(
                "initial",
                {
                    "competitor": presence.competitor.name,
                    "products": presence.products,
                    "share_of_wallet": presence.share_of_wallet,
                    "source": presence.source,
                    "as_of": presence.as_of,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["competitor"].widget.attrs["list"] = "competitor-names"
        self.fields["competitor"].widget.attrs["autocomplete"] = "off"
        self.fields["source"].help_text = _(
            "Where this comes from: annual report, the customer, a website …"
        )
        style(self)

    def full_clean(self) -> None:
        super().full_clean()
        mark_invalid(self)

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("competitor")
        return data


class CompetitorForm(forms.ModelForm[Competitor]):
    """A competitor's own facts, on its page."""

    class Meta:
        model = Competitor
        fields = ["country", "strengths", "weaknesses"]
        widgets = {"strengths": forms.Textarea(attrs={"rows": 3}), "weaknesses": TEXTAREA}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["weaknesses"].widget = forms.Textarea(attrs={"rows": 3})
        style(self)

    def full_clean(self) -> None:
        super().full_clean()
        mark_invalid(self)


class CompetitorFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("-accounts", _("Most accounts")),
            ("-share", _("Highest average share")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style(self)


# --- The account team ----------------------------------------------------------------------


class AccountTeamMemberForm(forms.Form):
    """One of our people for the account's team, with their role and a note. Offered: active
    people not on the team yet and not its KAM; the service says why anyone else is refused."""

    user_id = PersonChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=AccountTeamRole.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, account: Account, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["user_id"]
        assert isinstance(person, forms.ModelChoiceField)
        person.empty_label = "—"
        person.queryset = active_people().exclude(
            Q(pk__in=AccountTeamMember.objects.filter(account=account).values("user_id"))
            | Q(pk=account.owner_id)
        )
        style(self)

    def full_clean(self) -> None:
        super().full_clean()
        mark_invalid(self)


class AccountTeamRoleForm(forms.Form):
    """A member's role and note, changed in place on the card."""

    role = forms.ChoiceField(label=_("Role"), choices=AccountTeamRole.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
