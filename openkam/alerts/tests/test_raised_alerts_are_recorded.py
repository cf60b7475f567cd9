"""Alerts an evaluation raises are written in bulk with their first history row: each row
holds its own account's figures and assignee, and the history says "raised"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.alerts.models import Alert, AlertState
from openkam.alerts.services import alerts_evaluate
from openkam.conftest import World
from openkam.ledger.models import Invoice

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def owe(account_id: int, amount: str) -> None:
    due = TODAY - dt.timedelta(days=40)
    Invoice.objects.create(
        account_id=account_id, invoice_no=f"R{account_id}", invoice_date=due - dt.timedelta(30),
        due_date=due, amount=Decimal(amount),
    )  # fmt: skip


def test_each_raised_alert_has_its_own_figures_and_a_raised_history_row(world: World) -> None:
    owe(world.account.pk, "10000")
    owe(world.other_account.pk, "25000")
    alerts_evaluate(as_of=TODAY, rules=["payment_worsening"])
    mine = Alert.objects.get(account=world.account)
    theirs = Alert.objects.get(account=world.other_account)
    assert (mine.assignee, theirs.assignee) == (world.kam, world.other_kam)
    assert (mine.state, mine.value_at_risk, mine.params["overdue"]) == (
        AlertState.OPEN,
        Decimal("10000.00"),
        10000.0,
    )
    assert theirs.params["overdue"] == 25000.0
    (first,) = mine.history.all()
    assert (first.history_change_reason, first.history_type) == ("raised", "+")
    assert (first.account_id, first.assignee_id, first.level) == (
        world.account.pk,
        world.kam.pk,
        mine.level,
    )
    assert first.first_seen == mine.first_seen == mine.last_seen
