"""Data quality: order lines booked without a product cost, so their margin reads 100 %.

Watches: order lines with an amount and a unit cost of 0 (one grouped query).
Clears: when the lines get their cost (re-imported with it).
Value at risk: the revenue of those lines (the margin that is overstated at most).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.alerts.models import Level
from openkam.alerts.rules.base import ALL_TIERS, Context, Finding, Rule, RuleSettings, amount
from openkam.ledger.models import OrderLine

KEY = "missing_cost"


@dataclass(frozen=True)
class Settings(RuleSettings):
    tiers: tuple[str, ...] = ALL_TIERS
    min_lines: int = 1


def evaluate(context: Context, settings: Settings) -> list[Finding]:
    rows = (
        context.in_scope(OrderLine.objects.filter(unit_cost=0, amount__gt=0))
        .values("account_id")
        .annotate(lines=Count("pk"), revenue=Sum("amount"))
        .filter(lines__gte=settings.min_lines)
    )
    return [
        Finding(
            account_id=row["account_id"],
            level=Level.LOW,
            value_at_risk=float(row["revenue"]),
            params={"lines": row["lines"], "revenue": round(float(row["revenue"]), 2)},
        )
        for row in rows.iterator(chunk_size=5000)
    ]


def message(params: Mapping[str, Any]) -> str:
    return _(
        "%(lines)s order lines (%(revenue)s) have no product cost and count at 100%% margin; "
        "import their costs."
    ) % {"lines": params.get("lines"), "revenue": amount(params.get("revenue"))}


RULE = Rule(
    key=KEY,
    title=gettext_lazy("Order lines without cost"),
    watches=gettext_lazy("Order lines booked with a unit cost of 0."),
    defaults=Settings(),
    evaluate=evaluate,
    message=message,
)
