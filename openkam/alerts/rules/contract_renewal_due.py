"""Contract renewal due: a signed contract's notice deadline (its end less the notice period;
the end itself with none) falls within the next days, or has passed while the contract runs,
and no renewal has been signed. An automatic renewal is flagged too: it is the last chance to
renegotiate or give notice.

Watches: contracts.Contract.notice_by of signed, unrenewed contracts of the accounts in scope
(one query; a group contract's alert is raised on the group's account).
Clears: when a renewal is signed, the contract is terminated, or it has ended.
Value at risk: the contracted value per period of the most urgent contract (0 without one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.alerts.models import Level
from openkam.alerts.rules.base import ALL_TIERS, Context, Finding, Rule, RuleSettings
from openkam.contracts.models import Contract, ContractState

KEY = "contract_renewal_due"


@dataclass(frozen=True)
class Settings(RuleSettings):
    tiers: tuple[str, ...] = ALL_TIERS
    days_ahead: int = 60  # raise this many days before the notice deadline
    urgent_days: int = 14  # high from this many days before it (or once it has passed)


def evaluate(context: Context, settings: Settings) -> list[Finding]:
    horizon = context.as_of + dt.timedelta(days=settings.days_ahead)
    renewed = Contract.objects.filter(renews=OuterRef("pk"), state=ContractState.SIGNED)
    rows = (
        context.in_scope(Contract.objects.filter(account__tier__in=settings.tiers))
        .filter(state=ContractState.SIGNED, notice_by__lte=horizon, ends_on__gte=context.as_of)
        .exclude(Exists(renewed))
        .order_by("account_id", "notice_by", "pk")
        .values_list(
            "account_id", "number", "notice_by", "ends_on", "auto_renew", "committed_value"
        )
    )
    findings: dict[int, Finding] = {}
    for account_id, number, notice_by, ends_on, auto_renew, value in rows:
        if account_id in findings:  # the most urgent contract of the account speaks for it
            continue
        days = (notice_by - context.as_of).days
        findings[account_id] = Finding(
            account_id=account_id,
            level=Level.HIGH if days <= settings.urgent_days else Level.MEDIUM,
            value_at_risk=float(value or 0),
            params={
                "number": number,
                "notice_by": notice_by.isoformat(),
                "ends_on": ends_on.isoformat(),
                "days_left": days,
                "auto_renew": auto_renew,
            },
        )
    return list(findings.values())


def message(params: Mapping[str, Any]) -> str:
    facts = {"number": params.get("number"), "notice": params.get("notice_by"),
             "end": params.get("ends_on"), "days": params.get("days_left")}  # fmt: skip
    if int(params.get("days_left") or 0) < 0:
        text = _(
            "Contract %(number)s: the notice deadline %(notice)s has passed; it ends on %(end)s."
        )
    elif params.get("auto_renew"):
        text = _(
            "Contract %(number)s renews automatically unless notice is given by %(notice)s "
            "(%(days)s days); decide whether to renegotiate."
        )
    else:
        text = _(
            "Contract %(number)s ends on %(end)s; agree the renewal by %(notice)s (%(days)s days)."
        )
    return text % facts


RULE = Rule(
    key=KEY,
    title=gettext_lazy("Contract renewal due"),
    watches=gettext_lazy("The notice deadline of signed contracts without a renewal."),
    defaults=Settings(),
    evaluate=evaluate,
    message=message,
)
