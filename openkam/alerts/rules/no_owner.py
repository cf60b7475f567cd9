"""Data quality: an account without a KAM (owner), so nobody is told of its other alerts.

Watches: Account.owner (lost accounts excepted).
Clears: when somebody owns the account.
Value at risk: the account's revenue of the last twelve months (0 before the first refresh).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.accounts.models import Account, LifecycleStage, Tier
from openkam.alerts.models import Level
from openkam.alerts.rules.base import ALL_TIERS, Context, Finding, Rule, RuleSettings

KEY = "no_owner"


@dataclass(frozen=True)
class Settings(RuleSettings):
    tiers: tuple[str, ...] = ALL_TIERS


def evaluate(context: Context, settings: Settings) -> list[Finding]:
    rows = (
        context.in_scope(Account.objects.filter(owner__isnull=True), "pk")
        .exclude(lifecycle_stage=LifecycleStage.LOST)
        .values_list("pk", "tier")
    )
    findings = []
    for pk, tier in rows.iterator(chunk_size=5000):
        revenue = float(context.latest.get(pk, {}).get("revenue_12m") or 0)
        important = tier in (Tier.STRATEGIC, Tier.KEY)
        findings.append(
            Finding(
                account_id=pk,
                level=Level.MEDIUM if important else Level.LOW,
                value_at_risk=revenue,
                params={},
            )
        )
    return findings


def message(params: Mapping[str, Any]) -> str:
    return _("Nobody owns this account: assign a key account manager.")


RULE = Rule(
    key=KEY,
    title=gettext_lazy("Account without an owner"),
    watches=gettext_lazy("Accounts with no key account manager."),
    defaults=Settings(),
    evaluate=evaluate,
    message=message,
)
