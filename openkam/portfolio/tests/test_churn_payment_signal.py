"""The refresh feeds the churn score's payment signal: an account whose share of receivables
overdue rose by the signal's threshold over the last quarter carries `payment_worsening`; one
that pays on time does not."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.accounts.models import Account
from openkam.analytics.churn import PAYMENT_WORSENING
from openkam.factories import AccountFactory
from openkam.ledger.models import Invoice, Payment
from openkam.portfolio.models import AccountSnapshot
from openkam.portfolio.services import portfolio_refresh

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 30)


def invoice(account: Account, no: str, issued: dt.date, amount: str = "1000") -> Invoice:
    return Invoice.objects.create(
        account=account,
        invoice_no=no,
        invoice_date=issued,
        due_date=issued + dt.timedelta(days=30),
        amount=Decimal(amount),
    )


def reasons(account: Account) -> list[str]:
    return list(AccountSnapshot.objects.get(account=account, as_of=AS_OF).churn_reasons)


def test_an_account_whose_overdue_share_rose_gets_payment_worsening() -> None:
    late = AccountFactory.create()
    # A quarter ago its one open invoice was not yet due; now it is two months late.
    invoice(late, "L-1", dt.date(2026, 3, 20))
    portfolio_refresh(as_of=AS_OF)
    assert PAYMENT_WORSENING in reasons(late)


def test_an_account_that_paid_on_time_has_no_payment_reason() -> None:
    prompt = AccountFactory.create()
    paid = invoice(prompt, "P-1", dt.date(2026, 3, 20))
    Payment.objects.create(
        account=prompt, invoice=paid, payment_date=dt.date(2026, 4, 15), amount=paid.amount
    )
    portfolio_refresh(as_of=AS_OF)
    assert PAYMENT_WORSENING not in reasons(prompt)


def test_an_account_already_late_a_quarter_ago_is_not_worsening() -> None:
    steady = AccountFactory.create()
    invoice(steady, "S-1", dt.date(2026, 1, 5))
    portfolio_refresh(as_of=AS_OF)
    assert PAYMENT_WORSENING not in reasons(steady)
