"""The generated customer base looks like a real supplier's: 二八 revenue, tiers that follow
the default rules, churn, late payers, group hierarchies, valid credit codes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest
from django.db.models import Count, F, Max, Q, Sum

from openkam.accounts.models import Account, Region
from openkam.common.credit_code import validate_credit_code
from openkam.demo.catalogue import CITIES
from openkam.demo.services import DemoReport
from openkam.demo.tests.conftest import TODAY
from openkam.ledger.models import AccountMonth, AccountPurchaseDay, Invoice, Order, Payment

pytestmark = pytest.mark.django_db


def trailing_revenue() -> dict[int, Decimal]:
    since = TODAY - dt.timedelta(days=365)
    rows = AccountPurchaseDay.objects.filter(day__gt=since).values("account_id")
    return {r["account_id"]: r["total"] for r in rows.annotate(total=Sum("revenue"))}


def test_top_fifth_of_accounts_buys_most_of_the_revenue(demo: DemoReport) -> None:
    totals = AccountMonth.objects.values("account_id").annotate(total=Sum("revenue"))
    revenue = np.sort([float(row["total"]) for row in totals])[::-1]
    revenue = np.concatenate([revenue, np.zeros(Account.objects.count() - revenue.size)])
    top = int(np.ceil(0.2 * revenue.size))
    assert 0.65 <= revenue[:top].sum() / revenue.sum() <= 0.90


def test_tiers_follow_the_trailing_revenue_and_the_default_thresholds(demo: DemoReport) -> None:
    revenue = trailing_revenue()
    for account in Account.objects.all():
        sales = revenue.get(account.pk, Decimal("0"))
        leader = account.industry_position == "leader"
        if account.is_strategic:
            expected = "strategic"
        elif sales >= 20_000_000 and leader:
            expected = "key"
        elif sales >= 5_000_000:
            expected = "major"
        else:
            expected = "general"
        assert account.tier == expected, (account.legal_name, sales, account.industry_position)
    tiers = dict(Account.objects.values_list("tier").annotate(Count("id")))
    assert tiers["general"] > tiers["major"] > 0
    assert tiers.get("key", 0) + tiers["strategic"] > 0


def test_a_handful_of_big_accounts_are_designated_strategic(demo: DemoReport) -> None:
    strategic = Account.objects.filter(is_strategic=True)
    assert 1 <= strategic.count() <= 10
    revenue = trailing_revenue()
    for account in strategic:
        assert account.tier == "strategic"
        assert account.strategic_reason
        assert revenue[account.pk] >= 5_000_000
        assert account.team is not None
        assert account.team.name == "战略客户部"


def test_churned_accounts_stopped_ordering_months_ago(demo: DemoReport) -> None:
    last = dict(Order.objects.values_list("account_id").annotate(Max("order_date")))
    lost = Account.objects.filter(lifecycle_stage="lost")
    assert lost.exists()
    for account in lost:
        assert (TODAY - last[account.pk]).days > 240
    recent = TODAY - dt.timedelta(days=60)
    buying = Account.objects.filter(orders__order_date__gt=recent).distinct()
    assert not buying.filter(lifecycle_stage="lost").exists()
    assert Account.objects.filter(lifecycle_stage="churn_warning").exists()
    assert not Order.objects.filter(account__lifecycle_stage="identification").exists()


def test_late_payers_pay_after_the_due_date_and_leave_receivables_open(
    demo: DemoReport,
) -> None:
    late = Payment.objects.filter(payment_date__gt=F("invoice__due_date"))
    assert late.count() > 0.05 * Payment.objects.count()
    overdue = Invoice.objects.filter(payments__isnull=True, due_date__lt=TODAY)
    assert overdue.exists()
    assert Payment.objects.filter(payment_date__lte=F("invoice__due_date")).exists()


def test_every_credit_code_is_valid_and_unique(demo: DemoReport) -> None:
    codes = list(Account.objects.exclude(credit_code="").values_list("credit_code", flat=True))
    assert len(codes) > 0.95 * Account.objects.count()
    assert len(set(codes)) == len(codes)
    for code in codes:
        assert validate_credit_code(code) == code
    foreign = Account.objects.filter(credit_code="")
    assert not foreign.exclude(region=Region.OVERSEAS).exists()


def test_group_hierarchies_reach_three_levels(demo: DemoReport) -> None:
    grandchildren = Account.objects.filter(parent__parent__isnull=False)
    assert grandchildren.exists()
    assert not Account.objects.filter(parent__parent__parent__isnull=False).exists()
    for child in grandchildren:
        group = child.parent.parent if child.parent else None
        assert group is not None
        assert group.short_name.removesuffix("集团") in child.legal_name
        assert group.legal_name.endswith("集团有限公司")


def test_region_province_and_city_agree(demo: DemoReport) -> None:
    known = {(c.region, c.province, c.name) for c in CITIES}
    for row in Account.objects.values_list("region", "province", "city").distinct():
        assert row in known
    assert Account.objects.filter(Q(region="east") | Q(region="south")).count() > 150


def test_legal_names_are_unique_chinese_company_names(demo: DemoReport) -> None:
    names = list(Account.objects.values_list("legal_name", flat=True))
    assert len(set(names)) == len(names)
    assert all(name.endswith("公司") for name in names)
