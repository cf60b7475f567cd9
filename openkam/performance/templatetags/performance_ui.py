"""The navigation entry of the performance pages (its words live in this app's catalogue)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("performance/_nav.html", takes_context=True)
def performance_nav_item(context: template.Context) -> dict[str, Any]:
    return {"active": context.get("namespace") == "performance"}


@register.filter
def cell(row: dict[str, Any], field: str) -> Any:
    """A drill-down row's value of a column: `row|cell:column.field`."""
    return row.get(field)
