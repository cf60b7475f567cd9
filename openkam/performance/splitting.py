"""The executive splits the company's year target of a metric to the teams on one page
(目标分解到团队, issue 14): each team's share of last year's actual, of the forecast, or an even
split is suggested; the executive adjusts the amounts; what is not given out is the remainder.

Suggested bases:
- last_year: each team's actual of the metric in the year before (actuals_by: sales, gross
  margin, collections, new key accounts), negatives counted as nothing;
- forecast: the KAMs' quarterly forecasts of the year's sales summed per team; when nobody has
  forecast the year yet, the model's next-year forecast on the latest snapshot taken before it;
- even: the same amount each (new key accounts in whole accounts).
When the basis gives every team nothing, the split is even.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.common.errors import ValidationError
from openkam.performance.attainment import actuals_by
from openkam.performance.models import Forecast, Level, Metric, Target
from openkam.performance.services import (
    CENT,
    split_by_weights,
    target_decompose,
    target_may_set,
    target_set,
)
from openkam.portfolio.models import AccountSnapshot
from openkam.team.models import Team, User

BASES = ("last_year", "forecast", "even")
ZERO = Decimal("0")


@dataclass(frozen=True)
class TeamShare:
    team: Team
    basis: Decimal  # the team's weight (last year's actual, the forecast, or 1)
    suggested: Decimal | None  # its share of the company's target (None without one)
    target: Target | None  # its target of the metric and year, if set


def _weights(teams: list[Team], year: int, metric: str, basis: str) -> list[Decimal]:
    if basis == "even":
        return [Decimal("1")] * len(teams)
    if basis == "last_year":
        found = actuals_by(Account.objects.all(), year - 1, "team")
        return [max(Decimal(found.get(t.pk, {}).get(metric) or 0), ZERO) for t in teams]
    rows = (
        Forecast.objects.filter(year=year, account__team__isnull=False)
        .values("account__team")
        .annotate(total=Sum("amount"))
    )
    by_team = {row["account__team"]: row["total"] or ZERO for row in rows}
    if not any(by_team.values()):
        latest = AccountSnapshot.objects.filter(as_of__lt=dt.date(year, 1, 1)).aggregate(
            Max("as_of")
        )["as_of__max"]
        snaps = (
            AccountSnapshot.objects.filter(as_of=latest, account__team__isnull=False)
            .values("account__team")
            .annotate(total=Sum("forecast_year_1"))
        )
        by_team = {row["account__team"]: Decimal(str(row["total"] or 0)) for row in snaps}
    return [max(by_team.get(t.pk, ZERO), ZERO) for t in teams]


def company_target(year: int, metric: str) -> Target | None:
    return Target.objects.filter(year=year, level=Level.COMPANY, metric=metric).first()


def suggest(year: int, metric: str, basis: str) -> tuple[Target | None, list[TeamShare]]:
    """The company's target and each team's share of it by `basis` (a few grouped queries)."""
    teams = list(Team.objects.order_by("name"))
    parent = company_target(year, metric)
    weights = _weights(teams, year, metric, basis)
    unit = Decimal("1") if metric == Metric.NEW_KEY_ACCOUNTS else CENT
    amounts: list[Decimal | None] = (
        list(split_by_weights(parent.amount, weights, unit)) if parent else [None] * len(teams)
    )
    targets = {
        t.team_id: t
        for t in Target.objects.filter(year=year, level=Level.TEAM, metric=metric).exclude(
            team__isnull=True
        )
    }
    shares = [
        TeamShare(team, weight, amount, targets.get(team.pk))
        for team, weight, amount in zip(teams, weights, amounts, strict=True)
    ]
    return parent, shares


def parse_amount(text: str) -> Decimal | None:
    """A typed amount ("1,250,000", "125万" is not accepted): None when empty; ValueError when
    not a number."""
    cleaned = text.replace(",", "").replace("，", "").strip()
    if not cleaned:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(cleaned) from None
    if not value.is_finite():
        raise ValueError(cleaned)
    return value


def field_errors(
    company: str, amounts: Mapping[int, str], teams: Mapping[int, Team], metric: str
) -> tuple[Decimal | None, dict[int, Decimal], dict[str, str]]:
    """The typed company total and team amounts, read; errors keyed by the form's field names
    (company_amount, team_<id>) naming the team and the reason."""
    errors: dict[str, str] = {}
    whole = metric == Metric.NEW_KEY_ACCOUNTS
    total: Decimal | None = None
    try:
        total = parse_amount(company)
    except ValueError:
        errors["company_amount"] = _("The company's target: give a number.")
    else:
        if total is None:
            errors["company_amount"] = _("The company's target: give the year's amount.")
        elif total < 0:
            errors["company_amount"] = _("The company's target cannot be negative.")
        elif whole and total != total.to_integral_value():
            errors["company_amount"] = _("The company's target: new key accounts are whole.")
    given: dict[int, Decimal] = {}
    for pk, text in amounts.items():
        name = teams[pk].name
        try:
            value = parse_amount(text)
        except ValueError:
            errors[f"team_{pk}"] = _("%(team)s: give a number.") % {"team": name}
            continue
        if value is None:
            continue
        if value < 0:
            errors[f"team_{pk}"] = _("%(team)s: a target cannot be negative.") % {"team": name}
        elif whole and value != value.to_integral_value():
            errors[f"team_{pk}"] = _("%(team)s: new key accounts are whole.") % {"team": name}
        else:
            given[pk] = value
    return total, given, errors


@transaction.atomic
def company_split(
    *,
    user: User,
    year: int,
    metric: str,
    company: str,
    amounts: Mapping[int, str],
    reason: str = "",
) -> Target:
    """Set the company's year target and each team's share at once (an empty team amount
    leaves that team's target as it is). Only an executive; nothing is saved unless every
    field is right (ValidationError keyed by field: company_amount, team_<id>, reason)."""
    target_may_set(user, level=Level.COMPANY, team=None)
    if metric not in Metric.values:
        raise ValidationError({"metric": _("Unknown metric.")})
    teams = Team.objects.in_bulk(list(amounts))
    unknown = [str(pk) for pk in amounts if pk not in teams]
    if unknown:
        raise ValidationError({"amounts": _("No team with this ID: %s") % ", ".join(unknown)})
    total, given, errors = field_errors(company, amounts, teams, metric)
    if errors:
        raise ValidationError(errors)
    assert total is not None
    parent = target_set(
        user=user, year=year, level=Level.COMPANY, metric=metric, amount=total, reason=reason
    )
    if given:
        target_decompose(user=user, parent=parent, amounts=given, reason=reason)
    return parent
