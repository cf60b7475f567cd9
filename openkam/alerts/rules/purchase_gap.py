"""Purchase gap: no purchase for N times the customer's usual interval between purchases.

Watches: AccountSnapshot.days_since_last_purchase against mean_gap_days (accounts with a few
purchase days, so the interval means something).
Clears: when a purchase brings the gap back under N times the usual interval.
Value at risk: CLV times the probability the customer has left.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.alerts.models import Level
from openkam.alerts.rules.base import (
    TIERS_ABOVE_GENERAL,
    Context,
    Finding,
    Rule,
    RuleSettings,
    clv_at_risk,
    number,
)

KEY = "purchase_gap"


@dataclass(frozen=True)
class Settings(RuleSettings):
    tiers: tuple[str, ...] = TIERS_ABOVE_GENERAL
    times_usual: float = 2.0
    high_times_usual: float = 4.0
    min_purchase_days: int = 3


def evaluate(context: Context, settings: Settings) -> list[Finding]:
    findings = []
    for account_id, snapshot in context.latest.items():
        gap, since = number(snapshot["mean_gap_days"]), number(snapshot["days_since_last_purchase"])
        if gap is None or since is None or gap <= 0:
            continue
        if snapshot["purchase_days"] < settings.min_purchase_days:
            continue
        ratio = since / gap
        if ratio < settings.times_usual:
            continue
        findings.append(
            Finding(
                account_id=account_id,
                level=Level.HIGH if ratio >= settings.high_times_usual else Level.MEDIUM,
                value_at_risk=clv_at_risk(snapshot),
                params={"days": int(since), "usual": round(gap, 1), "ratio": round(ratio, 2)},
            )
        )
    return findings


def message(params: Mapping[str, Any]) -> str:
    return _(
        "No purchase for %(days)s days, %(ratio)s times the usual interval of %(usual)s days."
    ) % {
        "days": params.get("days"),
        "ratio": f"{float(params.get('ratio', 0)):.1f}",
        "usual": f"{float(params.get('usual', 0)):.0f}",
    }


RULE = Rule(
    key=KEY,
    title=gettext_lazy("Purchase gap"),
    watches=gettext_lazy("Days since the last purchase against the usual interval."),
    defaults=Settings(),
    evaluate=evaluate,
    message=message,
)
