"""Labels and colours of the contract pages, and the account page's contracts card."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.contracts.models import ContractStatus
from openkam.contracts.selectors import account_card_contracts

register = template.Library()

STATUS_COLORS = {
    ContractStatus.DRAFT: "secondary",
    ContractStatus.ACTIVE: "green",
    ContractStatus.EXPIRING: "orange",
    ContractStatus.EXPIRED: "red",
    ContractStatus.TERMINATED: "dark",
    ContractStatus.RENEWED: "blue",
}


@register.filter
def contract_status_color(status: str) -> str:
    return STATUS_COLORS.get(status, "secondary")  # type: ignore[call-overload]


@register.filter
def contract_status_label(status: str) -> str:
    return str(ContractStatus(status).label) if status in ContractStatus.values else status


@register.filter
def gap_color(gap: Decimal | None) -> str:
    if gap is None:
        return "secondary"
    return "red" if gap < 0 else "green"


VERSION_REASONS = {
    "signed": _("Signed"),
    "terminated": _("Terminated"),
    "renewed_automatically": _("Renewed automatically: the term ended with no notice given"),
    "automatic_renewal": _("Signed by the automatic renewal of the contract before"),
}


@register.filter
def version_reason(reason: str | None) -> str:
    """What a version records: the step's name for the services' codes, else the amendment's
    summary as written."""
    if not reason:
        return str(_("Changed"))
    return str(VERSION_REASONS.get(reason, reason))


@register.filter
def days_until(day: Any) -> int | None:
    return None if day is None else (day - timezone.localdate()).days


@register.inclusion_tag("contracts/_account_card.html", takes_context=True)
def account_contracts_card(context: template.Context, account: Account) -> dict[str, Any]:
    """The contracts that apply to the account (its own and its group's), when each must be
    renewed, and "new contract" for its writers (three queries)."""
    user = context["request"].user
    today = timezone.localdate()
    return {
        "account": account,
        "contracts": account_card_contracts(account, user=user, today=today),
        "today": today,
        "can_write": bool(context.get("can_write")),
    }


@register.inclusion_tag("contracts/_nav.html", takes_context=True)
def contracts_nav_item(context: template.Context) -> dict[str, Any]:
    """The contracts entry of the top navigation (its label lives in this app's catalogue)."""
    return {"active": context.get("namespace") == "contracts"}
