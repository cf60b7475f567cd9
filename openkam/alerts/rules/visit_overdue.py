"""Visit overdue: no contact done within the tier's cadence (interactions' own rule: the last
interaction done plus the tier's days; a lost account is owed none).

Watches: interactions.selectors.with_contact_due, computed in the database for the tiers in
settings (strategic and key accounts by default, so the lists are not flooded).
Clears: when an interaction is done and the next contact is no longer due.
Value at risk: CLV times the probability the customer has left (0 before the first refresh).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.accounts.models import Account, Tier
from openkam.alerts.models import Level
from openkam.alerts.rules.base import Context, Finding, Rule, RuleSettings, clv_at_risk
from openkam.interactions.selectors import cadence_days, with_contact_due

KEY = "visit_overdue"


@dataclass(frozen=True)
class Settings(RuleSettings):
    tiers: tuple[str, ...] = (Tier.STRATEGIC, Tier.KEY)


def evaluate(context: Context, settings: Settings) -> list[Finding]:
    cadence = cadence_days()
    accounts = context.in_scope(Account.objects.filter(tier__in=settings.tiers), "pk")
    rows = (
        with_contact_due(accounts, cadence=cadence)
        .filter(contact_due_on__lt=context.as_of)  # type: ignore[misc]
        .values_list("pk", "tier", "contact_due_on", "last_contact_on")
    )
    findings = []
    for pk, tier, due_on, last_on in rows.iterator(chunk_size=5000):
        late = (context.as_of - due_on).days
        every = cadence.get(tier, 0)
        findings.append(
            Finding(
                account_id=pk,
                level=Level.HIGH if late > every else Level.MEDIUM,
                value_at_risk=clv_at_risk(context.latest.get(pk, {})),
                params={
                    "due_on": due_on.isoformat(),
                    "last_on": last_on.isoformat() if last_on else None,
                    "days_late": late,
                    "every_days": every,
                },
            )
        )
    return findings


def message(params: Mapping[str, Any]) -> str:
    return _(
        "A contact was due on %(due)s (every %(every)s days for this tier); %(late)s days overdue."
    ) % {
        "due": params.get("due_on"),
        "every": params.get("every_days"),
        "late": params.get("days_late"),
    }


RULE = Rule(
    key=KEY,
    title=gettext_lazy("Visit overdue"),
    watches=gettext_lazy("The last contact against the tier's contact cadence."),
    defaults=Settings(),
    evaluate=evaluate,
    message=message,
)
