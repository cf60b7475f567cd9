"""Alerts as the engine leaves them, for tests of their work and of the API."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils import timezone

from openkam.accounts.models import Account
from openkam.alerts.models import Alert, AlertState, Level


def alert(account: Account, *, rule: str = "payment_worsening", **fields: Any) -> Alert:
    now = timezone.now()
    values: dict[str, Any] = {
        "level": Level.MEDIUM,
        "state": AlertState.OPEN,
        "assignee": account.owner,
        "value_at_risk": Decimal("1000.00"),
        "params": {"share": 0.5, "change": 0.5, "overdue": 1000.0},
        "first_seen": now,
        "last_seen": now,
        **fields,
    }
    return Alert.objects.create(rule=rule, account=account, **values)


def alert_of(account: Account, *, rule: str = "payment_worsening") -> Alert:
    """The account's current alert of the rule, made once (the route walk asks for it by
    every route that takes one)."""
    found = Alert.objects.filter(account=account, rule=rule, resolved_at__isnull=True).first()
    return found or alert(account, rule=rule)
