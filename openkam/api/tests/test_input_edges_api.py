"""Issue 17: inputs schemathesis found answered with a 500 are each a 4xx JSON error naming
the field; and the API's own conformance (JSON 404 for malformed path IDs, a documented 400
for a body that is not JSON, the schema and docs behind a login)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from openkam.api.tests.conftest import PREFIX, ApiClient
from openkam.conftest import World
from openkam.factories import ProductFactory
from openkam.interactions.models import Interaction
from openkam.ledger.models import Order

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HUGE = 2**63


def visit(world: World, **changes: Any) -> dict[str, Any]:
    starts_at = (timezone.now() - dt.timedelta(days=1)).isoformat()
    return {"account_id": world.account.pk, "starts_at": starts_at, "subject": "拜访"} | changes


def locs(response: Any) -> list[list[Any]]:
    return [error["loc"] for error in response.json()["errors"]]


@pytest.mark.parametrize("field", ["subject", "kind", "starts_at", "our_participant_ids"])
def test_null_in_an_interaction_patch_is_the_fields_error(
    world: World, api: dict[str, ApiClient], field: str
) -> None:
    logged = api["kam"].post("/interactions", visit(world)).json()
    response = api["kam"].patch(f"/interactions/{logged['id']}", {field: None})
    assert response.status_code == 422
    assert locs(response) == [[field]]
    assert Interaction.objects.get().subject == "拜访"


def test_a_patch_leaving_the_people_out_keeps_them(world: World, api: dict[str, ApiClient]) -> None:
    logged = api["kam"].post("/interactions", visit(world, our_participant_ids=[world.director.pk]))
    response = api["kam"].patch(f"/interactions/{logged.json()['id']}", {"subject": "改"})
    assert response.json()["our_participant_ids"] == [world.director.pk]


@pytest.mark.parametrize(
    ("path", "params", "loc"),
    [
        ("/contacts", {"account_id": HUGE}, ["account_id"]),
        ("/accounts", {"descendants_of": HUGE}, ["descendants_of"]),
        ("/orders", {"account_id": HUGE}, ["account_id"]),
        ("/contacts", {"page": 10**20}, ["page"]),
        ("/contacts", {"updated_since": "0001-01-01T00:00:00"}, ["updated_since"]),
    ],
)
def test_out_of_range_query_values_are_the_parameters_error(
    api: dict[str, ApiClient], path: str, params: dict[str, Any], loc: list[str]
) -> None:
    response = api["exec"].get(path, params)
    assert response.status_code == 422
    assert locs(response) == [["query", *loc]]


def test_huge_ids_in_a_body_are_field_errors(world: World, api: dict[str, ApiClient]) -> None:
    body = visit(world, their_participant_ids=[HUGE], next_step_owner_id=HUGE)
    response = api["kam"].post("/interactions", body)
    assert response.status_code == 422
    assert sorted(map(str, locs(response))) == sorted(
        map(str, [["their_participant_ids", 0], ["next_step_owner_id"]])
    )


def test_a_year_one_moment_is_the_fields_error(world: World, api: dict[str, ApiClient]) -> None:
    response = api["kam"].post("/interactions", visit(world, starts_at="0001-01-01T00:00:00"))
    assert response.status_code == 422
    assert locs(response) == [["starts_at"]]
    assert not Interaction.objects.exists()


def test_a_quantity_of_1e30_is_the_lines_error(world: World, api: dict[str, ApiClient]) -> None:
    ProductFactory.create(sku="TM-100")
    line = {"line_no": 1, "product_sku": "TM-100", "quantity": 1e30, "unit_price": "1"}
    item = {"source": "erp", "external_id": "SO-1", "account_id": world.account.pk}
    item |= {"order_no": "1", "order_date": "2026-03-15", "lines": [line]}
    response = api["kam"].post("/orders/bulk", {"items": [item]})
    assert response.status_code == 422
    assert ["items", 0, "lines", 0, "quantity"] in locs(response)
    assert not Order.objects.exists()


@pytest.mark.parametrize("path", ["/accounts/abc", "/contacts/1.5", "/no-such-thing"])
def test_an_unknown_or_malformed_path_is_a_json_404(api: dict[str, ApiClient], path: str) -> None:
    response = api["kam"].get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_write_to_a_malformed_path_is_a_json_404_not_a_csrf_page(
    api: dict[str, ApiClient],
) -> None:
    strict = Client(enforce_csrf_checks=True)
    response = strict.delete(f"{PREFIX}/orders/null,null", headers=api["kam"].headers)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_body_that_is_not_json_is_a_documented_400(api: dict[str, ApiClient]) -> None:
    client = api["kam"]
    response = client.client.post(
        f"{PREFIX}/accounts", data="{nope", content_type="application/json", headers=client.headers
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid_json",
        "detail": "The body is not valid JSON.",
        "errors": [],
    }


def test_the_schema_and_docs_need_a_login(world: World, api: dict[str, ApiClient]) -> None:
    anonymous = Client()
    schema = anonymous.get(f"{PREFIX}/openapi.json")
    assert schema.status_code == 401
    assert schema.json()["code"] == "unauthorized"
    docs = anonymous.get(f"{PREFIX}/docs", headers={"Accept": "text/html"})
    assert docs.status_code == 302
    assert "/login" in docs["Location"]
    bad_token = anonymous.get(f"{PREFIX}/openapi.json", headers={"Authorization": "Bearer no"})
    assert bad_token.status_code == 401
    assert api["viewer"].get("/openapi.json").status_code == 200
    browser = Client()
    browser.force_login(world.viewer)
    assert browser.get(f"{PREFIX}/docs").status_code == 200


def test_a_nul_character_in_a_body_string_is_the_fields_error(
    world: World, api: dict[str, ApiClient]
) -> None:
    # PostgreSQL cannot store U+0000: refused the same way on both databases.
    response = api["kam"].post("/interactions", visit(world, subject="拜访\x00"))
    assert response.status_code == 422
    assert locs(response) == [["subject"]]
    assert not Interaction.objects.exists()


def test_a_nul_character_in_a_query_value_is_the_parameters_error(
    api: dict[str, ApiClient],
) -> None:
    response = api["kam"].get("/accounts", {"search": "电梯\x00"})
    assert response.status_code == 422
    assert locs(response) == [["search"]]
