"""P(alive) falling below a cut: the purchase model thinks the customer may have left.

Watches: AccountSnapshot.p_alive of the newest refresh.
Clears: when P(alive) is back at or above the cut.
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

KEY = "p_alive_low"


@dataclass(frozen=True)
class Settings(RuleSettings):
    tiers: tuple[str, ...] = TIERS_ABOVE_GENERAL
    cut: float = 0.3
    high_below: float = 0.1


def evaluate(context: Context, settings: Settings) -> list[Finding]:
    findings = []
    for account_id, snapshot in context.latest.items():
        p_alive = number(snapshot["p_alive"])
        if p_alive is None or p_alive >= settings.cut:
            continue
        findings.append(
            Finding(
                account_id=account_id,
                level=Level.HIGH if p_alive < settings.high_below else Level.MEDIUM,
                value_at_risk=clv_at_risk(snapshot),
                params={"p_alive": round(p_alive, 4), "cut": settings.cut},
            )
        )
    return findings


def message(params: Mapping[str, Any]) -> str:
    return _(
        "The probability that this customer is still buying fell to %(p)s (below %(cut)s)."
    ) % {
        "p": f"{float(params.get('p_alive', 0)):.0%}",
        "cut": f"{float(params.get('cut', 0)):.0%}",
    }


RULE = Rule(
    key=KEY,
    title=gettext_lazy("P(alive) low"),
    watches=gettext_lazy("The purchase model's probability that the customer is still active."),
    defaults=Settings(),
    evaluate=evaluate,
    message=message,
)
