"""How the review's history names its steps (the services record them as codes)."""

from __future__ import annotations

from django import template
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

register = template.Library()

STEPS: dict[str, Promise] = {
    "opened": _("opened"),
    "added": _("proposal added"),
    "changed": _("proposal changed"),
    "withdrawn": _("proposal withdrawn"),
    "submitted": _("submitted to the general manager"),
    "approved": _("approved"),
    "rejected": _("rejected"),
    "closed": _("closed"),
    "settings": _("settings changed"),
}


@register.filter
def step_label(entry: object) -> str:
    """A history entry's step: the service's code in words, else its free text (an account's
    tier history names the review), else created / changed."""
    reason = str(getattr(entry, "history_change_reason", "") or "")
    if reason in STEPS:
        return str(STEPS[reason])
    if reason:
        return reason
    display = getattr(entry, "get_history_type_display", None)
    return str(display()) if callable(display) else ""
