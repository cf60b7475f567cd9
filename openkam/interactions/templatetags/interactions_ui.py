"""Icons and colours of interactions on the pages."""

from __future__ import annotations

import datetime as dt

from django import template

register = template.Library()

KIND_ICONS = {
    "visit": "ti-building-community",
    "call": "ti-phone",
    "meeting": "ti-users-group",
    "training": "ti-school",
    "event": "ti-calendar-event",
    "email": "ti-mail",
}
STATUS_COLORS = {"planned": "azure", "done": "green", "cancelled": "secondary"}


@register.filter
def kind_icon(kind: str) -> str:
    return KIND_ICONS.get(kind, "ti-message")


@register.filter
def status_color(status: str) -> str:
    return STATUS_COLORS.get(status, "secondary")


@register.filter
def days_since(day: dt.date | None, today: dt.date) -> int | None:
    """Whole days from `day` to `today` (how overdue a due date is)."""
    if day is None:
        return None
    return (today - day).days
