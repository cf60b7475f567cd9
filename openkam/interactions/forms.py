"""Forms of the interaction pages: they parse and check input; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, Q, QuerySet, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account, Tier
from openkam.interactions.models import Interaction, Kind, Status
from openkam.interactions.services import EDITABLE_FIELDS
from openkam.relationships.models import Contact
from openkam.team.models import Team, User

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class StyledForm(forms.Form):
    """Marks the widgets of fields in error with Tabler's is-invalid."""

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid()

    def mark_invalid(self) -> None:
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class PersonChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if isinstance(obj, User):
            return f"{obj} · {obj.get_function_display()}"
        return f"{obj.name} · {obj.title}" if obj.title else obj.name


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class InteractionForm(StyledForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(Status.DONE, _("Done")), (Status.PLANNED, _("Planned"))],
    )
    starts_at = forms.DateTimeField(
        label=_("Date and time"),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=24 * 60, initial=60
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    our_participants = PersonChoiceField(
        label=_("Our participants"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("You take part if nobody is chosen."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    their_participants = PersonChoiceField(
        label=_("Their participants"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    next_step = forms.CharField(label=_("Next step"), max_length=300, required=False)
    next_step_due = forms.DateField(
        label=_("Next step due"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    next_step_owner = OwnerChoiceField(
        label=_("Next step owner"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("Me"),
    )

    def __init__(
        self, *args: Any, account: Account, author: User | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True).order_by("function", "display_name")
        if author is not None:
            # The one logging it took part, most often: chosen, and first in the list.
            if not self.is_bound:
                self.initial.setdefault("our_participants", [author.pk])
            first = Case(When(pk=author.pk, then=0), default=1)
            people = people.order_by(first, "function", "display_name")
        our = self.fields["our_participants"]
        assert isinstance(our, forms.ModelMultipleChoiceField)
        our.queryset = people
        owner = self.fields["next_step_owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = people
        theirs = self.fields["their_participants"]
        assert isinstance(theirs, forms.ModelMultipleChoiceField)
        theirs.queryset = Contact.objects.filter(account=account, is_active=True).order_by(
            "-influence_level", "name"
        )
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("starts_at", now)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
            field.widget.attrs.setdefault("data-testid", f"interaction-{name}")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("next_step_due") and not (data.get("next_step") or "").strip():
            self.add_error(
                "next_step", _("Say what the next step is, or leave its due date empty.")
            )
        return data


class InteractionEditForm(InteractionForm):
    """The log form without the status (complete and cancel change it), filled in from the
    interaction. People who left stay choosable while they are on it."""

    # What interaction_update changes, but for the step's done flag (closed by its own action).
    EDITED = tuple(name for name in EDITABLE_FIELDS if name != "next_step_done")

    def __init__(self, *args: Any, interaction: Interaction, editor: User, **kwargs: Any) -> None:
        self.editor = editor
        initial = {name: getattr(interaction, name) for name in self.EDITED}
        initial["starts_at"] = timezone.localtime(interaction.starts_at)
        initial["our_participants"] = [u.pk for u in interaction.our_participants.all()]
        initial["their_participants"] = [c.pk for c in interaction.their_participants.all()]
        kwargs.setdefault("auto_id", f"id_edit{interaction.pk}_%s")
        super().__init__(*args, account=interaction.account, initial=initial, **kwargs)
        del self.fields["status"]
        self.fields["our_participants"].required = True
        self.fields["our_participants"].help_text = ""
        ours = self.fields["our_participants"]
        owner = self.fields["next_step_owner"]
        theirs = self.fields["their_participants"]
        assert isinstance(ours, forms.ModelMultipleChoiceField)
        assert isinstance(owner, forms.ModelChoiceField)
        assert isinstance(theirs, forms.ModelMultipleChoiceField)
        kept = {u.pk for u in interaction.our_participants.all()}
        if interaction.next_step_owner_id:
            kept.add(interaction.next_step_owner_id)
        # Those taking part come first: a long list box hides what is chosen further down.
        taking_part = Case(When(pk__in=initial["our_participants"], then=0), default=1)
        people = User.objects.filter(Q(is_active=True) | Q(pk__in=kept))
        ours.queryset = owner.queryset = people.order_by(taking_part, "function", "display_name")
        theirs.queryset = Contact.objects.filter(
            Q(is_active=True) | Q(pk__in=initial["their_participants"]),
            account=interaction.account,
        ).order_by("-influence_level", "name")
        for name, field in self.fields.items():
            if "data-testid" in field.widget.attrs:
                field.widget.attrs["data-testid"] = f"edit-{name}"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("next_step") or "").strip() and not data.get("next_step_owner"):
            data["next_step_owner"] = self.editor  # the empty choice reads "Me"
        return data


class TimelineFilterForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.update(
                {
                    "class": "form-select form-select-sm",
                    "aria-label": str(field.label),
                    "data-testid": f"timeline-{name}",
                }
            )

    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )


SORTS = {
    "-starts_at": ("-starts_at", "-id"),
    "starts_at": ("starts_at", "id"),
    "account": ("account__legal_name", "-starts_at"),
    "next_step_due": ("next_step_due", "-starts_at"),
}


class InteractionFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=_("All teams"),
    )
    owner = OwnerChoiceField(
        label=_("Key account manager"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All KAMs"),
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(choices=[(key, key) for key in SORTS], required=False)

    def __init__(self, *args: Any, accounts: QuerySet[Account], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = User.objects.filter(role="kam", is_active=True).order_by("display_name")
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def filtered(self, interactions: Any) -> Any:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("q"):
            q = data["q"]
            interactions = interactions.filter(
                Q(subject__icontains=q)
                | Q(account__legal_name__icontains=q)
                | Q(account__short_name__icontains=q)
            )
        for name in ("kind", "status"):
            if data.get(name):
                interactions = interactions.filter(**{name: data[name]})
        if data.get("team"):
            interactions = interactions.filter(account__team=data["team"])
        if data.get("owner"):
            interactions = interactions.filter(account__owner=data["owner"])
        if data.get("since"):
            interactions = interactions.filter(starts_at__date__gte=data["since"])
        if data.get("until"):
            interactions = interactions.filter(starts_at__date__lte=data["until"])
        return interactions.order_by(*SORTS[data.get("sort") or "-starts_at"])


class CadenceForm(StyledForm):
    def __init__(self, *args: Any, current: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for tier, label in Tier.choices:
            self.fields[tier] = forms.IntegerField(
                label=label,
                min_value=1,
                max_value=730,
                initial=current.get(tier),
                widget=forms.NumberInput(
                    attrs={"class": "form-control", "data-testid": f"cadence-{tier}"}
                ),
            )
