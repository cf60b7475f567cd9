"""Small filters of the retention pages."""

from __future__ import annotations

from typing import Any

from django import template

from openkam.retention.models import CHURN_RULES

register = template.Library()

OUTCOME_COLORS = {"retained": "green", "recovered": "teal", "lost": "red", "": "orange"}


@register.filter
def outcome_color(outcome: str) -> str:
    return OUTCOME_COLORS.get(outcome, "secondary")


@register.filter
def opens_winback(alert: Any) -> bool:
    """Whether a case may be opened from this alert (a churn rule)."""
    return getattr(alert, "rule", "") in CHURN_RULES


@register.filter
def setting_value(value: Any) -> str:
    """A rule setting as a reader sees it: tiers joined, shares as they are."""
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)
