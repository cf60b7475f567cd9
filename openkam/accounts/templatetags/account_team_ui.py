"""The account page's "Account team" card."""

from __future__ import annotations

from typing import Any

from django import template

from openkam.accounts.models import Account
from openkam.accounts.views import team_card_context

register = template.Library()


@register.inclusion_tag("accounts/_team_card.html", takes_context=True)
def account_team_card(context: template.Context, account: Account) -> dict[str, Any]:
    """The KAM, the support members and the sponsor, with the forms for those who manage the
    team (one query; the page has already checked the account and loaded its owner and team)."""
    return team_card_context(context["request"].user, account)
