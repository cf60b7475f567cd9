"""The account page's service card."""

from __future__ import annotations

from typing import Any

from django import template

from openkam.accounts.models import Account
from openkam.accounts.selectors import user_writes
from openkam.service.models import OPEN_STATUSES, ServiceCase
from openkam.service.selectors import with_breach

register = template.Library()
CARD_ROWS = 5


@register.inclusion_tag("service/_account_card.html", takes_context=True)
def account_service_card(context: template.Context, account: Account) -> dict[str, Any]:
    """The account's open cases, the first due first, each flagged when past its SLA, and
    "new case" for its writers (one query; the page has already checked the account)."""
    user = context["request"].user
    cases = list(
        with_breach(ServiceCase.objects.filter(account=account, status__in=OPEN_STATUSES)).order_by(
            "resolution_due", "pk"
        )[:CARD_ROWS]
    )
    return {"account": account, "cases": cases, "can_write": user_writes(user)}
