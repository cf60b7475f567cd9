"""The weighted pipeline: amount x the stage's probability (10/25/50/75/100/0 by default,
editable by executives), summed per KAM, team and close month over the open opportunities the
user sees, in the house currency only. Figures hand-checked in each test."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.conftest import World
from openkam.pipeline import selectors, services
from openkam.pipeline.models import Stage
from openkam.pipeline.tests.builders import opportunity

pytestmark = pytest.mark.django_db


def test_default_probabilities_are_seeded_by_stage() -> None:
    assert selectors.probabilities() == {
        "needs_analysis": 10,
        "solution_design": 25,
        "quotation": 50,
        "negotiation": 75,
        "won": 100,
        "lost": 0,
        # The promotion mode's stages (negotiation and lost shared).
        "lead": 5,
        "first_contact": 15,
        "site_visit": 35,
        "signed": 100,
        "landed": 100,
        "in_production": 100,
    }


def _book(world: World) -> None:
    # kam: 100,000 x 10% + 200,000 x 50% = 110,000; other_kam: 80,000 x 75% = 60,000.
    opportunity(world.account, amount="100000", close=dt.date(2026, 7, 1))
    opportunity(world.account, amount="200000", stage=Stage.QUOTATION, close=dt.date(2026, 8, 9))
    opportunity(
        world.other_account, amount="80000", stage=Stage.NEGOTIATION, close=dt.date(2026, 7, 20)
    )
    opportunity(world.account, amount="50000", stage=Stage.WON)  # closed: not in the pipeline
    opportunity(world.account, amount="70000", stage=Stage.LOST)
    opportunity(world.account, amount="999999", currency="USD")  # counted apart, not summed


def test_the_weighted_pipeline_per_kam_team_and_month(world: World) -> None:
    _book(world)
    pipeline = selectors.weighted_pipeline(world.executive)
    assert (pipeline.total, pipeline.weighted) == (Decimal("380000"), Decimal("170000"))
    assert [(row.key, row.weighted, row.count) for row in pipeline.by_owner] == [
        (world.kam.pk, Decimal("110000.00"), 2),
        (world.other_kam.pk, Decimal("60000.00"), 1),
    ]
    assert [(row.label, row.weighted) for row in pipeline.by_team] == [
        (world.team.name, Decimal("110000.00")),
        (world.other_team.name, Decimal("60000.00")),
    ]
    assert [(row.label, row.amount, row.weighted) for row in pipeline.by_month] == [
        ("2026-07", Decimal("180000"), Decimal("70000.00")),
        ("2026-08", Decimal("200000"), Decimal("100000.00")),
    ]
    assert pipeline.other_currencies == 1


def test_a_director_weighs_only_the_teams_they_see(world: World) -> None:
    _book(world)
    pipeline = selectors.weighted_pipeline(world.director)
    assert [row.key for row in pipeline.by_owner] == [world.kam.pk]
    assert pipeline.weighted == Decimal("110000")


def test_an_executive_changes_a_probability_and_the_weight_follows(world: World) -> None:
    _book(world)
    services.stage_probabilities_set(user=world.executive, probabilities={"quotation": 40})
    # kam: 10,000 + 200,000 x 40% = 90,000
    assert selectors.weighted_pipeline(world.kam).weighted == Decimal("90000")


@pytest.mark.parametrize("persona", ["director", "kam", "analyst", "viewer"])
def test_only_executives_set_probabilities(world: World, persona: str) -> None:
    with pytest.raises(services.PermissionDenied):
        services.stage_probabilities_set(
            user=getattr(world, persona), probabilities={"quotation": 40}
        )
    assert selectors.probabilities()["quotation"] == 50


def test_a_probability_outside_0_to_100_is_refused_naming_the_stage(world: World) -> None:
    with pytest.raises(services.ValidationError) as refused:
        services.stage_probabilities_set(
            user=world.executive, probabilities={"quotation": 101, "won": 100}
        )
    assert set(refused.value.message_dict) == {"quotation"}
    assert selectors.probabilities()["quotation"] == 50
