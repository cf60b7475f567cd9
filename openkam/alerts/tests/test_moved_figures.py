"""A re-run whose figures moved without the level rising updates the alert's figures and
last_seen in place: no new alert, no history row, the state kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.alerts.models import Alert, AlertState
from openkam.alerts.services import alert_acknowledge, alerts_evaluate
from openkam.conftest import World
from openkam.ledger.models import Invoice

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def test_moved_figures_update_the_alert_without_a_history_row(world: World) -> None:
    due = TODAY - dt.timedelta(days=40)
    invoice = Invoice.objects.create(
        account_id=world.account.pk, invoice_no="M1", invoice_date=due - dt.timedelta(30),
        due_date=due, amount=Decimal("10000"),
    )  # fmt: skip
    alerts_evaluate(as_of=TODAY, rules=["payment_worsening"])
    found = Alert.objects.get()
    alert_acknowledge(user=world.kam, alert=found)
    rows = found.history.count()
    Invoice.objects.filter(pk=invoice.pk).update(amount=Decimal("12500"))
    alerts_evaluate(as_of=TODAY, rules=["payment_worsening"])
    again = Alert.objects.get()
    assert (again.pk, again.level, again.state) == (found.pk, found.level, AlertState.ACKNOWLEDGED)
    assert again.value_at_risk == Decimal("12500.00")
    assert again.params["overdue"] == 12500.0
    assert again.last_seen > found.last_seen
    assert again.history.count() == rows
