"""How the review's history names its steps (the services record them as codes), and the
account page's governance card (its tier's service level and its strategic designation)."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import OuterRef, Subquery
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.governance.models import StrategicDesignation
from openkam.interactions.models import ContactCadence
from openkam.portfolio.models import TierServiceLevel

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


@register.inclusion_tag("governance/_account_card.html")
def account_governance_card(account: Account) -> dict[str, Any]:
    """What the account's tier entitles it to (分级差异化服务: visit cadence, executive
    sponsor, priority delivery, dedicated training, technical-support response time) and, when
    it is strategic, the designation's four criteria with their evidence: one query (two for a
    strategic account)."""
    cadence = ContactCadence.objects.filter(tier=OuterRef("tier")).values("every_days")[:1]
    found = (
        TierServiceLevel.objects.filter(tier=account.tier)
        .annotate(every_days=Subquery(cadence))
        .first()
    )
    level: TierServiceLevel
    if found is not None:
        level, every_days = found, getattr(found, "every_days", None)
    else:  # the company set none for the tier: the policy's, and the tier's cadence
        level = TierServiceLevel.of(account.tier)
        every_days = (
            ContactCadence.objects.filter(tier=account.tier)
            .values_list("every_days", flat=True)
            .first()
        )
    designation = None
    if account.is_strategic:
        designation = (
            StrategicDesignation.objects.filter(
                account=account, designate=True, status=StrategicDesignation.Status.APPROVED
            )
            .order_by("-decided_at", "-pk")
            .first()
        )
    return {
        "account": account,
        "level": level,
        "every_days": every_days,
        "designation": designation,
    }
