"""Churn risk rising: the churn level went up between the two latest refreshes.

Watches: AccountSnapshot.churn_level of the newest and the previous refresh.
Clears: when the level falls back to where it rose from (a level that stays up keeps the alert).
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
    CHURN_RANK,
    TIERS_ABOVE_GENERAL,
    Context,
    Finding,
    Rule,
    RuleSettings,
    clv_at_risk,
)

KEY = "churn_rising"


@dataclass(frozen=True)
class Settings(RuleSettings):
    tiers: tuple[str, ...] = TIERS_ABOVE_GENERAL


def evaluate(context: Context, settings: Settings) -> list[Finding]:
    current = context.current(KEY)
    findings = []
    for account_id, snapshot in context.latest.items():
        now = CHURN_RANK.get(snapshot["churn_level"], 0)
        before = context.previous.get(account_id, {}).get("churn_level")
        raised_from = current.get(account_id, {}).get("from")
        baseline = raised_from if raised_from is not None else before
        if baseline is None or now <= CHURN_RANK.get(baseline, 0):
            continue
        findings.append(
            Finding(
                account_id=account_id,
                level=Level.HIGH if snapshot["churn_level"] == "high" else Level.MEDIUM,
                value_at_risk=clv_at_risk(snapshot),
                params={
                    "from": baseline,
                    "to": snapshot["churn_level"],
                    "reasons": list(snapshot["churn_reasons"] or []),
                },
            )
        )
    return findings


def _level_name(code: str) -> str:
    return {"low": _("low"), "medium": _("medium"), "high": _("high")}.get(code, code)


def message(params: Mapping[str, Any]) -> str:
    return _("Churn risk rose from %(from)s to %(to)s since the last refresh.") % {
        "from": _level_name(str(params.get("from", ""))),
        "to": _level_name(str(params.get("to", ""))),
    }


RULE = Rule(
    key=KEY,
    title=gettext_lazy("Churn risk rising"),
    watches=gettext_lazy("The churn level went up between the two latest refreshes."),
    defaults=Settings(),
    evaluate=evaluate,
    message=message,
)
