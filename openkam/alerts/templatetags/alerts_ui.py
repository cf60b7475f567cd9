"""Template helpers of the alert pages and of the account page's alerts card."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from openkam.accounts.models import Account, Tier
from openkam.alerts.models import Alert
from openkam.alerts.rules import message_of, title_of
from openkam.alerts.selectors import account_open_alerts

register = template.Library()

LEVEL_COLORS = {1: "azure", 2: "orange", 3: "red"}
STATE_COLORS = {
    "open": "red",
    "acknowledged": "blue",
    "resolved": "green",
    "dismissed": "secondary",
}


@register.filter
def alert_title(alert: Alert) -> str:
    return title_of(alert.rule)


@register.filter
def rule_title(key: str) -> str:
    return title_of(key)


@register.filter
def alert_message(alert: Alert) -> str:
    return message_of(alert.rule, alert.params)


@register.filter
def tier_name(code: str) -> str:
    return str(Tier(code).label) if code in Tier.values else code


@register.filter
def alert_level_color(level: int) -> str:
    return LEVEL_COLORS.get(level, "secondary")


@register.filter
def alert_state_color(state: str) -> str:
    return STATE_COLORS.get(state, "secondary")


@register.filter
def days_since(moment: dt.datetime | None) -> int | None:
    """Whole days from `moment` to now (an alert's age)."""
    if moment is None:
        return None
    return max((timezone.now() - moment).days, 0)


@register.inclusion_tag("alerts/_account_card.html")
def account_alerts_card(account: Account) -> dict[str, Any]:
    """The account's open and acknowledged alerts (one query); the card hides when none. The
    account page has checked that the user sees the account."""
    return {"account": account, "alerts": account_open_alerts(account.pk)}
