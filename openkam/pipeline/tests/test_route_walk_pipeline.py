"""The route walk (openkam/web/tests/test_route_walk.py) over the pipeline routes alone, so
their refusals are proven even while another app's route stops the whole walk."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client

from openkam.conftest import World, client_for
from openkam.web.tests.test_route_walk import (
    REFUSED,
    Others,
    Walk,
    _of_an_object,
    others,
    page_routes,
    refusal_due,
)

pytestmark = pytest.mark.django_db
__all__ = ["others"]


def test_every_pipeline_route_refuses_what_each_persona_may_not_do(
    world: World, others: Others
) -> None:
    routes = [route for route in page_routes() if route.name.startswith("pipeline:")]
    assert len(routes) == 10
    walk = Walk(others)
    login = resolve_url(settings.LOGIN_URL)
    personas = {"kam": world.kam, "director": world.director, "viewer": world.viewer,
                "analyst": world.analyst}  # fmt: skip
    clients = {who: client_for(user) for who, user in personas.items()}
    for route in routes:
        of_object = _of_an_object(route, others)
        for method in ("get", "post"):
            response = walk.request(Client(), method, route, "anonymous")
            sent_to_login = response.status_code == 302 and response["Location"].startswith(login)
            walk.expect(sent_to_login or response.status_code == 405, "anonymous", method,
                        route, response)  # fmt: skip
            for who, client in clients.items():
                if refusal_due(route, method, who, of_object=of_object):
                    response = walk.request(client, method, route, who)
                    walk.expect(response.status_code in REFUSED, who, method, route, response)
    assert not walk.failures, "\n".join(walk.failures)
