"""Payment behaviour worsening: the share of receivables overdue rose over the last quarter.

Watches: invoices and payments directly (so an import of late payments raises it before the
next refresh), through the refresh's own measure (portfolio.readers.overdue_share_change, the
churn score's `payment_worsening` signal).
Clears: when the overdue share falls below `min_share` (once raised, the alert does not need
the rise to go on: it stays while the account is still paying late).
Value at risk: the overdue receivable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.alerts.models import Level
from openkam.alerts.rules.base import ALL_TIERS, Context, Finding, Rule, RuleSettings, amount
from openkam.analytics.churn import ChurnThresholds
from openkam.portfolio import readers
from openkam.portfolio.readers import overdue_share, overdue_share_change

KEY = "payment_worsening"


@dataclass(frozen=True)
class Settings(RuleSettings):
    tiers: tuple[str, ...] = ALL_TIERS
    rise: float = ChurnThresholds().overdue_share_rise
    min_share: float = 0.25
    high_share: float = 0.5
    min_overdue: float = 1_000.0


def evaluate(context: Context, settings: Settings) -> list[Finding]:
    table = readers.account_table()
    invoices = readers.open_invoices(table, as_of=context.as_of)
    share = overdue_share(invoices, as_of=context.as_of, n=table.ids.size)
    change = overdue_share_change(table, invoices, context.as_of)
    late = invoices.due_date < np.datetime64(context.as_of)
    overdue = np.bincount(
        invoices.account_codes[late], weights=invoices.open_amount[late], minlength=table.ids.size
    )
    current = context.current(KEY)
    raised = np.isin(table.ids, np.fromiter(current, dtype=np.int64, count=len(current)))
    hit = (share >= settings.min_share) & (overdue >= settings.min_overdue)
    hit &= (change >= settings.rise) | raised
    findings = []
    for i in np.flatnonzero(hit).tolist():
        account_id = int(table.ids[i])
        if context.scope is not None and account_id not in context.scope:
            continue
        findings.append(
            Finding(
                account_id=account_id,
                level=Level.HIGH if share[i] >= settings.high_share else Level.MEDIUM,
                value_at_risk=float(overdue[i]),
                params={
                    "share": round(float(share[i]), 4),
                    "change": round(float(change[i]), 4),
                    "overdue": round(float(overdue[i]), 2),
                },
            )
        )
    return findings


def message(params: Mapping[str, Any]) -> str:
    return _(
        "Payments are getting later: %(share)s of open receivables is overdue (%(overdue)s), "
        "%(change)s points against a quarter ago."
    ) % {
        "share": f"{float(params.get('share', 0)):.0%}",
        "overdue": amount(params.get("overdue")),
        "change": f"{float(params.get('change', 0)) * 100:+.0f}",
    }


RULE = Rule(
    key=KEY,
    title=gettext_lazy("Payment behaviour worsening"),
    watches=gettext_lazy("The share of receivables overdue, against a quarter ago."),
    defaults=Settings(),
    evaluate=evaluate,
    message=message,
)
