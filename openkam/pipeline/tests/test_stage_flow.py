"""Conversion rates and average days per stage, read from a hand-built stage log.

opp 1: needs (day 0) -> solution (10) -> quotation (15) -> negotiation (25) -> won (30)
opp 2: needs (0) -> solution (4) -> lost (10)
opp 3: entered at quotation (0) -> lost (6)
opp 4: needs (0), still open

Furthest step: 1 won, 2 solution, 3 quotation, 4 needs. Reached / went on:
needs 4 / 3 = 75%; solution 3 / 2; quotation 2 / 1 = 50%; negotiation 1 / 1 = 100%.
Completed stays: needs 10 and 4 (mean 7); solution 5 and 6 (5.5); quotation 10 and 6 (8);
negotiation 5.
"""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.conftest import World
from openkam.pipeline.models import StageChange
from openkam.pipeline.selectors import StageFlow, pipeline_flow, stage_flow
from openkam.pipeline.tests.builders import opportunity

START = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
LOG = [
    (1, "needs_analysis", 0),
    (1, "solution_design", 10),
    (1, "quotation", 15),
    (1, "negotiation", 25),
    (1, "won", 30),
    (2, "needs_analysis", 0),
    (2, "solution_design", 4),
    (2, "lost", 10),
    (3, "quotation", 0),
    (3, "lost", 6),
    (4, "needs_analysis", 0),
]
EXPECTED = [
    ("needs_analysis", 4, 3, 0.75, 7.0),
    ("solution_design", 3, 2, 0.6667, 5.5),
    ("quotation", 2, 1, 0.5, 8.0),
    ("negotiation", 1, 1, 1.0, 5.0),
]


def _rows(log: list[tuple[int, str, int]]) -> list[tuple[int, str, dt.datetime]]:
    return [(pk, stage, START + dt.timedelta(days=day)) for pk, stage, day in log]


def _table(flows: list[StageFlow]) -> list[tuple[str, int, int, float | None, float | None]]:
    return [
        (f.stage, f.reached, f.converted, f.rate and round(f.rate, 4), f.average_days)
        for f in flows
    ]


def test_conversion_and_days_per_stage_from_the_log() -> None:
    flows = stage_flow(_rows(LOG))
    assert _table(flows) == EXPECTED


def test_the_order_of_the_log_rows_does_not_matter() -> None:
    assert stage_flow(_rows(list(reversed(LOG)))) == stage_flow(_rows(LOG))


def test_an_empty_log_gives_no_rate() -> None:
    assert {(f.rate, f.average_days) for f in stage_flow([])} == {(None, None)}


@pytest.mark.django_db
def test_the_flow_reads_the_stored_log_of_the_visible_opportunities(world: World) -> None:
    mine = {pk: opportunity(world.account) for pk in (1, 2, 3, 4)}
    theirs = opportunity(world.other_account)
    StageChange.objects.all().delete()
    for pk, stage, at in _rows(LOG):
        StageChange.objects.create(opportunity=mine[pk], to_stage=stage, at=at)
        StageChange.objects.create(opportunity=theirs, to_stage=stage, at=at)  # not the KAM's
    flows = pipeline_flow(world.kam)
    assert _table(flows) == EXPECTED
