"""Survey detractor: a contact of the account answered a satisfaction survey as a detractor
(NPS 0-6) lately, or the account's mean CSAT fell a point or more since its survey before.

Watches: surveys.Response of the accounts in scope answered in the last `days` days up to the
day evaluated (one query), and the accounts' mean CSAT per campaign (one query).
Clears: when no detractor answer is that recent and the CSAT no longer shows the fall.
Value at risk: 0 (a detractor costs goodwill, not a known amount).
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
from openkam.alerts.rules.base import TIERS_ABOVE_GENERAL, Context, Finding, Rule, RuleSettings
from openkam.surveys.feeds import account_csat_by_campaign
from openkam.surveys.models import Response
from openkam.surveys.scores import DETRACTOR_UP_TO

KEY = "survey_detractor"


@dataclass(frozen=True)
class Settings(RuleSettings):
    tiers: tuple[str, ...] = TIERS_ABOVE_GENERAL
    days: int = 90  # how recent a detractor's answer must be
    csat_fall: float = 1.0  # points on the 1-5 scale since the survey before
    high_below: int = 4  # an answer this low (0-3) makes the alert high


def evaluate(context: Context, settings: Settings) -> list[Finding]:
    end = timezone.make_aware(dt.datetime.combine(context.as_of + dt.timedelta(days=1), dt.time()))
    start = end - dt.timedelta(days=settings.days)
    answers = context.in_scope(
        Response.objects.filter(
            account__tier__in=settings.tiers,
            nps__lte=DETRACTOR_UP_TO,
            answered_at__gte=start,
            answered_at__lt=end,
        )
    ).order_by("account_id", "nps", "-answered_at")
    worst: dict[int, tuple[int, str, int]] = {}  # account -> (lowest NPS, who, how many)
    for account_id, score, name in answers.values_list("account_id", "nps", "contact__name"):
        lowest = worst.get(account_id)
        worst[account_id] = (lowest[0], lowest[1], lowest[2] + 1) if lowest else (score, name, 1)
    tiers = {pk: tier for pk, (tier, _owner) in context.accounts.items()}
    scope = [pk for pk, tier in tiers.items() if tier in settings.tiers]
    falls: dict[int, float] = {}
    for account_id, campaigns in account_csat_by_campaign(context.as_of, scope).items():
        if len(campaigns) > 1 and campaigns[-2][1] - campaigns[-1][1] >= settings.csat_fall:
            falls[account_id] = campaigns[-2][1] - campaigns[-1][1]
    findings = []
    for account_id in sorted(set(worst) | set(falls)):
        params: dict[str, Any] = {}
        high = False
        if account_id in worst:
            score, name, count = worst[account_id]
            params |= {"nps": score, "contact": name, "count": count}
            high = score < settings.high_below
        if account_id in falls:
            params["csat_fall"] = round(falls[account_id], 2)
        level = Level.HIGH if high else Level.MEDIUM
        findings.append(
            Finding(account_id=account_id, level=level, value_at_risk=0.0, params=params)
        )
    return findings


def message(params: Mapping[str, Any]) -> str:
    parts = []
    if "nps" in params:
        facts = {"contact": params.get("contact"), "nps": params.get("nps"),
                 "count": params.get("count")}  # fmt: skip
        if int(params.get("count") or 1) > 1:
            parts.append(
                _("%(count)s detractors in the latest survey answers, the lowest %(contact)s "
                  "(%(nps)s/10).") % facts
            )  # fmt: skip
        else:
            parts.append(_("%(contact)s answered the survey as a detractor (%(nps)s/10).") % facts)
    if "csat_fall" in params:
        parts.append(
            _("Satisfaction fell %(fall)s points since the survey before.")
            % {"fall": f"{float(params['csat_fall']):.1f}"}
        )
    return " ".join(parts) or _("A satisfaction survey answer asks for a follow-up.")


RULE = Rule(
    key=KEY,
    title=gettext_lazy("Survey detractor"),
    watches=gettext_lazy(
        "Satisfaction survey answers: recent detractors (0-6 of 10) and falling CSAT."
    ),
    defaults=Settings(),
    evaluate=evaluate,
    message=message,
)
