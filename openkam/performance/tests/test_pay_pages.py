"""The commission statement page and its XLSX: executives and the KAM themselves see a KAM's
pay, nobody else (404, as for a person who does not exist); only an executive sets a pay plan
(the KAM: 403), with nothing saved on a refusal."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from python_calamine import CalamineWorkbook

from openkam.conftest import World, client_for
from openkam.ledger.models import Invoice, Payment
from openkam.performance.commission import pay_plan_set
from openkam.performance.models import PayPlan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TIERS = [{"from": "0", "rate": "0.02"}]


@pytest.fixture
def paid(world: World) -> World:
    invoice = Invoice.objects.create(
        account=world.account, invoice_no="INV-7", invoice_date=dt.date(2026, 7, 1),
        due_date=dt.date(2026, 8, 1), amount=Decimal(4000),
    )  # fmt: skip
    Payment.objects.create(
        account=world.account, invoice=invoice, payment_date=dt.date(2026, 8, 3),
        amount=Decimal(1000), reference="BANK-1",
    )  # fmt: skip
    pay_plan_set(user=world.executive, kam=world.kam, year=2026, annual_salary=Decimal(120000),
                 basis="sales", tiers=TIERS, share_note="期权 0.1%")  # fmt: skip
    return world


def url(world: World, name: str = "performance:statement", **extra: Any) -> str:
    return reverse(name, kwargs={"kam_id": world.kam.pk, **extra})


@pytest.mark.parametrize("who", ["executive", "kam"])
def test_the_kam_and_executives_read_the_statement(paid: World, who: str) -> None:
    response = client_for(getattr(paid, who)).get(url(paid), {"period": "2026-Q3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="statement-line"') == 1
    assert 'data-invoice="INV-7"' in html
    assert "BANK-1" in html
    assert 'data-testid="commission-total">20.00<' in html  # the 1,000 paid × 2 %
    assert ('data-testid="pay-plan-form"' in html) == (who == "executive")


@pytest.mark.parametrize("who", ["director", "other_kam", "analyst", "viewer"])
def test_nobody_else_reads_a_kams_pay(paid: World, who: str) -> None:
    client = client_for(getattr(paid, who))
    assert client.get(url(paid)).status_code == 404
    assert client.get(url(paid, "performance:statement_export", fmt="xlsx")).status_code == 404


def test_anonymous_is_sent_to_log_in(paid: World) -> None:
    response = Client().get(url(paid))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_xlsx_lists_each_payment_with_its_invoice(paid: World) -> None:
    response = client_for(paid.kam).get(
        url(paid, "performance:statement_export", fmt="xlsx"), {"period": "2026-Q3"}
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[0][3] == "Invoice number"
    assert rows[0][10] == "Commission"
    assert rows[1][1] == "BANK-1"
    assert rows[1][3] == "INV-7"
    assert rows[1][5:11] == [4000, 1000, 0.25, 1000, 0.02, 20]


def test_my_pay_is_my_statement(paid: World) -> None:
    response = client_for(paid.kam).get(reverse("performance:my_pay"))
    assert response["Location"] == url(paid)


def test_an_executive_sets_the_pay_plan(world: World) -> None:
    response = client_for(world.executive).post(
        url(world, "performance:plan_set"),
        {"year": "2026", "annual_salary": "180,000", "basis": "margin", "accelerator": "1.5",
         "tiers": '[{"from": "0", "rate": "0.05"}]', "share_note": "期权"},
    )  # fmt: skip
    assert response.status_code == 302
    plan = PayPlan.objects.get(kam=world.kam, year=2026)
    assert (plan.annual_salary, plan.basis, plan.accelerator) == (
        Decimal(180000),
        "margin",
        Decimal("1.5"),
    )


def test_a_bad_tier_list_is_refused_with_nothing_saved(world: World) -> None:
    response = client_for(world.executive).post(
        url(world, "performance:plan_set"),
        {"annual_salary": "1", "basis": "sales", "accelerator": "1", "tiers": "not json"},
        follow=True,
    )
    assert "Give the tiers as a list." in response.content.decode()
    assert not PayPlan.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("kam", 403), ("director", 404), ("analyst", 404), ("viewer", 404), ("other_kam", 404)],
)
def test_others_may_not_set_pay(world: World, who: str, status: int) -> None:
    response = client_for(getattr(world, who)).post(
        url(world, "performance:plan_set"),
        {"annual_salary": "999999", "basis": "sales", "tiers": '[{"from": "0", "rate": "0.5"}]'},
    )
    assert response.status_code == status
    assert not PayPlan.objects.exists()


def test_the_statement_reads_in_a_fixed_number_of_queries(
    paid: World, django_assert_num_queries: Any
) -> None:
    for number in range(3):
        invoice = Invoice.objects.create(
            account=paid.account, invoice_no=f"INV-{number}", invoice_date=dt.date(2026, 7, 1),
            due_date=dt.date(2026, 8, 1), amount=Decimal(100),
        )  # fmt: skip
        Payment.objects.create(
            account=paid.account, invoice=invoice, payment_date=dt.date(2026, 9, 1),
            amount=Decimal(100),
        )  # fmt: skip
    client = client_for(paid.kam)
    client.get(url(paid), {"period": "2026-Q3"})
    with django_assert_num_queries(7):
        response = client.get(url(paid), {"period": "2026-Q3"})
    assert response.content.decode().count('data-testid="statement-line"') == 4
