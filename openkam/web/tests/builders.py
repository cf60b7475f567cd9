"""Object graphs for the page tests: an account with `n` of every profile fact, contacts,
ledger rows and subsidiaries, so a test can compare a small page with a large one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from openkam.accounts.models import (
    Account,
    BudgetCycle,
    BusinessUnit,
    CompanyEvent,
    Competitor,
    CompetitorPresence,
    FinancialYear,
    Location,
    Need,
    Officer,
    OutlookNote,
    Shareholder,
    WalletEstimate,
)
from openkam.factories import AccountFactory, AccountMonthFactory, ContactFactory
from openkam.ledger.models import Invoice, Order, Payment
from openkam.web.selectors import add_months


def add_profile(account: Account, n: int) -> None:
    """`n` facts of every kind on the account's profile."""
    for i in range(n):
        Shareholder.objects.create(account=account, name=f"股东{i}", share_percent=Decimal("10"))
        Officer.objects.create(
            account=account, name=f"董事{i}", title="董事", body=Officer.Body.BOARD
        )
        BusinessUnit.objects.create(account=account, name=f"事业部{i}")
        Location.objects.create(account=account, kind=Location.Kind.PLANT, name=f"工厂{i}")
        CompanyEvent.objects.create(
            account=account,
            kind=CompanyEvent.Kind.CAPEX,
            date=dt.date(2025, 1, 1) + dt.timedelta(days=i),
            description=f"新建产线{i}",
        )
        FinancialYear.objects.create(
            account=account,
            year=2000 + i,
            revenue=Decimal("1000000"),
            net_profit=Decimal("50000"),
            total_assets=Decimal("800000"),
            total_liabilities=Decimal("400000"),
        )
        OutlookNote.objects.create(account=account, kind=OutlookNote.Kind.MARKET, text=f"展望{i}")
        Need.objects.create(account=account, kind=Need.Kind.COST, description=f"降本{i}")
        WalletEstimate.objects.create(
            account=account, year=2000 + i, category_spend=Decimal("5000000")
        )
        competitor, _ = Competitor.objects.get_or_create(name=f"竞争对手{i}")
        CompetitorPresence.objects.create(
            account=account, competitor=competitor, share_of_wallet=Decimal("20")
        )
    BudgetCycle.objects.get_or_create(account=account, defaults={"budget_month": 10})


def add_contacts(account: Account, n: int) -> None:
    for i in range(n):
        ContactFactory.create(account=account, name=f"联系人{account.pk}-{i}", stage_needs=True)


def add_ledger(account: Account, months: int, *, last_month: dt.date) -> None:
    """One order, one invoice and a half payment per month, and the month's aggregate."""
    for offset in range(months):
        month = add_months(last_month, -offset)
        AccountMonthFactory.create(
            account=account, month=month, revenue="1000", cost="600", order_count=1
        )
        order = Order.objects.create(
            account=account, order_no=f"SO-{account.pk}-{offset}", order_date=month
        )
        invoice = Invoice.objects.create(
            account=account,
            order=order,
            invoice_no=f"INV-{account.pk}-{offset}",
            invoice_date=month,
            due_date=month + dt.timedelta(days=30),
            amount=Decimal("1000"),
        )
        Payment.objects.create(
            account=account, invoice=invoice, payment_date=month, amount=Decimal("500")
        )


def add_subsidiaries(account: Account, n: int, **fields: object) -> list[Account]:
    return [AccountFactory.create(parent=account, **fields) for _ in range(n)]
