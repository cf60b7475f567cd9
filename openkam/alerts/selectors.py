"""Reads about alerts. Every list starts from accounts_visible_to (the team rule is never
re-derived) and is ranked by value at risk, then tier, then level."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Tier
from openkam.accounts.selectors import accounts_visible_to
from openkam.alerts.models import ACTIVE_STATES, Alert
from openkam.common.errors import NotFound
from openkam.team.models import User

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
