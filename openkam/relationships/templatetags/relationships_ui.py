"""Small helpers for the relationship map templates."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def attr_value(obj: object, name: str) -> object:
    """`contact|attr_value:"need_1"`: a field read by name (the inline cells are generic)."""
    return getattr(obj, name, "")


@register.filter
def heat(count: int, top: int) -> str:
    """A background strength 0-5 for a coverage-matrix cell."""
    if not count or not top:
        return "0"
    return str(min(5, 1 + (4 * count) // max(top, 1)))
