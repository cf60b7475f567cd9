"""Credit exposure: receivables over the credit limit, or receivables more than 90 days
overdue; the message suggests a credit hold on new orders.

Watches: AccountSnapshot.credit_limit_use and the 91-180 and >180 buckets of ar_ageing.
Clears: when the account is back within its limit and owes nothing past 90 days.
Value at risk: the open receivable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.alerts.models import Level
from openkam.alerts.rules.base import (
    ALL_TIERS,
    Context,
    Finding,
    Rule,
    RuleSettings,
    amount,
    number,
)
from openkam.analytics.receivables import BUCKET_LABELS

KEY = "credit_exposure"
OVER_90 = BUCKET_LABELS[3:]


@dataclass(frozen=True)
class Settings(RuleSettings):
    tiers: tuple[str, ...] = ALL_TIERS
    limit_use: float = 1.0
    min_over_90: float = 1_000.0


def evaluate(context: Context, settings: Settings) -> list[Finding]:
    findings = []
    for account_id, snapshot in context.latest.items():
        use = number(snapshot["credit_limit_use"])
        ageing = snapshot["ar_ageing"] or {}
        over_90 = sum(float(ageing.get(label, 0) or 0) for label in OVER_90)
        over_limit = use is not None and use > settings.limit_use
        long_overdue = over_90 >= settings.min_over_90
        if not (over_limit or long_overdue):
            continue
        findings.append(
            Finding(
                account_id=account_id,
                level=Level.HIGH if over_limit and long_overdue else Level.MEDIUM,
                value_at_risk=float(snapshot["ar_open"] or 0),
                params={
                    "limit_use": round(use, 4) if use is not None else None,
                    "over_limit": over_limit,
                    "over_90": round(over_90, 2),
                    "ar_open": round(float(snapshot["ar_open"] or 0), 2),
                },
            )
        )
    return findings


def message(params: Mapping[str, Any]) -> str:
    parts = []
    if params.get("over_limit"):
        parts.append(
            _("receivables are at %(use)s of the credit limit")
            % {"use": f"{float(params.get('limit_use') or 0):.0%}"}
        )
    if float(params.get("over_90") or 0) > 0:
        parts.append(
            _("%(amount)s is more than 90 days overdue") % {"amount": amount(params["over_90"])}
        )
    return _("Credit exposure: %(facts)s. Consider a credit hold on new orders until paid.") % {
        "facts": _("; ").join(parts)
    }


RULE = Rule(
    key=KEY,
    title=gettext_lazy("Credit limit exceeded or receivables over 90 days"),
    watches=gettext_lazy("Credit limit use and the receivables more than 90 days overdue."),
    defaults=Settings(),
    evaluate=evaluate,
    message=message,
)
