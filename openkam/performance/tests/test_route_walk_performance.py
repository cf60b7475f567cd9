"""The route walk (openkam/web/tests/test_route_walk.py) over the performance routes alone, so
their refusals are proven even while another app's route stops the whole walk: another
team's KAM's appraisal and pay are a 404 for a KAM, a director and a viewer of the first team;
analysts read neither; nothing a refused POST sends is saved."""

from __future__ import annotations

import pytest

from openkam.conftest import World
from openkam.web.tests.test_route_walk import Others, others, page_routes, walk_routes

pytestmark = pytest.mark.django_db
__all__ = ["others"]


def test_every_performance_route_refuses_what_each_persona_may_not_do(
    world: World, others: Others
) -> None:
    routes = [route for route in page_routes() if route.name.startswith("performance:")]
    assert len(routes) == 22
    walk_routes(world, others, routes)
