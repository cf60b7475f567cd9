"""The Synergistic stage reads recorded joint projects and board meetings of the year."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.conftest import World
from openkam.interactions.coverage import recorded_joint_work
from openkam.relationships.models import JointProject

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)
SINCE = dt.date(2025, 6, 30)


def _project(world: World, kind: str, starts_on: dt.date, **fields: object) -> None:
    JointProject.objects.create(
        account=world.account, kind=kind, name=kind, starts_on=starts_on, **fields
    )


def test_fields_at_work_this_year_and_board_meetings_held_in_it(world: World) -> None:
    _project(world, "new_products", dt.date(2024, 1, 1))  # started long ago, still running
    _project(world, "logistics", dt.date(2025, 9, 1), ends_on=dt.date(2025, 12, 31))
    _project(world, "operations", dt.date(2024, 1, 1), ends_on=dt.date(2025, 1, 31))  # ended
    _project(world, "she", dt.date(2026, 3, 1), status="cancelled")
    _project(world, "market_research", dt.date(2026, 9, 1))  # not started yet
    _project(world, "board_meeting", dt.date(2025, 11, 20))
    _project(world, "board_meeting", dt.date(2026, 5, 18))
    _project(world, "board_meeting", dt.date(2025, 3, 1))  # before the year
    JointProject.objects.create(
        account=world.other_account, kind="she", name="x", starts_on=dt.date(2026, 1, 1)
    )

    recorded = recorded_joint_work(world.account, since=SINCE, today=TODAY)

    assert recorded == {
        "joint_projects": frozenset({"new_products", "logistics"}),
        "board_meetings": 2,
    }
