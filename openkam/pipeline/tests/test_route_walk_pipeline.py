"""The route walk (openkam/web/tests/test_route_walk.py) over the pipeline routes alone, so
their refusals are proven even while another app's route stops the whole walk."""

from __future__ import annotations

import pytest

from openkam.conftest import World
from openkam.web.tests.test_route_walk import Others, others, page_routes, walk_routes

pytestmark = pytest.mark.django_db
__all__ = ["others"]


def test_every_pipeline_route_refuses_what_each_persona_may_not_do(
    world: World, others: Others
) -> None:
    routes = [route for route in page_routes() if route.name.startswith("pipeline:")]
    assert len(routes) == 19
    walk_routes(world, others, routes)
