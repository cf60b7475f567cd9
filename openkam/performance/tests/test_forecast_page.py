"""The forecast page: a KAM forecasts their key accounts' quarter or accepts the model's (a
quarter of the next-year forecast of the latest snapshot taken the year before), and sees the
accuracy of past quarters; nobody forecasts an account they do not own through it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, AccountMonthFactory
from openkam.performance.models import Forecast
from openkam.portfolio.models import AccountSnapshot, PortfolioRun

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def key(world: World) -> World:
    for account in (world.account, world.other_account):
        account.tier = "key"
        account.save(update_fields=["tier"])
    run = PortfolioRun.objects.create(as_of=dt.date(2025, 12, 31))
    AccountSnapshot.objects.create(
        run=run, account=world.account, as_of=run.as_of, revenue_12m=Decimal(3000),
        forecast_year_1=Decimal(4000),
    )  # fmt: skip
    return world


def test_the_kam_sees_the_models_forecast_and_accepts_it(
    key: World, django_assert_max_num_queries: Any
) -> None:
    client = client_for(key.kam)
    url = reverse("performance:forecasts")
    client.get(url, {"quarter": "2026-Q1"})
    with django_assert_max_num_queries(14):
        html = client.get(url, {"quarter": "2026-Q1"}).content.decode()
    assert html.count('data-testid="forecast-row"') == 1
    assert "¥1,000" in html  # a quarter of the 4,000 forecast for 2026
    assert html.count('data-testid="accuracy-row"') == 4
    save = reverse("performance:forecasts_save")
    client.post(
        save,
        {"quarter": "2026-Q1", f"amount_{key.account.pk}": "", f"accept_{key.account.pk}": "on"},
    )
    forecast = Forecast.objects.get(account=key.account, year=2026, quarter=1)
    assert forecast.accepted_model
    assert forecast.amount == Decimal("1000.00")


def test_the_kam_forecasts_and_the_past_quarter_is_scored(key: World) -> None:
    client = client_for(key.kam)
    client.post(
        reverse("performance:forecasts_save"),
        {"quarter": "2026-Q1", f"amount_{key.account.pk}": "1,200"},
    )
    forecast = Forecast.objects.get(account=key.account)
    assert forecast.amount == Decimal(1200)
    assert not forecast.accepted_model
    AccountMonthFactory.create(account=key.account, month=dt.date(2026, 2, 1), revenue=1000)
    html = client.get(reverse("performance:forecasts"), {"quarter": "2026-Q2"}).content.decode()
    assert "80.0%" in html  # the KAM: 1 − |1,200 − 1,000| ÷ 1,000
    assert "100.0%" in html  # the model: 1,000 exactly


def test_another_kams_account_is_not_forecast_through_the_page(key: World) -> None:
    response = client_for(key.kam).post(
        reverse("performance:forecasts_save"),
        {"quarter": "2026-Q1", f"amount_{key.other_account.pk}": "5"},
    )
    assert response.status_code == 302
    assert not Forecast.objects.exists()


@pytest.mark.parametrize("who", ["analyst", "viewer"])
def test_readers_may_not_forecast(key: World, who: str) -> None:
    response = client_for(getattr(key, who)).post(
        reverse("performance:forecasts_save"),
        {"quarter": "2026-Q1", f"amount_{key.account.pk}": "5"},
    )
    assert response.status_code == 403
    assert not Forecast.objects.exists()


def test_a_general_account_is_not_on_the_page(world: World) -> None:
    AccountFactory.create(team=world.team, owner=world.kam, tier="general")
    html = client_for(world.kam).get(reverse("performance:forecasts")).content.decode()
    assert 'data-testid="forecast-row"' not in html
