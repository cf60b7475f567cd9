"""alerts_evaluate reconciles findings with the current alerts: one alert per rule and
account, escalation when the level rises (reopening an acknowledged or dismissed one), a
dismissal silences the rule until the condition clears, a manual resolve whose condition still
holds is raised anew, the tiers a rule watches, the scope an import passes, and the hook that
runs it after every refresh."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.accounts.models import Tier
from openkam.alerts.apps import evaluate_after_refresh
from openkam.alerts.models import CURRENT, Alert, AlertState, Level, RuleSetting
from openkam.alerts.services import alert_acknowledge, alert_dismiss, alert_resolve, alerts_evaluate
from openkam.conftest import World
from openkam.factories import AccountFactory
from openkam.ledger.models import Invoice, Payment
from openkam.portfolio import hooks
from openkam.portfolio.models import PortfolioRun

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)
RULE = ["payment_worsening"]


def owe(account_id: int, no: str, *, days_late: int, amount: str = "10000") -> Invoice:
    due = TODAY - dt.timedelta(days=days_late)
    return Invoice.objects.create(
        account_id=account_id,
        invoice_no=no,
        invoice_date=due - dt.timedelta(days=30),
        due_date=due,
        amount=Decimal(amount),
    )


def evaluate(**kwargs: object) -> None:
    alerts_evaluate(as_of=TODAY, rules=RULE, **kwargs)  # type: ignore[arg-type]


def test_a_rising_level_escalates_and_reopens_an_acknowledged_alert(world: World) -> None:
    owe(world.account.pk, "A", days_late=40)
    owe(world.account.pk, "B", days_late=-20, amount="30000")  # 25 % overdue: medium
    evaluate()
    alert = Alert.objects.get()
    assert alert.level == Level.MEDIUM
    alert_acknowledge(user=world.kam, alert=alert)
    Invoice.objects.filter(invoice_no="B").update(due_date=TODAY - dt.timedelta(days=5))
    evaluate()
    alert.refresh_from_db()
    assert (alert.level, alert.state) == (Level.HIGH, AlertState.OPEN)
    assert alert.escalated_at is not None
    assert Alert.objects.count() == 1


def test_a_dismissed_alert_stays_dismissed_while_the_condition_holds(world: World) -> None:
    owe(world.account.pk, "A", days_late=40)
    evaluate()
    alert_dismiss(user=world.kam, alert=Alert.objects.get(), reason="agreed a payment plan")
    evaluate()
    assert list(Alert.objects.values_list("state", flat=True)) == [AlertState.DISMISSED]


def test_a_dismissed_alert_stops_silencing_once_the_condition_cleared(world: World) -> None:
    invoice = owe(world.account.pk, "A", days_late=40)
    evaluate()
    alert_dismiss(user=world.kam, alert=Alert.objects.get(), reason="agreed a payment plan")
    Payment.objects.create(
        account=world.account, invoice=invoice, payment_date=TODAY, amount=invoice.amount
    )
    evaluate()
    dismissed = Alert.objects.get()
    assert (dismissed.state, dismissed.resolved_at is not None) == (AlertState.DISMISSED, True)
    owe(world.account.pk, "C", days_late=35)
    evaluate()
    assert Alert.objects.filter(CURRENT, state=AlertState.OPEN).count() == 1


def test_resolving_by_hand_while_the_condition_holds_raises_a_new_alert(world: World) -> None:
    owe(world.account.pk, "A", days_late=40)
    evaluate()
    first = Alert.objects.get()
    alert_resolve(user=world.kam, alert=first, note="called them")
    evaluate()
    assert Alert.objects.filter(state=AlertState.OPEN).exclude(pk=first.pk).count() == 1


def test_a_rule_watches_only_its_tiers(world: World) -> None:
    RuleSetting.objects.create(rule="payment_worsening", settings={"tiers": [Tier.KEY]})
    key = AccountFactory.create(team=world.team, owner=world.kam, tier=Tier.KEY)
    owe(world.account.pk, "A", days_late=40)  # a general account
    owe(key.pk, "K", days_late=40)
    evaluate()
    assert list(Alert.objects.values_list("account_id", flat=True)) == [key.pk]


def test_a_disabled_rule_raises_nothing(world: World) -> None:
    RuleSetting.objects.create(rule="payment_worsening", enabled=False)
    owe(world.account.pk, "A", days_late=40)
    evaluate()
    assert not Alert.objects.exists()


def test_an_evaluation_in_scope_leaves_other_accounts_alerts_alone(world: World) -> None:
    other = owe(world.other_account.pk, "O", days_late=40)
    evaluate()
    Payment.objects.create(
        account=world.other_account, invoice=other, payment_date=TODAY, amount=other.amount
    )
    owe(world.account.pk, "A", days_late=40)
    evaluate(accounts=[world.account.pk])
    assert Alert.objects.filter(CURRENT).count() == 2


def test_alerts_are_evaluated_after_every_refresh() -> None:
    assert evaluate_after_refresh in hooks._after_refresh


def test_a_back_dated_refresh_leaves_the_alerts_alone(world: World) -> None:
    owe(world.account.pk, "A", days_late=40)
    evaluate()
    PortfolioRun.objects.create(as_of=TODAY, status=PortfolioRun.Status.DONE)
    evaluate_after_refresh(TODAY - dt.timedelta(days=90))
    assert Alert.objects.get().resolved_at is None
