"""Contract shortfall: a signed contract's purchases in the current commitment period are
behind its contracted value pro rata to the elapsed share of the period (contracts.execution:
the same figures as the contract page).

Watches: the execution of every signed, running contract with a contracted value, from one
query of the ledger's monthly sums for all of them; quiet in the first part of a period
(`min_elapsed`), when a few orders make the pace.
Clears: when purchases catch up within the tolerance, or the contract ends.
Value at risk: the shortfall to date (the contracted value due but not bought).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.alerts.models import Level
from openkam.alerts.rules.base import TIERS_ABOVE_GENERAL, Context, Finding, Rule, RuleSettings
from openkam.alerts.rules.base import amount as money
from openkam.contracts.execution import executions
from openkam.contracts.models import Contract, ContractState

KEY = "contract_shortfall"


@dataclass(frozen=True)
class Settings(RuleSettings):
    tiers: tuple[str, ...] = TIERS_ABOVE_GENERAL
    tolerance: float = 0.10  # behind by more than this share of what was due
    high_below: float = 0.30  # high when behind by more than this share
    min_elapsed: float = 0.25  # of the period, before the pace is judged


def evaluate(context: Context, settings: Settings) -> list[Finding]:
    contracts = list(
        context.in_scope(Contract.objects.filter(account__tier__in=settings.tiers))
        .filter(state=ContractState.SIGNED, starts_on__lte=context.as_of)
        .filter(ends_on__gte=context.as_of)
        .prefetch_related("items")
        .order_by("account_id", "pk")
    )
    findings: dict[int, Finding] = {}
    for run in executions(contracts, as_of=context.as_of):
        rate = run.total.gap_rate
        if rate is None or run.share < Decimal(str(settings.min_elapsed)):
            continue
        if rate >= -Decimal(str(settings.tolerance)):
            continue
        account_id = run.contract.account_id
        known = findings.get(account_id)
        if known is not None and known.value_at_risk >= float(run.shortfall):
            continue
        findings[account_id] = Finding(
            account_id=account_id,
            level=Level.HIGH if rate < -Decimal(str(settings.high_below)) else Level.MEDIUM,
            value_at_risk=float(run.shortfall),
            params={
                "number": run.contract.number,
                "due": round(float(run.total.due or 0), 2),
                "actual": round(float(run.total.actual), 2),
                "behind": round(float(-rate), 4),
                "elapsed": round(float(run.share), 4),
            },
        )
    return list(findings.values())


def message(params: Mapping[str, Any]) -> str:
    return _(
        "Contract %(number)s is %(behind)s behind: %(actual)s bought against %(due)s due by "
        "now (%(elapsed)s of the period elapsed)."
    ) % {
        "number": params.get("number"),
        "behind": f"{float(params.get('behind') or 0):.0%}",
        "actual": money(params.get("actual")),
        "due": money(params.get("due")),
        "elapsed": f"{float(params.get('elapsed') or 0):.0%}",
    }


RULE = Rule(
    key=KEY,
    title=gettext_lazy("Contract shortfall"),
    watches=gettext_lazy("Purchases against the contracted value, pro rata to the period."),
    defaults=Settings(),
    evaluate=evaluate,
    message=message,
)
