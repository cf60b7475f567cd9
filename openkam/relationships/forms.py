"""The one-field form behind each inline edit of the relationship map."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import modelform_factory

from openkam.accounts.forms import blank_as_dash
from openkam.relationships.models import Contact
from openkam.relationships.services import FORM_FIELDS

TEXTAREAS = frozenset({"motives", "deepening_plan"})


def contact_field_form(contact: Contact, field: str, data: Any = None) -> forms.ModelForm[Contact]:
    """A form for exactly one field of the contact, styled for a table cell. Choosing whom
    they report to offers only the other contacts of the same account."""
    widgets: dict[str, type[forms.Widget] | forms.Widget] | None = (
        {field: forms.Textarea(attrs={"rows": 3})} if field in TEXTAREAS else None
    )
    form_class = modelform_factory(Contact, fields=[field], widgets=widgets)
    form = form_class(data, instance=contact)
    formfield = form.fields[field]
    if field == "reports_to":
        assert isinstance(formfield, forms.ModelChoiceField)
        formfield.queryset = (
            Contact.objects.filter(account_id=contact.account_id)
            .exclude(pk=contact.pk)
            .order_by("-influence_level", "name")
        )
    widget = formfield.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select form-select-sm"
    else:
        css = "form-control form-control-sm"
    if data is not None and not form.is_valid():
        css += " is-invalid"
    widget.attrs.update({"class": css, "data-testid": f"edit-{field}", "autofocus": True})
    return form


class ContactForm(forms.ModelForm[Contact]):
    """Adding or editing a contact on the account page: who they are, whom they report to
    (the account's other contacts), their buying role."""

    class Meta:
        model = Contact
        # Who they are first, in the order one asks: name, title, department, whom they
        # report to, then how to reach them; the buying role after.
        fields = [
            "name", "title", "department", "function", "reports_to", "phone", "email", "wechat",
            *(name for name in FORM_FIELDS if name not in {
                "name", "title", "department", "function", "reports_to", "phone", "email",
                "wechat",
            }),
        ]  # fmt: skip
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in TEXTAREAS}

    def __init__(self, *args: Any, account_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        boss = self.fields["reports_to"]
        assert isinstance(boss, forms.ModelChoiceField)
        others = Contact.objects.filter(account_id=account_id)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        boss.queryset = others.order_by("-is_active", "-influence_level", "name")
        for name, field in self.fields.items():
            if isinstance(field, forms.ModelChoiceField):
                field.empty_label = "—"
            elif isinstance(field, forms.TypedChoiceField):
                field.choices = blank_as_dash(field)
            widget = field.widget
            widget.attrs.setdefault("data-testid", f"field-{name}")
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in FORM_FIELDS}
