"""The weighted pipeline offered to the KAM as a starting forecast (issue 18 on issue 14's
forecast page): each key account's open opportunities expected to close in the quarter, each
amount × its stage's probability, shown beside the model's forecast and taken as the KAM's
forecast in one click; figures pinned by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.performance.models import Forecast
from openkam.pipeline.forecasting import quarter_bounds, weighted_pipeline
from openkam.pipeline.models import Stage, StageProbability
from openkam.pipeline.tests.builders import opportunity

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
D = Decimal
PAGE = reverse("performance:forecasts")
SAVE = reverse("performance:forecasts_save")


@pytest.fixture
def pipeline(world: World) -> World:
    for account in (world.account, world.other_account):
        account.tier = "key"
        account.save(update_fields=["tier"])
    a = world.account
    opportunity(a, amount="100000", stage=Stage.QUOTATION, close=dt.date(2026, 7, 1))  # 50 %
    opportunity(a, amount="40000", stage=Stage.NEGOTIATION, close=dt.date(2026, 9, 30))  # 75 %
    opportunity(a, amount="10001", stage=Stage.NEEDS_ANALYSIS, close=dt.date(2026, 8, 8))  # 10 %
    opportunity(a, amount="90000", stage=Stage.WON, close=dt.date(2026, 8, 1))  # closed
    opportunity(a, amount="70000", stage=Stage.LOST, close=dt.date(2026, 8, 1))  # closed
    opportunity(a, amount="50000", stage=Stage.QUOTATION, close=dt.date(2026, 10, 1))  # Q4
    opportunity(a, amount="50000", stage=Stage.QUOTATION, close=dt.date(2026, 6, 30))  # Q2
    opportunity(a, amount="80000", stage=Stage.QUOTATION, close=dt.date(2026, 7, 2),
                currency="USD")  # fmt: skip
    opportunity(world.other_account, amount="20000", stage=Stage.QUOTATION)
    return world


def test_the_weighted_pipeline_of_the_quarter_by_hand(pipeline: World) -> None:
    found = weighted_pipeline([pipeline.account.pk, pipeline.other_account.pk], 2026, 3)
    # 100,000 × 50 % + 40,000 × 75 % + 10,001 × 10 % = 50,000 + 30,000 + 1,000.10
    assert found == {pipeline.account.pk: D("81000.10"), pipeline.other_account.pk: D("10000.00")}
    assert weighted_pipeline([pipeline.account.pk], 2026, 4) == {pipeline.account.pk: D("25000")}
    assert weighted_pipeline([pipeline.account.pk], 2027, 1) == {}
    assert weighted_pipeline([], 2026, 3) == {}


def test_the_stored_stage_probabilities_weigh_the_pipeline(pipeline: World) -> None:
    StageProbability.objects.update_or_create(stage=Stage.QUOTATION, defaults={"probability": 60})
    found = weighted_pipeline([pipeline.account.pk], 2026, 3)
    assert found == {pipeline.account.pk: D("91000.10")}  # 60,000 + 30,000 + 1,000.10


def test_quarter_bounds() -> None:
    assert quarter_bounds(2026, 3) == (dt.date(2026, 7, 1), dt.date(2026, 10, 1))
    assert quarter_bounds(2026, 4) == (dt.date(2026, 10, 1), dt.date(2027, 1, 1))


def test_the_page_shows_it_beside_the_models_and_the_kam_takes_it_in_one_click(
    pipeline: World,
) -> None:
    client = client_for(pipeline.kam)
    html = client.get(PAGE, {"quarter": "2026-Q3"}).content.decode()
    row = html.split(f'data-account="{pipeline.account.pk}"', 1)[1].split("</tr>", 1)[0]
    cell = row.split('data-testid="pipeline-forecast"', 1)[1].split("</td>", 1)[0]
    assert "¥81K" in cell or "¥81,000" in cell
    assert 'name="take_pipeline"' in cell
    response = client.post(
        SAVE,
        {
            "quarter": "2026-Q3",
            "take_pipeline": str(pipeline.account.pk),
            f"amount_{pipeline.account.pk}": "1",
        },
    )
    assert response.status_code == 302
    forecast = Forecast.objects.get(account=pipeline.account, year=2026, quarter=3)
    assert forecast.amount == D("81000.10")
    assert not forecast.accepted_model


def test_an_account_without_pipeline_offers_nothing_and_saves_nothing(pipeline: World) -> None:
    client = client_for(pipeline.kam)
    html = client.get(PAGE, {"quarter": "2027-Q1"}).content.decode()
    assert 'name="take_pipeline"' not in html
    response = client.post(SAVE, {"quarter": "2027-Q1", "take_pipeline": str(pipeline.account.pk)})
    assert response.status_code == 302
    assert not Forecast.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("other_kam", 404), ("director", 404),
                                             ("analyst", 403), ("viewer", 403)])  # fmt: skip
def test_nobody_takes_the_pipeline_of_an_account_they_do_not_own(
    pipeline: World, who: str, status: int
) -> None:
    response = client_for(getattr(pipeline, who)).post(
        SAVE, {"quarter": "2026-Q3", "take_pipeline": str(pipeline.account.pk)}
    )
    assert response.status_code == status
    assert not Forecast.objects.exists()
