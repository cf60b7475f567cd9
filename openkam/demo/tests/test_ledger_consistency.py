"""The ledger adds up: aggregates equal the lines, invoices their lines, dates are coherent."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, F, Max, Min, Sum
from django.db.models.functions import TruncMonth

from openkam.demo.services import DemoReport
from openkam.demo.tests.conftest import TODAY
from openkam.ledger.models import (
    AccountMonth,
    AccountPurchaseDay,
    Invoice,
    Order,
    OrderLine,
    Payment,
)

pytestmark = pytest.mark.django_db
CENT = Decimal("0.01")


def money(value: Decimal | None) -> Decimal:
    return Decimal(value or 0).quantize(CENT)


def test_account_months_match_the_order_lines(demo: DemoReport) -> None:
    lines = (
        OrderLine.objects.annotate(month=TruncMonth("order__order_date"))
        .values("account_id", "month")
        .annotate(
            revenue=Sum("amount"),
            cost=Sum("cost"),
            quantity=Sum("quantity"),
            orders=Count("order_id", distinct=True),
            lines=Count("id"),
        )
    )
    expected = {
        (r["account_id"], r["month"]): (
            money(r["revenue"]),
            money(r["cost"]),
            r["quantity"],
            r["orders"],
            r["lines"],
        )
        for r in lines
    }
    actual = {
        (m.account_id, m.month): (
            money(m.revenue),
            money(m.cost),
            m.quantity,
            m.order_count,
            m.line_count,
        )
        for m in AccountMonth.objects.all()
    }
    assert len(actual) > 1000
    assert actual == expected


def test_purchase_days_match_the_order_lines(demo: DemoReport) -> None:
    lines = OrderLine.objects.values("account_id", day=F("order__order_date")).annotate(
        revenue=Sum("amount"), cost=Sum("cost")
    )
    expected = {(r["account_id"], r["day"]): (money(r["revenue"]), money(r["cost"])) for r in lines}
    actual = {
        (d.account_id, d.day): (money(d.revenue), money(d.cost))
        for d in AccountPurchaseDay.objects.all()
    }
    assert actual == expected


def test_line_amounts_are_quantity_times_price(demo: DemoReport) -> None:
    for line in OrderLine.objects.all()[:2000]:
        assert line.amount == (line.quantity * line.unit_price).quantize(CENT)
        assert line.cost == (line.quantity * line.unit_cost).quantize(CENT)
        assert line.external_id
        assert line.source == "demo-erp"


def test_ledger_dates_stay_in_the_window_and_some_deliveries_are_late(demo: DemoReport) -> None:
    span = Order.objects.aggregate(first=Min("order_date"), last=Max("order_date"))
    assert span["first"] > TODAY - dt.timedelta(days=2 * 366)
    assert span["last"] <= TODAY
    late = OrderLine.objects.filter(delivered_date__gt=F("promised_date")).count()
    assert 0.05 < late / OrderLine.objects.count() < 0.3
    assert OrderLine.objects.filter(delivered_date__isnull=True).exists()
    assert not OrderLine.objects.filter(delivered_date__gt=TODAY).exists()
    assert Order.objects.filter(status="open").exists()


def test_invoices_are_due_after_the_payment_terms_and_total_what_was_delivered(
    demo: DemoReport,
) -> None:
    for invoice in Invoice.objects.select_related("account")[:500]:
        terms = dt.timedelta(days=invoice.account.payment_terms_days)
        assert invoice.due_date == invoice.invoice_date + terms
        assert invoice.invoice_date <= TODAY
    per_order = Invoice.objects.filter(order__isnull=False).select_related("order")[:200]
    for invoice in per_order:
        assert invoice.order is not None
        total = invoice.order.lines.aggregate(total=Sum("amount"))["total"]
        assert money(invoice.amount) == money(total)
    invoiced = Invoice.objects.aggregate(total=Sum("amount"))["total"]
    delivered = OrderLine.objects.filter(delivered_date__isnull=False).aggregate(Sum("amount"))
    assert 0.9 < invoiced / delivered["amount__sum"] <= 1
    for payment in Payment.objects.select_related("invoice")[:500]:
        assert payment.invoice is not None
        assert payment.amount == payment.invoice.amount
        assert payment.payment_date >= payment.invoice.invoice_date


def test_every_foreign_key_points_at_a_row(demo: DemoReport) -> None:
    connection.check_constraints()
