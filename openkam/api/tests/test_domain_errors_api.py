"""The API's one edge for domain errors: what a service raises (openkam.common.errors,
Django's PermissionDenied and ValidationError) reads as the API's JSON error envelope."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI
from ninja.testing import TestClient

from openkam.api import errors
from openkam.api.tests.conftest import ApiClient
from openkam.common.errors import Conflict, FieldPermissionDenied, NotFound
from openkam.conftest import World
from openkam.factories import AccountFactory

RAISED: dict[str, Exception] = {
    "not-found": NotFound("No account with this ID."),
    "denied": PermissionDenied("Only executives and directors may delete accounts."),
    "denied-bare": PermissionDenied(),
    "denied-field": FieldPermissionDenied("team_id", "Not one of your teams."),
    "invalid": ValidationError({"reports_to": ["Choose a contact of the same account."]}),
    "invalid-bare": ValidationError("Nothing to import."),
    "conflict": Conflict("The account still has subsidiaries."),
}


@pytest.fixture
def client() -> TestClient:
    api = NinjaAPI(urls_namespace="domain-errors-test")
    errors.install(api)

    @api.get("/raise/{kind}")
    def raise_it(request: Any, kind: str) -> None:
        raise RAISED[kind]

    return TestClient(api)


@pytest.mark.parametrize(
    ("kind", "status", "body"),
    [
        ("not-found", 404, {"code": "not_found", "detail": "Not found.", "errors": []}),
        (
            "denied",
            403,
            {
                "code": "forbidden",
                "detail": "Only executives and directors may delete accounts.",
                "errors": [],
            },
        ),
        (
            "denied-bare",
            403,
            {"code": "forbidden", "detail": "You do not have permission to do this.", "errors": []},
        ),
        (
            "denied-field",
            403,
            {
                "code": "forbidden",
                "detail": "You do not have permission to do this.",
                "errors": [
                    {
                        "loc": ["team_id"],
                        "field": "team_id",
                        "index": None,
                        "message": "Not one of your teams.",
                    }
                ],
            },
        ),
        (
            "invalid",
            422,
            {
                "code": "validation_error",
                "detail": "The request is not valid.",
                "errors": [
                    {
                        "loc": ["reports_to"],
                        "field": "reports_to",
                        "index": None,
                        "message": "Choose a contact of the same account.",
                    }
                ],
            },
        ),
        (
            "conflict",
            409,
            {"code": "conflict", "detail": "The account still has subsidiaries.", "errors": []},
        ),
    ],
)
def test_each_domain_error_has_its_status_and_the_envelope(
    client: TestClient, english: None, kind: str, status: int, body: dict[str, Any]
) -> None:
    response = client.get(f"/raise/{kind}")
    assert response.status_code == status
    assert response.json() == body


def test_a_validation_error_without_fields_is_a_non_field_error(
    client: TestClient, english: None
) -> None:
    response = client.get("/raise/invalid-bare")
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Nothing to import."
    assert response.json()["errors"][0]["loc"] == ["__all__"]


@pytest.mark.django_db
def test_a_kam_deleting_an_account_is_refused_by_the_service_in_its_words(
    world: World, api: dict[str, ApiClient]
) -> None:
    response = api["kam"].delete(f"/accounts/{world.account.pk}", Accept_Language="en")
    assert response.status_code == 403
    assert response.json()["detail"] == "Only executives and directors may delete accounts."
    assert AccountFactory._meta.model.objects.filter(pk=world.account.pk).exists()


@pytest.mark.django_db
def test_an_account_with_a_subsidiary_is_a_conflict(
    world: World, api: dict[str, ApiClient]
) -> None:
    AccountFactory.create(parent=world.account, team=world.team)
    response = api["exec"].delete(f"/accounts/{world.account.pk}", Accept_Language="en")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
