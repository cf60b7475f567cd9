"""What every rule shares: the finding it reports per account, its settings (thresholds and the
tiers it watches, company overrides over the module's defaults) and the context it reads.

A rule module holds a `Settings` dataclass, an `evaluate(context, settings)` that returns the
findings of every account in scope with a few bulk queries (never a query per account), a
`message(params)` that words an alert in the active language, and `RULE`, which ties them
together. An account in scope with no finding has cleared: its alert resolves itself. A rule
that wants a condition to hold a while once raised (hysteresis) reads `context.current(key)`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from django.db.models import FloatField, QuerySet, TextField
from django.db.models.functions import Cast
from django.utils.functional import Promise

from openkam.accounts.models import Account, Tier
from openkam.alerts.models import CURRENT, Alert, Level
from openkam.analytics import churn
from openkam.common.money import spoken
from openkam.portfolio.models import AccountSnapshot, PortfolioRun

ALL_TIERS: tuple[str, ...] = tuple(Tier.values)
TIERS_ABOVE_GENERAL: tuple[str, ...] = (Tier.STRATEGIC, Tier.KEY, Tier.MAJOR)
CHURN_RANK = {"low": 0, "medium": 1, "high": 2}
SNAPSHOT_FIELDS = (
    "account_id",
    "tier",
    "revenue_12m",
    "clv",
    "p_alive",
    "purchase_days",
    "mean_gap_days",
    "days_since_last_purchase",
    "churn_level",
    "churn_reasons",
    "ar_open",
    "ar_overdue",
    "ar_ageing",
    "credit_limit_use",
)


MONEY_FIELDS = frozenset({"revenue_12m", "clv", "ar_open", "ar_overdue"})
JSON_FIELDS = frozenset({"churn_reasons", "ar_ageing"})


@lru_cache(maxsize=4096)
def _decoded(text: str) -> Any:
    return json.loads(text)


def _json(text: str | None) -> Any:
    """A JSON column's value, shared between the rows with the same text (rules only read
    them; a rule that keeps one copies it)."""
    return None if text is None else _decoded(text)


@dataclass(frozen=True)
class Finding:
    """The rule's condition holds for one account: how badly, what is at stake, and the
    figures its message quotes (JSON-safe: numbers and strings)."""

    account_id: int
    level: Level
    value_at_risk: float
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RuleSettings:
    tiers: tuple[str, ...] = ALL_TIERS


@dataclass(frozen=True)
class Rule:
    key: str
    title: Promise | str
    watches: Promise | str
    defaults: RuleSettings
    evaluate: Callable[[Context, Any], list[Finding]]
    message: Callable[[Mapping[str, Any]], str]

    def settings(self, overrides: Mapping[str, Any]) -> RuleSettings:
        """The defaults with the company's overrides; unknown keys are ignored (a setting
        dropped from a rule must not stop every evaluation)."""
        known = {f.name for f in dataclasses.fields(self.defaults)}
        values = {k: v for k, v in overrides.items() if k in known}
        if "tiers" in values:
            values["tiers"] = tuple(values["tiers"])
        return dataclasses.replace(self.defaults, **values)


def number(value: Any) -> float | None:
    """A snapshot figure as a float (None when unknown)."""
    return None if value is None else float(value)


def clv_at_risk(snapshot: Mapping[str, Any]) -> float:
    """Value at risk of a customer leaving: CLV times the probability it has left (1 - P(alive));
    the last twelve months' revenue where the models could not say."""
    figures = [number(snapshot.get(key)) for key in ("clv", "p_alive", "revenue_12m")]
    clv, p_alive, revenue = (math.nan if value is None else value for value in figures)
    return float(churn.value_lost(clv, p_alive, revenue))


class Context:
    """What the rules read, loaded once per evaluation and only when a rule asks for it."""

    def __init__(self, *, as_of: dt.date, scope: Collection[int] | None = None) -> None:
        self.as_of = as_of
        self.scope = frozenset(scope) if scope is not None else None

    def in_scope(self, queryset: QuerySet[Any], field_name: str = "account_id") -> QuerySet[Any]:
        if self.scope is None:
            return queryset
        return queryset.filter(**{f"{field_name}__in": sorted(self.scope)})

    @cached_property
    def accounts(self) -> dict[int, tuple[str, int | None]]:
        """(tier, owner id) of every account in scope."""
        rows = self.in_scope(Account.objects.all(), "pk").values_list("pk", "tier", "owner_id")
        return {pk: (tier, owner) for pk, tier, owner in rows}

    @cached_property
    def runs(self) -> list[int]:
        """The latest finished refresh of each of the two newest dates up to as_of."""
        found: dict[dt.date, int] = {}
        rows = (
            PortfolioRun.objects.filter(status=PortfolioRun.Status.DONE, as_of__lte=self.as_of)
            .order_by("-as_of", "-started_at")
            .values_list("as_of", "pk")
        )
        for as_of, pk in rows.iterator():
            found.setdefault(as_of, pk)
            if len(found) == 2:
                break
        return list(found.values())

    def _snapshots(self, run_id: int, fields: tuple[str, ...]) -> dict[int, dict[str, Any]]:
        """One row per account; money as floats and JSON decoded once per distinct text: at
        100,000 accounts Django's Decimal and JSON converters were a fifth of an evaluation,
        and most accounts share the same empty ageing and reasons."""
        cast = {name: Cast(name, FloatField()) for name in fields if name in MONEY_FIELDS}
        cast |= {name: Cast(name, TextField()) for name in fields if name in JSON_FIELDS}
        plain = [name for name in fields if name not in cast]
        snapshots = self.in_scope(AccountSnapshot.objects.filter(run_id=run_id))
        queryset = snapshots.annotate(**{f"_{name}": value for name, value in cast.items()})
        names = [*plain, *cast]
        rows = queryset.values_list(*plain, *(f"_{name}" for name in cast))
        found: dict[int, dict[str, Any]] = {}
        for values in rows.iterator(chunk_size=5000):
            row = dict(zip(names, values, strict=True))
            for name in JSON_FIELDS.intersection(cast):
                row[name] = _json(row[name])
            found[row["account_id"]] = row
        return found

    @cached_property
    def latest(self) -> dict[int, dict[str, Any]]:
        """The newest snapshot of each account in scope (empty before the first refresh)."""
        return self._snapshots(self.runs[0], SNAPSHOT_FIELDS) if self.runs else {}

    @cached_property
    def previous(self) -> dict[int, dict[str, Any]]:
        """The snapshot before it, for rules that compare two refreshes."""
        if len(self.runs) < 2:
            return {}
        return self._snapshots(self.runs[1], ("account_id", "churn_level"))

    def current(self, rule: str) -> dict[int, dict[str, Any]]:
        """The params of the rule's current alerts by account, for rules with hysteresis."""
        rows = self.in_scope(Alert.objects.filter(CURRENT, rule=rule)).values_list(
            "account_id", "params"
        )
        return dict(rows)


def amount(value: Any) -> str:
    """Money in a message, said the way the pages say it (万/亿 in Chinese, K/M in English, the
    company's currency): messages are written when read, in the reader's language."""
    return spoken(value or 0)
