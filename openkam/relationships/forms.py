"""The one-field form behind each inline edit of the relationship map."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import modelform_factory

from openkam.relationships.models import Contact

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
