"""Service SLA breach: an open service case has missed its first-response or resolution
deadline (set from the SLA of the account's tier and the case's severity).

Watches: service.ServiceCase of the accounts in scope that are still open (one query; the
breach is computed in the database as of the end of the day evaluated).
Clears: when every late case of the account is resolved or closed.
Value at risk: 0 (a late case costs goodwill, not a known amount).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.alerts.models import Level
from openkam.alerts.rules.base import ALL_TIERS, Context, Finding, Rule, RuleSettings
from openkam.service.models import OPEN_STATUSES, ServiceCase, Severity
from openkam.service.selectors import with_breach

KEY = "service_sla_breach"


URGENT = (Severity.CRITICAL, Severity.HIGH)  # a late case this severe makes the alert high


@dataclass(frozen=True)
class Settings(RuleSettings):
    tiers: tuple[str, ...] = ALL_TIERS


def evaluate(context: Context, settings: Settings) -> list[Finding]:
    day_end = timezone.make_aware(dt.datetime.combine(context.as_of, dt.time.max))
    cases = ServiceCase.objects.filter(
        account__tier__in=settings.tiers, status__in=OPEN_STATUSES, opened_at__lte=day_end
    )
    rows = (
        with_breach(context.in_scope(cases), now=day_end)
        .filter(breached=True)  # type: ignore[misc]
        .order_by("account_id", "resolution_due", "pk")
        .values_list("account_id", "pk", "title", "severity")
    )
    late: dict[int, list[tuple[int, str, str]]] = {}
    for account_id, pk, title, severity in rows:
        late.setdefault(account_id, []).append((pk, title, severity))
    findings = []
    for account_id, cases_late in late.items():
        pk, title, _severity = cases_late[0]  # the first-due late case speaks for the account
        urgent = any(severity in URGENT for _pk, _title, severity in cases_late)
        findings.append(
            Finding(
                account_id=account_id,
                level=Level.HIGH if urgent else Level.MEDIUM,
                value_at_risk=0.0,
                params={"case_id": pk, "title": title, "count": len(cases_late)},
            )
        )
    return findings


def message(params: Mapping[str, Any]) -> str:
    facts = {"id": params.get("case_id"), "title": params.get("title"),
             "count": params.get("count")}  # fmt: skip
    if int(params.get("count") or 1) > 1:
        text = _("%(count)s open service cases are past their SLA, the first #%(id)s %(title)s.")
    else:
        text = _("Service case #%(id)s %(title)s is past its SLA.")
    return text % facts


RULE = Rule(
    key=KEY,
    title=gettext_lazy("Service SLA breached"),
    watches=gettext_lazy("Open service cases past their first-response or resolution deadline."),
    defaults=Settings(),
    evaluate=evaluate,
    message=message,
)
