"""The lifecycle stage the data suggest for an account (全生命周期, DOMAIN §8), one rule per
stage, tried in this order (the first that holds wins):

1. win-back: the account has an open win-back case;
2. lost: its latest win-back case was closed as lost and it has not bought since (as far as
   the newest refresh knows);
3. identification: the refresh counted no purchase day yet;
4. lost: no purchase for `lost_after_days` (a year) and P(alive) below `lost_p_alive` (or
   unknown: the model could not say, the silence alone decides);
5. churn warning: the refresh's churn risk is high;
6. building: the first purchase is less than `building_days` (twelve months) old;
7. deepening: the relationship stage is Mid KAM or later and revenue of the last twelve months
   grew by at least `growth` on the twelve months before;
8. maintenance: otherwise (buying, stable).

An account the newest refresh did not cover keeps its stage (only rules 1 and 2 apply to it), so a
refresh never moves an account it knows nothing about.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from openkam.accounts.models import LifecycleStage, RelationshipStage

DEEP_RELATIONSHIPS = frozenset(
    {RelationshipStage.MID, RelationshipStage.PARTNERSHIP, RelationshipStage.SYNERGISTIC}
)
# The snapshot figures the rules read, in this order (AccountSnapshot fields).
SNAPSHOT_FIELDS = (
    "purchase_days",
    "age_weeks",
    "days_since_last_purchase",
    "p_alive",
    "churn_level",
    "revenue_12m",
    "revenue_prev_12m",
)


@dataclass(frozen=True)
class LifecycleRules:
    building_days: int = 365
    lost_after_days: int = 365
    lost_p_alive: float = 0.1
    growth: float = 0.05


@dataclass(frozen=True)
class Figures:
    """One account's snapshot figures the rules read."""

    purchase_days: int
    age_weeks: float | None
    days_since_last_purchase: int | None
    p_alive: float | None
    churn_level: str
    revenue_12m: Decimal
    revenue_prev_12m: Decimal
    as_of: dt.date

    @property
    def last_purchase(self) -> dt.date | None:
        if self.days_since_last_purchase is None:
            return None
        return self.as_of - dt.timedelta(days=self.days_since_last_purchase)


def _not_bought_since(figures: Figures | None, day: dt.date) -> bool:
    last = figures.last_purchase if figures is not None else None
    return last is None or last <= day


def _lost(figures: Figures, rules: LifecycleRules) -> bool:
    silent = figures.days_since_last_purchase
    if silent is None or silent < rules.lost_after_days:
        return False
    return figures.p_alive is None or figures.p_alive < rules.lost_p_alive


def _growing(figures: Figures, rules: LifecycleRules) -> bool:
    before = float(figures.revenue_prev_12m or 0)
    now = float(figures.revenue_12m or 0)
    return before > 0 and now >= before * (1 + rules.growth)


def _new(figures: Figures, rules: LifecycleRules) -> bool:
    return figures.age_weeks is not None and figures.age_weeks * 7 < rules.building_days


def suggest(
    figures: Figures | None,
    *,
    relationship_stage: str,
    open_case: bool,
    lost_on: dt.date | None = None,
    rules: LifecycleRules,
) -> str | None:
    """The stage the rules give, or None when the refresh did not cover the account."""
    if open_case:
        return LifecycleStage.WIN_BACK
    if lost_on is not None and _not_bought_since(figures, lost_on):
        return LifecycleStage.LOST
    if figures is None:
        return None
    if figures.purchase_days == 0:
        return LifecycleStage.IDENTIFICATION
    if _lost(figures, rules):
        return LifecycleStage.LOST
    if figures.churn_level == "high":
        return LifecycleStage.CHURN_WARNING
    if _new(figures, rules):
        return LifecycleStage.BUILDING
    if relationship_stage in DEEP_RELATIONSHIPS and _growing(figures, rules):
        return LifecycleStage.DEEPENING
    return LifecycleStage.MAINTENANCE
