"""Service cases as the tests need them, written directly (the services are tested apart)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from openkam.accounts.models import Account
from openkam.service.models import ServiceCase, Training

NOON = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)


def case(account: Account, **fields: Any) -> ServiceCase:
    opened = fields.pop("opened_at", NOON - dt.timedelta(hours=3))
    values: dict[str, Any] = {
        "kind": "complaint", "severity": "high", "title": "曳引机异响", "opened_at": opened,
        "response_due": opened + dt.timedelta(hours=4),
        "resolution_due": opened + dt.timedelta(hours=72),
    }  # fmt: skip
    values.update(fields)
    return ServiceCase.objects.create(account=account, **values)


def their_case(account: Account) -> ServiceCase:
    """A case of another team's account (the route walk's object), made once."""
    found = ServiceCase.objects.filter(account=account, title="WALK").first()
    return found or case(account, title="WALK", opened_at=timezone.now())


def their_training(account: Account) -> Training:
    """A training of another team's account (the route walk's object), made once."""
    found = Training.objects.filter(account=account, topic="WALK").first()
    return found or Training.objects.create(
        account=account, held_on=dt.date(2026, 5, 20), topic="WALK", trainer="张工"
    )
