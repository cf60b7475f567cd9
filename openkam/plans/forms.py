"""Forms of the plan pages: they parse and check the input; the services decide and write.

Every form names its fields as the services do, so a service's ValidationError that names a
field lands on that field (attach_error)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from openkam.accounts.models import Tier
from openkam.accounts.selectors import owners_visible_to
from openkam.plans.models import (
    AccountPlan,
    Decision,
    Metric,
    Objective,
    PlanStatus,
    Progress,
    ResourceFunction,
    RiskCategory,
    RiskSource,
    RiskStatus,
    Strategy,
    SwotKind,
    TeamRole,
    ValueComponent,
)
from openkam.plans.risks import Level, Rating
from openkam.relationships.models import Contact, JointProjectKind, JointProjectStatus
from openkam.team.models import Team, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StyledForm(forms.Form):
    """Tabler's classes on every widget, is-invalid on the fields in error."""

    # A service's name for a field -> this form's (the services name the model's field,
    # the forms the id they send).
    field_aliases: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid()

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def attach_error(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: on the field it names when the form has it, else
    above the form (prefixed with the field's label when there is one)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
    else:
        aliases = getattr(form, "field_aliases", {})
        for name, errors in error.message_dict.items():
            name = aliases.get(name, name)
            form.add_error(name if name in form.fields else None, errors)
    if isinstance(form, StyledForm):
        form.mark_invalid()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


def active_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True).order_by("username")


# --- Creating a plan -----------------------------------------------------------------------


class PlanCreateForm(StyledForm):
    title = forms.CharField(label=_("Plan title"), max_length=200, required=False)
    period_start = forms.DateField(label=_("Period start"), required=False, widget=DATE)
    period_end = forms.DateField(label=_("Period end"), required=False, widget=DATE)
    accept_revenue_target = forms.BooleanField(
        label=_("Take the suggested revenue target as the first objective"), required=False
    )
    accept_strategy = forms.BooleanField(
        label=_("Take the portfolio quadrant's strategy"), required=False
    )
    whitespace_families = forms.MultipleChoiceField(
        label=_("Whitespace to win"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, families: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["whitespace_families"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(family, family) for family in families]


# --- The plan's frame and parts ------------------------------------------------------------


class PlanTextsForm(StyledForm):
    """The plan's own texts. Only the internal notes stay writable once a plan is submitted
    (the service refuses the rest), so the form offers only those then."""

    title = forms.CharField(label=_("Plan title"), max_length=200)
    customer_goals = forms.CharField(
        label=_("The customer's goals and strategy"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    customer_changes = forms.CharField(
        label=_("What is changing in their business"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    value_proposition = forms.CharField(
        label=_("Value proposition"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    value_plan = forms.CharField(
        label=_("How the plan widens the customer's delivered value"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    internal_notes = forms.CharField(
        label=_("Internal notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, plan: AccountPlan, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {name: getattr(plan, name) for name in self.base_fields})
        super().__init__(*args, **kwargs)
        if not plan.is_editable():
            for name in list(self.fields):
                if name != "internal_notes":
                    del self.fields[name]


class SwotForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=SwotKind.choices)
    text = forms.CharField(label=_("Text"), max_length=300)


class ObjectiveForm(StyledForm):
    metric = forms.ChoiceField(label=_("Metric"), choices=Metric.choices)
    description = forms.CharField(label=_("Description"), max_length=300)
    baseline = forms.DecimalField(
        label=_("Baseline"),
        required=False,
        max_digits=18,
        decimal_places=2,
        help_text=_("Left empty, it is read from the account's latest figures."),
    )
    target = forms.DecimalField(label=_("Target"), required=False, max_digits=18, decimal_places=2)
    starts_on = forms.DateField(label=_("Measured from"), required=False, widget=DATE)
    due_on = forms.DateField(label=_("Due date"), required=False, widget=DATE)

    @classmethod
    def for_objective(cls, objective: Objective, data: Any = None) -> ObjectiveForm:
        initial = {name: getattr(objective, name) for name in cls.base_fields}
        return cls(data, initial=initial, prefix=f"o{objective.pk}")


class ObjectiveProgressForm(StyledForm):
    progress = forms.ChoiceField(label=_("Progress"), choices=Progress.choices)


class StrategyForm(StyledForm):
    field_aliases = {"objectives": "objective_ids"}
    description = forms.CharField(label=_("What we will do differently"), max_length=400)
    objective_ids = forms.TypedMultipleChoiceField(
        label=_("Objectives served"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, plan: AccountPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["objective_ids"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        field.choices = [(o.pk, o.description) for o in plan.objectives.all()]


class ActionForm(StyledForm):
    field_aliases = {"owner": "owner_id", "objective": "objective_id", "strategy": "strategy_id"}
    title = forms.CharField(label=pgettext_lazy("plan action", "Action"), max_length=300)
    owner_id = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    due_on = forms.DateField(label=_("Due date"), widget=DATE)
    objective_id = forms.TypedChoiceField(
        label=_("Objective served"), coerce=int, required=False, empty_value=None
    )
    strategy_id = forms.TypedChoiceField(
        label=_("Strategy served"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        plan: AccountPlan,
        owners: list[User],
        strategies: list[Strategy],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        none = [("", "—")]
        self._set("owner_id", [(user.pk, str(user)) for user in owners])
        self._set("objective_id", none + [(o.pk, o.description) for o in plan.objectives.all()])
        self._set("strategy_id", none + [(s.pk, s.description) for s in strategies])

    def _set(self, name: str, choices: list[tuple[Any, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = choices


class ResourceForm(StyledForm):
    function = forms.ChoiceField(label=_("Function"), choices=ResourceFunction.choices)
    person_days = forms.DecimalField(
        label=_("Person-days"), required=False, min_value=0, max_digits=7, decimal_places=1
    )
    amount = forms.DecimalField(
        label=_("Money"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    reason = forms.CharField(label=_("Why"), max_length=400)


class DecideForm(StyledForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(c, label) for c, label in Decision.choices if c != Decision.PENDING],
    )
    granted_person_days = forms.DecimalField(
        label=_("Person-days granted"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=1,
    )
    granted_amount = forms.DecimalField(
        label=_("Money granted"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    comment = forms.CharField(
        label=pgettext_lazy("decision", "Comment"), max_length=400, required=False
    )


class TeamMemberForm(StyledForm):
    field_aliases = {"user": "member_user_id", "contact": "contact_id"}
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices)
    member_user_id = forms.TypedChoiceField(
        label=_("Our person"), coerce=int, required=False, empty_value=None
    )
    contact_id = forms.TypedChoiceField(
        label=_("Their person"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(
        self, *args: Any, owners: list[User], contacts: list[Contact], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        users = self.fields["member_user_id"]
        theirs = self.fields["contact_id"]
        assert isinstance(users, forms.TypedChoiceField)
        assert isinstance(theirs, forms.TypedChoiceField)
        users.choices = [("", "—")] + [(u.pk, str(u)) for u in owners]
        theirs.choices = [("", "—")] + [
            (c.pk, f"{c.name} · {c.title}" if c.title else c.name) for c in contacts
        ]


class JointProjectForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=JointProjectKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    starts_on = forms.DateField(
        label=_("Starts on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=JointProjectStatus.choices, initial=JointProjectStatus.ACTIVE
    )
    our_member_ids = forms.TypedMultipleChoiceField(
        label=_("Our members"), coerce=int, required=False
    )
    their_member_ids = forms.TypedMultipleChoiceField(
        label=_("Their members"), coerce=int, required=False
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, owners: list[User], contacts: list[Contact], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        ours = self.fields["our_member_ids"]
        theirs = self.fields["their_member_ids"]
        assert isinstance(ours, forms.TypedMultipleChoiceField)
        assert isinstance(theirs, forms.TypedMultipleChoiceField)
        ours.choices = [(u.pk, str(u)) for u in owners]
        theirs.choices = [(c.pk, f"{c.name} · {c.title}" if c.title else c.name) for c in contacts]


class ValueItemForm(StyledForm):
    component = forms.ChoiceField(label=_("Component"), choices=ValueComponent.choices)
    amount = forms.DecimalField(
        label=_("Amount"), required=False, min_value=0, max_digits=18, decimal_places=2
    )
    score = forms.TypedChoiceField(
        label=_("Score (1-5)"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—")] + [(n, str(n)) for n in range(1, 6)],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ReturnForm(StyledForm):
    comment = forms.CharField(
        label=_("What should change"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(StyledForm):
    decisions = forms.CharField(
        label=_("Decisions taken"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DATE)


# --- Risks ---------------------------------------------------------------------------------


class RiskForm(StyledForm):
    field_aliases = {"owner": "owner_id", "plan": "plan_id"}
    source = forms.ChoiceField(label=_("Source"), choices=RiskSource.choices)
    category = forms.ChoiceField(label=_("Category"), choices=RiskCategory.choices)
    description = forms.CharField(label=_("Description"), max_length=400)
    probability = forms.ChoiceField(label=_("Probability"), choices=Level.choices)
    impact = forms.ChoiceField(label=_("Impact"), choices=Level.choices)
    mitigation = forms.CharField(
        label=_("Mitigation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    owner_id = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    review_on = forms.DateField(label=_("Review date"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=RiskStatus.choices)
    plan_id = forms.TypedChoiceField(label=_("Plan"), coerce=int, required=False, empty_value=None)

    def __init__(
        self, *args: Any, owners: list[User], plans: list[AccountPlan], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner_id"]
        plan = self.fields["plan_id"]
        assert isinstance(owner, forms.TypedChoiceField)
        assert isinstance(plan, forms.TypedChoiceField)
        owner.choices = [(u.pk, str(u)) for u in owners]
        plan.choices = [("", "—")] + [(p.pk, p.title) for p in plans]


class RiskFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Open and mitigating")), ("all", _("All statuses")), *RiskStatus.choices],
        widget=forms.Select(attrs={"class": "form-select", "style": "min-width: 11rem"}),
    )
    rating = forms.ChoiceField(
        label=_("Rating"),
        required=False,
        choices=[("", _("All ratings")), *Rating.choices],
        widget=forms.Select(attrs={"class": "form-select"}),
    )


# --- The overview --------------------------------------------------------------------------


class PlainSelect(forms.Select):
    """A select written in one pass of Python. Django's widgets render every option through
    a template of its own: the overview's filters (forty-odd KAMs) cost more than its table."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = set(self.format_value(value))
        # Keys and labels made plain strings first: escaping a lazy label (the choices'
        # translations) goes through its proxy on every check.
        options = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for key, label in self.choices
        )
        final = flatatt(self.build_attrs(self.attrs, attrs))
        escaped = mark_safe(options)  # every key and label escaped above
        return format_html('<select name="{}"{}>{}</select>', name, final, escaped)


FILTER_SELECT = {"class": "form-select"}

OVERVIEW_SORTS: dict[str, str | OrderBy] = {
    "account": "account__legal_name",
    "-account": "-account__legal_name",
    "status": "status",
    "-status": "-status",
    "year": "period_start",
    "-year": "-period_start",
    "behind": "objectives_behind",
    "-behind": "-objectives_behind",
    "overdue": "actions_overdue",
    "-overdue": "-actions_overdue",
    "stoppers": "show_stoppers",
    "-stoppers": "-show_stoppers",
    # A plan never reviewed comes first when the oldest review does, last the other way, on
    # both databases (PostgreSQL sorts NULL above every date, SQLite below).
    "review": F("last_review_on").asc(nulls_first=True),
    "-review": F("last_review_on").desc(nulls_last=True),
}


class OverviewFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.none(),
        required=False,
        empty_label=_("All teams"),
        widget=PlainSelect(attrs=FILTER_SELECT),
    )
    kam = UserChoiceField(
        label=_("KAM"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All KAMs"),
        widget=PlainSelect(attrs=FILTER_SELECT),
    )
    tier = forms.ChoiceField(
        label=_("Tier"),
        required=False,
        choices=[("", _("All tiers")), *Tier.choices],
        widget=PlainSelect(attrs=FILTER_SELECT),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *PlanStatus.choices],
        widget=PlainSelect(attrs=FILTER_SELECT),
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control", "placeholder": _("Year")}),
    )
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in OVERVIEW_SORTS], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, teams: QuerySet[Team], user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        team = self.fields["team"]
        kam = self.fields["kam"]
        assert isinstance(team, forms.ModelChoiceField)
        assert isinstance(kam, forms.ModelChoiceField)
        team.queryset = teams.order_by("name")
        kam.queryset = owners_visible_to(user).order_by("username")

    def status_filter(self) -> str:
        """The status the plans are filtered on, "" for all."""
        return str(self.cleaned_data.get("status") or "") if self.is_valid() else ""

    def filtered(
        self, plans: QuerySet[AccountPlan], *, by_status: bool = True
    ) -> QuerySet[AccountPlan]:
        """The plans the filters keep, sorted (account name when no sort is asked); without
        the status filter for the counts by status."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("team"):
            plans = plans.filter(account__team=data["team"])
        if data.get("kam"):
            plans = plans.filter(account__owner=data["kam"])
        if data.get("tier"):
            plans = plans.filter(account__tier=data["tier"])
        if by_status and data.get("status"):
            plans = plans.filter(status=data["status"])
        if data.get("year"):
            plans = plans.filter(period_start__year=data["year"])
        order = OVERVIEW_SORTS.get(data.get("sort") or "", "account__legal_name")
        return plans.order_by(order, "pk")
