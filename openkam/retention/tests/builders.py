"""Small builders for retention tests: churn alerts as the engine leaves them, cases in a
given state, months of revenue and purchase days as the ledger aggregates them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from openkam.accounts.models import Account
from openkam.alerts.models import Alert
from openkam.alerts.tests.builders import alert
from openkam.ledger.models import AccountMonth, AccountPurchaseDay
from openkam.retention.models import WinBackCase


def churn_alert(account: Account, **fields: Any) -> Alert:
    values: dict[str, Any] = {"params": {"p_alive": 0.2, "cut": 0.3}, **fields}
    return alert(account, rule="p_alive_low", **values)


def case(account: Account, **fields: Any) -> WinBackCase:
    values: dict[str, Any] = {
        "owner": account.owner,
        "opened_on": dt.date(2026, 3, 2),
        "cause": "price",
        **fields,
    }
    return WinBackCase.objects.create(account=account, **values)


def months(account: Account, revenue: dict[dt.date, str]) -> None:
    AccountMonth.objects.bulk_create(
        AccountMonth(account=account, month=month, revenue=Decimal(amount), cost=Decimal("0"))
        for month, amount in revenue.items()
    )


def purchase_days(account: Account, *days: dt.date) -> None:
    AccountPurchaseDay.objects.bulk_create(
        AccountPurchaseDay(account=account, day=day, revenue=Decimal("100"), cost=Decimal("60"))
        for day in days
    )


def of_other_team(account: Account) -> tuple[Alert, WinBackCase, Any]:
    """A churn alert, an open case and its action on another team's account, made once (the
    route walk asks for them route after route)."""
    from openkam.retention.models import WinBackAction

    raised = Alert.objects.filter(account=account, rule="p_alive_low").first()
    raised = raised or churn_alert(account)
    found = WinBackCase.objects.filter(account=account).first() or case(account, alert=raised)
    owner = account.owner
    assert owner is not None
    action = found.actions.first() or WinBackAction.objects.create(
        case=found, title="拜访", owner=owner, due_on=dt.date(2026, 6, 30)
    )
    return raised, found, action
