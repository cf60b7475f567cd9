"""API clients for the personas: each sends its own bearer token, as an integration would."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from openkam.api.tokens import token_create
from openkam.conftest import World
from openkam.team.models import User

PREFIX = "/api/v1"


class ApiClient:
    """JSON in, JSON out, with `Authorization: Bearer <token>`."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _send(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        send = getattr(self.client, method)
        kwargs: dict[str, Any] = {"headers": {**self.headers, **headers}}
        if body is not None:
            kwargs |= {"data": json.dumps(body), "content_type": "application/json"}
        return send(PREFIX + path, **kwargs)

    def get(self, path: str, params: dict[str, Any] | None = None, **headers: str) -> Any:
        return self.client.get(PREFIX + path, params or {}, headers={**self.headers, **headers})

    def post(self, path: str, body: Any, **headers: str) -> Any:
        return self._send("post", path, body, **headers)

    def patch(self, path: str, body: Any, **headers: str) -> Any:
        return self._send("patch", path, body, **headers)

    def delete(self, path: str, **headers: str) -> Any:
        return self._send("delete", path, **headers)


def api_for(user: User) -> ApiClient:
    return ApiClient(token_create(user=user, name="tests").secret)


@pytest.fixture
def api(world: World) -> dict[str, ApiClient]:
    """A client per persona: exec, dir, kam, other_kam, analyst, viewer."""
    return {
        "exec": api_for(world.executive),
        "dir": api_for(world.director),
        "kam": api_for(world.kam),
        "other_kam": api_for(world.other_kam),
        "analyst": api_for(world.analyst),
        "viewer": api_for(world.viewer),
    }
