"""On-time and accurate delivery per month from the order lines' promised and delivered dates
and quantities, over a contract's covered companies in its current period."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.contracts.execution import delivery_months, delivery_total
from openkam.contracts.tests.builders import bought, contract
from openkam.factories import ProductFactory

pytestmark = pytest.mark.django_db
JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)


def test_rates_per_month_by_hand(world: World) -> None:
    product = ProductFactory.create(family="曳引机")

    def line(on: dt.date, quantity: str, **dates: Any) -> None:
        bought(world.account, product, on=on, amount="100", quantity=quantity, **dates)

    promised = {"promised_date": dt.date(2026, 1, 10)}
    line(dt.date(2026, 1, 2), "10", **promised, delivered_date=dt.date(2026, 1, 9),
         delivered_quantity=Decimal("10"))  # fmt: skip
    line(dt.date(2026, 1, 3), "10", **promised, delivered_date=dt.date(2026, 1, 12),
         delivered_quantity=Decimal("8"))  # fmt: skip
    line(dt.date(2026, 1, 4), "10")  # not delivered yet: not counted
    line(dt.date(2026, 2, 2), "5", promised_date=dt.date(2026, 2, 20),
         delivered_date=dt.date(2026, 2, 20), delivered_quantity=Decimal("5"))  # fmt: skip
    bought(world.account, product, on=dt.date(2026, 2, 3), amount="1", status="cancelled",
           promised_date=FEB, delivered_date=dt.date(2026, 3, 1))  # fmt: skip
    jan, feb = delivery_months([world.account.pk], since=JAN, until=dt.date(2026, 3, 31))
    assert (jan.month, jan.dated, jan.on_time, jan.counted, jan.accurate) == (JAN, 2, 1, 2, 1)
    assert (jan.on_time_rate, jan.accurate_rate) == (0.5, 0.5)
    assert (feb.dated, feb.on_time, feb.counted, feb.accurate) == (1, 1, 1, 1)
    total = delivery_total([jan, feb])
    assert total is not None
    assert (total.on_time_rate, total.accurate_rate) == (2 / 3, 2 / 3)


@pytest.mark.usefixtures("english", "frozen")
def test_the_contract_page_shows_the_periods_delivery(world: World) -> None:
    product = ProductFactory.create(family="曳引机")
    deal = contract(world.account)
    bought(world.account, product, on=dt.date(2026, 3, 2), amount="100", quantity="4",
           promised_date=dt.date(2026, 3, 9), delivered_date=dt.date(2026, 3, 10),
           delivered_quantity=Decimal("4"))  # fmt: skip
    page = client_for(world.kam).get(reverse("contracts:detail", args=[deal.pk]))
    html = page.content.decode()
    assert len(page.context["deliveries"]) == 1
    assert 'data-testid="on-time-rate">0.0%' in html
    assert 'data-testid="accurate-rate">100.0%' in html
