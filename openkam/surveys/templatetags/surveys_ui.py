"""The account page's survey card, and the small filters of the survey pages."""

from __future__ import annotations

from typing import Any

from django import template

from openkam.accounts.models import Account
from openkam.surveys.selectors import account_satisfaction

register = template.Library()


@register.inclusion_tag("surveys/_account_card.html", takes_context=True)
def account_survey_card(context: template.Context, account: Account) -> dict[str, Any]:
    """The account's NPS beside its role-weighted NPS, and its latest answers (one query;
    the page has already checked the account)."""
    figures = account_satisfaction(account)
    return {"account": account, "figures": figures, "can_write": bool(context.get("can_write"))}


@register.filter
def picked(values: Any, name: str) -> str:
    """The submitted value of a field, as text ('' when none): keeps a choice on a re-shown
    form."""
    return str(values.get(name, "")) if hasattr(values, "get") else ""


@register.filter
def errors_of(form: Any, name: str) -> list[str]:
    return list(form.errors.get(name, [])) if form.is_bound else []


@register.filter
def points(value: float | None) -> str:
    """NPS in points with its sign (+35, -12, 0); '—' when unknown."""
    if value is None:
        return "—"
    rounded = round(value)
    return f"+{rounded}" if rounded > 0 else str(rounded)


@register.filter
def one_decimal(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


@register.filter
def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"
