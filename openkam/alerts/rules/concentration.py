"""Concentration: one account carries more than a cut of the company's revenue, so losing it
would hurt the whole portfolio.

Watches: AccountSnapshot.revenue_12m of the newest refresh against the total of every account
(whatever the scope of the evaluation).
Clears: when the account's share falls back under the cut.
Value at risk: the account's revenue of the last twelve months.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.alerts.models import Level
from openkam.alerts.rules.base import ALL_TIERS, Context, Finding, Rule, RuleSettings, amount
from openkam.portfolio.models import AccountSnapshot

KEY = "concentration"


@dataclass(frozen=True)
class Settings(RuleSettings):
    tiers: tuple[str, ...] = ALL_TIERS
    share: float = 0.10
    high_share: float = 0.25


def evaluate(context: Context, settings: Settings) -> list[Finding]:
    if not context.runs:
        return []
    total = AccountSnapshot.objects.filter(run_id=context.runs[0]).aggregate(t=Sum("revenue_12m"))
    whole = float(total["t"] or 0)
    if whole <= 0:
        return []
    findings = []
    for account_id, snapshot in context.latest.items():
        revenue = float(snapshot["revenue_12m"] or 0)
        share = revenue / whole
        if share <= settings.share:
            continue
        findings.append(
            Finding(
                account_id=account_id,
                level=Level.HIGH if share > settings.high_share else Level.MEDIUM,
                value_at_risk=revenue,
                params={"share": round(share, 4), "revenue": round(revenue, 2)},
            )
        )
    return findings


def message(params: Mapping[str, Any]) -> str:
    return _("This account brings %(share)s of the company's revenue (%(revenue)s a year).") % {
        "share": f"{float(params.get('share', 0)):.0%}",
        "revenue": amount(params.get("revenue")),
    }


RULE = Rule(
    key=KEY,
    title=gettext_lazy("Revenue concentration"),
    watches=gettext_lazy("One account's share of the company's revenue."),
    defaults=Settings(),
    evaluate=evaluate,
    message=message,
)
