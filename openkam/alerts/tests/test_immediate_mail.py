"""A rule a user chose mails them at once when an evaluation raises or escalates an alert for
them: one mail per user and evaluation, in their language; a re-run that changes nothing
mails nothing; other users and other rules are not mailed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from openkam.alerts.models import NotificationPreference
from openkam.alerts.notifications import notify_raised
from openkam.alerts.services import alerts_evaluate
from openkam.alerts.tests.builders import alert
from openkam.conftest import World
from openkam.ledger.models import Invoice

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


@pytest.fixture(autouse=True)
def addresses(world: World, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "zh-hans"
    for user in (world.kam, world.other_kam):
        user.email = f"{user.username}@example.com"
        user.save()


def late_invoice(account_id: int) -> None:
    due = TODAY - dt.timedelta(days=40)
    Invoice.objects.create(
        account_id=account_id, invoice_no=f"L{account_id}", invoice_date=due - dt.timedelta(30),
        due_date=due, amount=Decimal("10000"),
    )  # fmt: skip


def test_an_evaluation_mails_the_kam_who_chose_the_rule_once(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    NotificationPreference.objects.create(user=world.kam, immediate_rules=["payment_worsening"])
    NotificationPreference.objects.create(user=world.other_kam, immediate_rules=["purchase_gap"])
    late_invoice(world.account.pk)
    late_invoice(world.other_account.pk)
    with django_capture_on_commit_callbacks(execute=True):
        alerts_evaluate(as_of=TODAY, rules=["payment_worsening"])
    (message,) = mail.outbox
    assert message.to == ["kam1@example.com"]
    assert message.subject == "OpenKAM：为您新增 1 条预警"
    assert "付款表现恶化" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        alerts_evaluate(as_of=TODAY, rules=["payment_worsening"])
    assert len(mail.outbox) == 1  # nothing new, nothing mailed


def test_only_the_chosen_rules_are_mailed_in_the_users_language(world: World) -> None:
    NotificationPreference.objects.create(
        user=world.kam, immediate_rules=["payment_worsening"], language="en"
    )
    raised = [alert(world.account), alert(world.account, rule="purchase_gap")]
    assert notify_raised(raised) == 1
    (message,) = mail.outbox
    assert message.subject == "OpenKAM: 1 alert raised for you"
    assert "Payment behaviour worsening" in message.body
    assert "Purchase gap" not in message.body


def test_nobody_chose_nothing_is_mailed(world: World) -> None:
    assert notify_raised([alert(world.account)]) == 0
    assert mail.outbox == []


def test_an_escalation_is_mailed_again(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    NotificationPreference.objects.create(user=world.kam, immediate_rules=["payment_worsening"])
    late_invoice(world.account.pk)
    Invoice.objects.create(
        account_id=world.account.pk, invoice_no="NOT-DUE", invoice_date=TODAY - dt.timedelta(10),
        due_date=TODAY + dt.timedelta(days=20), amount=Decimal("30000"),
    )  # fmt: skip  # 25 % overdue: medium
    with django_capture_on_commit_callbacks(execute=True):
        alerts_evaluate(as_of=TODAY, rules=["payment_worsening"])
    Invoice.objects.filter(invoice_no="NOT-DUE").update(due_date=TODAY - dt.timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        alerts_evaluate(as_of=TODAY, rules=["payment_worsening"])
    assert [m.to for m in mail.outbox] == [["kam1@example.com"], ["kam1@example.com"]]
    assert "已升级" in mail.outbox[1].body
