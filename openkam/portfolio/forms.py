"""Input of the portfolio pages, parsed before any service sees it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

SCORE_CHOICES = [("", _("not scored"))] + [(str(n), str(n)) for n in range(1, 6)]


class ScoreForm(forms.Form):
    """One score on one criterion: 1-5, or empty to clear it."""

    score = forms.TypedChoiceField(
        label=_("score (1-5)"),
        choices=SCORE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Choose a score from 1 to 5 (%(value)s is not one).")},
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)
