"""Interactions for tests, written straight to the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from openkam.accounts.models import Account
from openkam.interactions.models import Interaction, Status
from openkam.interactions.services import interaction_log
from openkam.relationships.models import Contact
from openkam.team.models import User


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def interaction(
    account: Account,
    *,
    day: dt.date,
    ours: Sequence[User] = (),
    theirs: Sequence[Contact] = (),
    status: str = Status.DONE,
    kind: str = "visit",
    subject: str = "季度回访",
    **fields: object,
) -> Interaction:
    made = Interaction.objects.create(
        account=account, kind=kind, status=status, starts_at=at(day), subject=subject, **fields
    )
    made.our_participants.set(ours)
    made.their_participants.set(theirs)
    return made


def logged(
    account: Account,
    *,
    by: User,
    day: dt.date,
    ours: Sequence[User] = (),
    theirs: Sequence[Contact] = (),
    status: str = Status.DONE,
    subject: str = "季度回访",
    **fields: Any,
) -> Interaction:
    """An interaction logged through the service, so its history starts as in the app."""
    return interaction_log(
        account=account,
        author=by,
        kind=fields.pop("kind", "visit"),
        status=status,
        starts_at=at(day),
        subject=subject,
        our_participants=ours,
        their_participants=theirs,
        **fields,
    )
