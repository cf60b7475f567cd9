"""On track, behind, achieved: the straight-path rule on hand-checked numbers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from openkam.plans.models import Progress
from openkam.plans.progress import elapsed_share, expected_by, progress_of

START, DUE = dt.date(2026, 1, 1), dt.date(2026, 12, 31)  # 364 days apart


def test_elapsed_share_is_days_gone_over_days_in_all() -> None:
    assert elapsed_share(START, DUE, dt.date(2026, 7, 2)) == Decimal(182) / Decimal(364)
    assert elapsed_share(START, DUE, dt.date(2025, 6, 1)) == 0
    assert elapsed_share(START, DUE, dt.date(2027, 6, 1)) == 1


def test_a_cumulative_target_is_owed_pro_rata() -> None:
    # Half the year gone: half of 1,200,000 owed.
    owed = expected_by(
        baseline=Decimal(0),
        target=Decimal(1_200_000),
        starts_on=START,
        due_on=DUE,
        as_of=dt.date(2026, 7, 2),
        cumulative=True,
    )
    assert owed == Decimal(600_000)


def _revenue(actual: str, day: dt.date) -> Progress:
    return progress_of(
        baseline=Decimal(1_000_000),
        target=Decimal(1_200_000),
        actual=Decimal(actual),
        starts_on=START,
        due_on=DUE,
        as_of=day,
        cumulative=True,
    )


@pytest.mark.parametrize(
    ("actual", "expected"),
    [
        ("600000", Progress.ON_TRACK),  # exactly on the path
        ("545000", Progress.ON_TRACK),  # 55,000 short, inside 5 % of 1,200,000 (60,000)
        ("539000", Progress.BEHIND),  # 61,000 short
        ("1200000", Progress.ACHIEVED),  # reached early
    ],
)
def test_revenue_half_way_through_the_year(actual: str, expected: Progress) -> None:
    assert _revenue(actual, dt.date(2026, 7, 2)) == expected


def test_a_level_moves_on_the_line_from_baseline_to_target() -> None:
    # Share of wallet from 20 % to 40 %: a quarter of the time gone, 25 % is owed; 24 % is
    # inside the 1-point slack (5 % of 20 points), 23.5 % is not.
    day = START + dt.timedelta(days=91)
    common: dict[str, Any] = {
        "baseline": Decimal(20),
        "target": Decimal(40),
        "starts_on": START,
        "due_on": DUE,
    }
    on_track = progress_of(actual=Decimal(24), as_of=day, cumulative=False, **common)
    behind = progress_of(actual=Decimal("23.5"), as_of=day, cumulative=False, **common)
    assert (on_track, behind) == (Progress.ON_TRACK, Progress.BEHIND)


def test_a_target_below_the_baseline_is_reached_by_going_down() -> None:
    common: dict[str, Any] = {
        "baseline": Decimal(60),
        "target": Decimal(30),
        "starts_on": START,
        "due_on": DUE,
    }
    end = dt.date(2026, 12, 31)
    assert progress_of(actual=Decimal(29), as_of=end, cumulative=False, **common) == (
        Progress.ACHIEVED
    )
    assert progress_of(actual=Decimal(50), as_of=end, cumulative=False, **common) == (
        Progress.BEHIND
    )


def test_nothing_to_measure_is_not_measured() -> None:
    assert (
        progress_of(
            baseline=None,
            target=Decimal(1),
            actual=Decimal(1),
            starts_on=START,
            due_on=DUE,
            as_of=DUE,
            cumulative=False,
        )
        == Progress.NOT_MEASURED
    )
    assert _revenue("0", START) != Progress.NOT_MEASURED
