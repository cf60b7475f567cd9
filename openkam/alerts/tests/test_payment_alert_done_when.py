"""The issue's done-when: an import that makes an account's payments late, followed by
`openkam alerts`, raises a payment alert for its KAM and nobody outside the team; running it
twice creates nothing new; paying the invoices and running it again resolves it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from openkam.alerts.models import CURRENT, Alert, AlertState
from openkam.alerts.selectors import alerts_visible_to
from openkam.conftest import World
from openkam.ledger.models import Invoice, Payment

pytestmark = pytest.mark.django_db
RULE = "payment_worsening"


def late_invoices(world: World, today: dt.date) -> list[Invoice]:
    """What an import of the ERP's invoices leaves: two invoices issued ten weeks ago, due
    forty days ago, unpaid (a quarter ago neither was due: the account paid on time then)."""
    return [
        Invoice.objects.create(
            account=world.account,
            invoice_no=f"INV-{n}",
            invoice_date=today - dt.timedelta(days=70),
            due_date=today - dt.timedelta(days=40),
            amount=Decimal("25000.00"),
        )
        for n in (1, 2)
    ]


def payment_alerts() -> list[Alert]:
    return list(Alert.objects.filter(rule=RULE))


def test_late_payments_raise_one_alert_for_the_kam_and_paying_resolves_it(world: World) -> None:
    today = timezone.localdate()
    invoices = late_invoices(world, today)

    call_command("alerts")
    (alert,) = payment_alerts()
    assert (alert.account_id, alert.assignee_id, alert.state) == (
        world.account.pk,
        world.kam.pk,
        AlertState.OPEN,
    )
    assert alert.value_at_risk == Decimal("50000.00")
    assert alert in alerts_visible_to(world.kam)
    assert alert in alerts_visible_to(world.director)
    assert not alerts_visible_to(world.other_kam).filter(rule=RULE).exists()

    history_rows = alert.history.count()
    call_command("alerts")
    assert [a.pk for a in payment_alerts()] == [alert.pk]
    assert alert.history.count() == history_rows

    for invoice in invoices:
        Payment.objects.create(
            account=world.account, invoice=invoice, payment_date=today, amount=invoice.amount
        )
    call_command("alerts")
    alert.refresh_from_db()
    assert alert.state == AlertState.RESOLVED
    assert alert.resolved_at is not None
    assert not Alert.objects.filter(CURRENT, rule=RULE).exists()
    assert alert.history.filter(history_change_reason="condition cleared").exists()
