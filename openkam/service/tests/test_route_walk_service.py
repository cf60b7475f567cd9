"""The route walk (openkam/web/tests/test_route_walk.py) over the service routes alone (cases
and trainings), so their refusals are proven even while another app's route stops the whole
walk: another team's object 404, a reader's write 403, nothing saved. The public rating link
(/r/<token>/) is not walked: it needs no login (test_rating.py)."""

from __future__ import annotations

import pytest

from openkam.conftest import World
from openkam.web.tests.test_route_walk import Others, others, page_routes, walk_routes

pytestmark = pytest.mark.django_db
__all__ = ["others"]


def test_every_service_route_refuses_what_each_persona_may_not_do(
    world: World, others: Others
) -> None:
    routes = [route for route in page_routes() if route.name.startswith("service:")]
    assert {r.name for r in routes} >= {"service:training_create", "service:training_edit"}
    walk_routes(world, others, routes)
