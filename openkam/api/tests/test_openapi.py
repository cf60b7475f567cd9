"""The OpenAPI schema documents every route of the API, and the docs page loads its
JavaScript and CSS from our own static files (no CDN)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openkam.api.api import api
from openkam.factories import UserFactory

pytestmark = pytest.mark.django_db
SCHEMA = reverse("api:openapi-json")
DOCS = reverse("api:openapi-view")
PREFIX = "/api/v1"


def reader() -> Client:
    """A logged-in browser: the schema and the docs need a login (issue 17)."""
    client = Client()
    client.force_login(UserFactory.create())
    return client


def registered_operations() -> set[tuple[str, str]]:
    """(method, path) of every operation the NinjaAPI serves, from its routers."""
    found = set()
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            route = "/" + "/".join(part for part in (prefix, path) if part.strip("/"))
            route = re.sub(r"\{\w+:(\w+)\}", r"{\1}", route.replace("//", "/"))
            for operation in path_view.operations:
                for method in operation.methods:
                    found.add((method.lower(), PREFIX + route.rstrip("/")))
    return found


def test_every_registered_operation_is_in_the_schema_with_documented_responses() -> None:
    response = reader().get(SCHEMA)
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    documented = {
        (method, path.rstrip("/")): details
        for path, methods in schema["paths"].items()
        for method, details in methods.items()
    }
    registered = registered_operations()
    assert len(registered) >= 19
    assert registered == set(documented)
    for key, details in documented.items():
        ok = [code for code in details["responses"] if code.startswith("2")]
        assert ok, f"{key} documents no success response"
        for code in ok:
            if code != "204":
                assert "content" in details["responses"][code], f"{key} {code} has no schema"
        assert details.get("security"), f"{key} is not marked as authenticated"
        if key[0] != "get":
            assert "422" in details["responses"] or "403" in details["responses"], key


def test_every_api_url_pattern_is_in_the_schema() -> None:
    """The other way round, from Django's URL patterns: nothing is served undocumented."""
    patterns, _app, _namespace = api.urls
    routes = {
        (PREFIX + "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(pattern.pattern))).rstrip("/")
        for pattern in patterns
    }
    documented = {path.rstrip("/") for path in reader().get(SCHEMA).json()["paths"]}
    # Ninja's own: the schema, the docs and its root (a 404 naming the docs).
    undocumented = routes - documented - {f"{PREFIX}/openapi.json", f"{PREFIX}/docs", PREFIX}
    assert undocumented == set()
    assert len(routes) >= 19


def test_the_schema_describes_auth_and_errors() -> None:
    schema = reader().get(SCHEMA).json()
    schemes = schema["components"]["securitySchemes"]
    assert {"TokenAuth", "BrowserSessionAuth"} <= set(schemes)
    assert schemes["TokenAuth"]["scheme"] == "bearer"
    assert "ErrorOut" in schema["components"]["schemas"]


def test_the_docs_page_loads_only_our_static_files() -> None:
    response = reader().get(DOCS)
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    scripts = [url for url in assets if url.endswith((".js", ".css"))]
    assert any("swagger-ui-bundle" in url for url in scripts)
    assert any("swagger-ui" in url and url.endswith(".css") for url in scripts)
    loaded = re.findall(r'<(?:script|link|img)\b[^>]*?(?:src|href)="([^"]+)"', html)
    assert loaded
    for url in loaded:  # what the page loads; its links (back to the app) are not assets
        assert url.startswith("/static/"), url
    client = reader()
    for url in scripts:
        served: Any = client.get(url)
        assert served.status_code == 200, url
        assert b"".join(served.streaming_content if served.streaming else [served.content])


def _enum(schema: dict[str, Any], component: str, field: str) -> list[Any]:
    prop = schema["components"]["schemas"][component]["properties"][field]
    options = prop.get("anyOf") or prop.get("allOf") or [prop]
    for option in options:
        if "$ref" in option:
            option = schema["components"]["schemas"][option["$ref"].rsplit("/", 1)[1]]
        if "enum" in option:
            return list(option["enum"])
    raise AssertionError(f"{component}.{field} documents no choices")


def test_same_named_choices_of_different_models_keep_their_own_values() -> None:
    from openkam.interactions.models import Kind, Status
    from openkam.ledger.models import CostToServe, Order

    schema = reader().get(SCHEMA).json()
    assert _enum(schema, "OrderIn", "status") == Order.Status.values
    assert _enum(schema, "InteractionIn", "status") == Status.values
    assert _enum(schema, "InteractionIn", "kind") == Kind.values
    assert _enum(schema, "CostToServeIn", "kind") == CostToServe.Kind.values
    assert _enum(schema, "CostToServeIn", "category") == CostToServe.Category.values
    assert _enum(schema, "AccountIn", "tier") == ["strategic", "key", "major", "general"]
