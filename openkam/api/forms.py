from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. “ERP nightly sync”."),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
