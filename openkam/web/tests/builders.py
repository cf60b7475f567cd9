"""Object graphs for the page tests: an account with `n` of every profile fact, contacts,
ledger rows and subsidiaries, so a test can compare a small page with a large one; portfolio
runs and snapshots with plausible figures."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.test import Client
from django.urls import reverse

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
from openkam.common.months import add_months
from openkam.factories import AccountFactory, AccountMonthFactory, ContactFactory
from openkam.ledger.models import Invoice, Order, Payment
from openkam.portfolio.models import AccountSnapshot, PortfolioRun


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


def add_run(as_of: dt.date, **fields: object) -> PortfolioRun:
    """A finished portfolio refresh of `as_of`, without any snapshot."""
    defaults: dict[str, object] = {
        "status": PortfolioRun.Status.DONE,
        "parameters": {"fiscal_year_start_month": "1", "clv_horizon_months": "36",
                       "discount_rate": "0.1000"},
        "models_fitted": {"purchase_model": "bgnbd"},
    }  # fmt: skip
    return PortfolioRun.objects.create(as_of=as_of, **{**defaults, **fields})


def add_snapshot(
    account: Account, *, as_of: dt.date, run: PortfolioRun | None = None, **fields: object
) -> AccountSnapshot:
    """One snapshot with plausible figures of every kind; `fields` override them."""
    values: dict[str, object] = {
        "revenue_12m": Decimal("1200000"),
        "cost_12m": Decimal("900000"),
        "revenue_prev_12m": Decimal("1000000"),
        "revenue_year_2": Decimal("800000"),
        "revenue_year_1": Decimal("1100000"),
        "revenue_year_0": Decimal("950000"),
        "forecast_year_1": Decimal("1300000"),
        "forecast_year_2": Decimal("1400000"),
        "forecast_method": "blend",
        "direct_cost": Decimal("50000"),
        "indirect_cost": Decimal("30000"),
        "net_contribution": Decimal("195000"),
        "abc_revenue": "A",
        "abc_profit": "B",
        "revenue_rank": 3,
        "revenue_cumulative_share": 0.42,
        "tier": account.tier,
        "tier_proposed": account.tier,
        "purchase_days": 24,
        "frequency": 23,
        "recency_weeks": 100.0,
        "age_weeks": 104.0,
        "p_alive": 0.9,
        "expected_purchases_12m": 11.5,
        "expected_spend": Decimal("50000"),
        "clv": Decimal("400000"),
        "share_of_wallet": 0.35,
        "mean_gap_days": 30.0,
        "gap_cv": 0.4,
        "loyalty_preference": 0.35,
        "loyalty_repeat": 0.8,
        "loyalty_type": "inertia",
        "sales_profit_quadrant": "star",
        "volume_loyalty_quadrant": "core_value",
        "attractiveness": 70.0,
        "attractiveness_coverage": 0.8,
        "relative_strength": 40.0,
        "portfolio_quadrant": "key_development",
        "days_since_last_purchase": 12,
        "churn_level": "low",
        "churn_reasons": [],
        "ar_open": Decimal("300000"),
        "ar_overdue": Decimal("120000"),
        "ar_ageing": {"0-30": 60000, "31-60": 30000, "61-90": 0, "91-180": 30000, ">180": 0},
        "dso_days": 91.0,
        "ar_turnover": 4.5,
        "credit_limit_use": 0.3,
    }
    values.update(fields)
    return AccountSnapshot.objects.create(
        run=run or add_run(as_of), account=account, as_of=as_of, **values
    )


LAZY_TAB = re.compile(
    r'<div hx-get="(/accounts/\d+/tab/[a-z]+/)" hx-trigger="intersect once"[^>]*>'
    r".*?</div>\s*</div>",
    re.S,
)


def account_360(client: Client, account: Account) -> str:
    """The account page as a user sees it once every tab has been opened: the page, then each
    tab it loads on demand (each must answer 200), put in the place of its placeholder."""
    response = client.get(reverse("accounts:detail", args=[account.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    tabs = LAZY_TAB.findall(html)
    assert len(tabs) == 7  # analysis, profile, finance, needs, contacts, group; the side cards

    def loaded(match: re.Match[str]) -> str:
        tab = client.get(match.group(1))
        assert tab.status_code == 200
        return tab.content.decode()

    return LAZY_TAB.sub(loaded, html)
