"""The KAM is told in-app when the tier of one of their accounts is decided (issue 11): a card
of "my week" lists the decisions of the last DAYS days on the accounts they own (approved:
the new tier; rejected: the comment), newest first. Registered from GovernanceConfig.ready
through openkam.interactions.week (interactions sits below governance)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from openkam.portfolio.models import TierProposal
from openkam.team.models import User

DAYS = 30
DECIDED = (TierProposal.Status.APPROVED, TierProposal.Status.REJECTED)


def week_tier_decisions(user: User, sunday: dt.date, limit: int) -> tuple[Sequence[Any], int]:
    since = timezone.now() - dt.timedelta(days=DAYS)
    found = (
        TierProposal.objects.filter(
            account__owner=user, status__in=DECIDED, decided_at__gte=since, review__isnull=False
        )
        .select_related("account", "review")
        .order_by("-decided_at", "-pk")
    )
    rows = list(found[:limit])
    return rows, (len(rows) if len(rows) < limit else found.count())
