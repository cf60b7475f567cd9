"""Revenue down against the same months last year.

Watches: AccountMonth revenue of the last complete months against the same months a year
earlier (one grouped query), for accounts whose base revenue is large enough to matter.
Clears: when the drop is back within the cut.
Value at risk: the revenue lost against last year over those months.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.alerts.models import Level
from openkam.alerts.rules.base import (
    TIERS_ABOVE_GENERAL,
    Context,
    Finding,
    Rule,
    RuleSettings,
    amount,
)
from openkam.common.months import add_months
from openkam.ledger.models import AccountMonth

KEY = "revenue_decline"
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=18, decimal_places=2))


@dataclass(frozen=True)
class Settings(RuleSettings):
    tiers: tuple[str, ...] = TIERS_ABOVE_GENERAL
    months: int = 3
    drop: float = 0.30
    high_drop: float = 0.60
    min_base_revenue: float = 10_000.0


def evaluate(context: Context, settings: Settings) -> list[Finding]:
    end = context.as_of.replace(day=1)  # the current month is not complete
    start = add_months(end, -settings.months)
    last_start, last_end = add_months(start, -12), add_months(end, -12)
    rows = (
        context.in_scope(AccountMonth.objects.filter(month__gte=last_start, month__lt=end))
        .values("account_id")
        .annotate(
            now=Coalesce(Sum("revenue", filter=Q(month__gte=start)), ZERO),
            before=Coalesce(Sum("revenue", filter=Q(month__lt=last_end)), ZERO),
        )
        .filter(before__gte=settings.min_base_revenue)
    )
    findings = []
    for row in rows.iterator(chunk_size=5000):
        now, before = float(row["now"]), float(row["before"])
        change = now / before - 1.0
        if change > -settings.drop:
            continue
        findings.append(
            Finding(
                account_id=row["account_id"],
                level=Level.HIGH if change <= -settings.high_drop else Level.MEDIUM,
                value_at_risk=before - now,
                params={
                    "now": round(now, 2),
                    "before": round(before, 2),
                    "change": round(change, 4),
                    "months": settings.months,
                },
            )
        )
    return findings


def message(params: Mapping[str, Any]) -> str:
    return _(
        "Revenue of the last %(months)s months is %(now)s, %(change)s against %(before)s "
        "in the same months last year."
    ) % {
        "months": params.get("months"),
        "now": amount(params.get("now")),
        "before": amount(params.get("before")),
        "change": f"{float(params.get('change', 0)):+.0%}",
    }


RULE = Rule(
    key=KEY,
    title=gettext_lazy("Revenue down on last year"),
    watches=gettext_lazy("Revenue of the last months against the same months last year."),
    defaults=Settings(),
    evaluate=evaluate,
    message=message,
)
