"""Reads about alerts. Every list starts from accounts_visible_to (the team rule is never
re-derived) and is ranked by value at risk, then tier, then level."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Min, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Tier
from openkam.accounts.selectors import accounts_visible_to, teams_visible_to
from openkam.alerts.models import ACTIVE_STATES, Alert, AlertState
from openkam.common.errors import NotFound
from openkam.team.models import Role, User

TIER_RANK = Case(
    *(When(account__tier=tier, then=Value(rank)) for rank, tier in enumerate(Tier.values)),
    default=Value(len(Tier.values)),
    output_field=IntegerField(),
)


def ranked(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """Value at risk first, then tier (strategic first), then level."""
    return alerts.annotate(tier_rank=TIER_RANK).order_by(
        "-value_at_risk", "tier_rank", "-level", "pk"
    )


def alerts_visible_to(user: User) -> QuerySet[Alert]:
    visible = accounts_visible_to(user)
    if user.is_authenticated and user.sees_all_accounts:
        return ranked(Alert.objects.select_related("account", "assignee"))
    return ranked(
        Alert.objects.filter(account__in=visible.values("pk")).select_related("account", "assignee")
    )


def alert_for(user: User, pk: int) -> Alert:
    """The alert `pk` as `user` may read it, or NotFound (absent and invisible alike)."""
    try:
        return alerts_visible_to(user).get(pk=pk)
    except Alert.DoesNotExist as exc:
        raise NotFound(_("No alert with this ID.")) from exc


def awake(alerts: QuerySet[Alert], today: dt.date | None = None) -> QuerySet[Alert]:
    """Active alerts that are not snoozed: the worklists."""
    day = today or timezone.localdate()
    return alerts.filter(state__in=ACTIVE_STATES).filter(
        Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=day)
    )


# --- Worklists ---------------------------------------------------------------------------

# An active alert still not resolved this many days after it was raised or escalated is
# overdue on the director's worklist.
OVERDUE_DAYS = 14
# The window of the median resolution time.
RESOLUTION_WINDOW_DAYS = 90


def my_alerts(user: User) -> QuerySet[Alert]:
    """The alerts assigned to `user` on accounts they still see, ranked."""
    if not user.is_authenticated:
        return Alert.objects.none()
    return alerts_visible_to(user).filter(assignee=user)


def open_count(user: User, today: dt.date | None = None) -> int:
    """The bell: the user's assigned alerts that are open (not yet acknowledged) and awake,
    in one query."""
    if not user.is_authenticated:
        return 0
    day = today or timezone.localdate()
    return (
        Alert.objects.filter(assignee=user, state=AlertState.OPEN)
        .filter(Q(snoozed_until__isnull=True) | Q(snoozed_until__lte=day))
        .count()
    )


def account_open_alerts(account_id: int) -> list[Alert]:
    """The account's active alerts for its page (the caller has already checked the user sees
    the account): one query, ranked."""
    return list(
        ranked(Alert.objects.filter(account_id=account_id, state__in=ACTIVE_STATES)).select_related(
            "assignee"
        )
    )


def oversees_teams(user: User) -> bool:
    """The team worklist is for directors and executives (and superusers)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in {Role.EXECUTIVE, Role.DIRECTOR})
    )


def sees_portfolio(user: User) -> bool:
    """The portfolio view: executives and analysts (every account), directors (their teams)."""
    return oversees_teams(user) or bool(user.is_authenticated and user.role == Role.ANALYST)


def team_alerts(user: User) -> QuerySet[Alert]:
    """The alerts of the accounts of the teams `user` directs or sees (every team for an
    executive): the worklist's rows, before the filters."""
    if user.sees_all_accounts:
        return alerts_visible_to(user)
    return alerts_visible_to(user).filter(account__team__in=teams_visible_to(user))


def overdue_since(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(days=OVERDUE_DAYS)


def needs_attention(alerts: QuerySet[Alert], now: dt.datetime) -> QuerySet[Alert]:
    """Unacknowledged, or still active OVERDUE_DAYS after it was raised or escalated."""
    cutoff = overdue_since(now)
    raised = Coalesce("escalated_at", "first_seen")
    return (
        alerts.filter(state__in=ACTIVE_STATES)
        .annotate(raised_at=raised)
        .filter(Q(state=AlertState.OPEN) | Q(raised_at__lt=cutoff))
    )


@dataclass
class KamRow:
    """One KAM's line of the director's worklist."""

    assignee_id: int | None
    name: str
    unacknowledged: int = 0
    acknowledged: int = 0
    overdue: int = 0
    oldest_days: int | None = None
    value_at_risk: Decimal = Decimal(0)
    resolved: int = 0
    median_days: float | None = None


def _days(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 86400


@dataclass
class Worklist:
    rows: list[KamRow]
    median_days: float | None  # all the teams' alerts resolved in the window


def _median(days: list[float]) -> float | None:
    return round(statistics.median(days), 1) if days else None


def team_worklist(alerts: QuerySet[Alert], now: dt.datetime) -> Worklist:
    """Per assignee: unacknowledged, acknowledged and overdue alerts, the oldest one's age, the
    value at risk, and the median days from raised to resolved over the last 90 days; and that
    median for everyone (three queries, whatever the number of KAMs)."""
    cutoff = overdue_since(now)
    active = alerts.filter(state__in=ACTIVE_STATES).order_by()
    counts = active.values("assignee_id").annotate(
        unacknowledged=Count("pk", filter=Q(state=AlertState.OPEN)),
        acknowledged=Count("pk", filter=Q(state=AlertState.ACKNOWLEDGED)),
        overdue=Count(
            "pk",
            filter=Q(first_seen__lt=cutoff)
            & (Q(escalated_at__isnull=True) | Q(escalated_at__lt=cutoff)),
        ),
        oldest=Min("first_seen"),
        at_risk=Sum("value_at_risk"),
    )
    rows: dict[int | None, KamRow] = {}
    for entry in counts:
        rows[entry["assignee_id"]] = KamRow(
            assignee_id=entry["assignee_id"],
            name="",
            unacknowledged=entry["unacknowledged"],
            acknowledged=entry["acknowledged"],
            overdue=entry["overdue"],
            oldest_days=int(_days(now - entry["oldest"])) if entry["oldest"] else None,
            value_at_risk=entry["at_risk"] or Decimal(0),
        )
    since = now - dt.timedelta(days=RESOLUTION_WINDOW_DAYS)
    resolved = (
        alerts.filter(resolved_at__gte=since, state=AlertState.RESOLVED)
        .order_by()
        .values_list("assignee_id", "first_seen", "resolved_at")
    )
    durations: dict[int | None, list[float]] = {}
    for assignee_id, first_seen, resolved_at in resolved.iterator(chunk_size=5000):
        if resolved_at is not None:
            durations.setdefault(assignee_id, []).append(_days(resolved_at - first_seen))
    for who, days in durations.items():
        row = rows.setdefault(who, KamRow(assignee_id=who, name=""))
        row.resolved, row.median_days = len(days), _median(days)
    names = {u.pk: str(u) for u in User.objects.filter(pk__in=[k for k in rows if k is not None])}
    for key, row in rows.items():
        row.name = names.get(key, "") if key is not None else ""
    ordered = sorted(rows.values(), key=lambda r: (-r.unacknowledged, -r.overdue, r.name))
    return Worklist(ordered, _median([d for days in durations.values() for d in days]))


@dataclass
class PortfolioSummary:
    count: int
    value_at_risk: Decimal
    by_rule: list[dict[str, Any]]
    by_tier: list[dict[str, Any]]
    by_team: list[dict[str, Any]]


def _grouped(alerts: QuerySet[Alert], field_name: str) -> list[dict[str, Any]]:
    groups = (
        alerts.order_by()
        .values(key=F(field_name))
        .annotate(count=Count("pk"), value_at_risk=Sum("value_at_risk"))
        .order_by("-value_at_risk", "key")
    )
    return [dict(group) for group in groups]


def portfolio_summary(user: User, today: dt.date | None = None) -> PortfolioSummary:
    """The open (active) alerts the user sees by rule, tier and team, and the value at risk in
    total (four queries)."""
    active = alerts_visible_to(user).filter(state__in=ACTIVE_STATES)
    total = active.order_by().aggregate(count=Count("pk"), value=Sum("value_at_risk"))
    return PortfolioSummary(
        count=total["count"],
        value_at_risk=total["value"] or Decimal(0),
        by_rule=_grouped(active, "rule"),
        by_tier=_grouped(active, "account__tier"),
        by_team=_grouped(active, "account__team__name"),
    )
