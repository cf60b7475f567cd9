"""The coverage matrix: who of ours met whom of theirs in the last twelve months."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from openkam.conftest import World
from openkam.factories import ContactFactory, UserFactory
from openkam.interactions.coverage import coverage_matrix
from openkam.interactions.models import Status
from openkam.interactions.tests.builders import interaction


def test_cells_count_interactions_per_pair_of_functions(world: World) -> None:
    today = timezone.localdate()
    engineer = UserFactory.create(username="rd1", function="rnd", display_name="郑工")
    buyer = ContactFactory.create(account=world.account, function="purchasing", name="王经理")
    tech = ContactFactory.create(account=world.account, function="engineering", name="陈工")
    tech2 = ContactFactory.create(account=world.account, function="engineering", name="李工")
    interaction(world.account, day=today - dt.timedelta(days=2), ours=[world.kam], theirs=[buyer])
    interaction(
        world.account,
        day=today - dt.timedelta(days=9),
        ours=[world.kam, engineer],
        theirs=[tech, tech2],
    )
    interaction(world.account, day=today - dt.timedelta(days=400), ours=[world.kam], theirs=[buyer])
    interaction(
        world.account,
        day=today - dt.timedelta(days=1),
        ours=[world.kam],
        theirs=[buyer],
        status=Status.CANCELLED,
    )
    matrix = coverage_matrix(world.account, today=today)
    assert matrix.coverage.matrix == {
        ("sales", "purchasing"): 1,
        ("sales", "engineering"): 1,
        ("rnd", "engineering"): 1,
    }
    assert (matrix.coverage.our_people, matrix.coverage.their_people) == (2, 3)
    cell = matrix.cells[("rnd", "engineering")]
    assert cell.counterpart
    assert sorted(cell.pairs) == [("郑工", "李工", 1), ("郑工", "陈工", 1)]
    assert cell.last_on == today - dt.timedelta(days=9)
