"""/costs-to-serve: yearly direct and indirect costs per account, by external ID."""

from __future__ import annotations

from typing import Any

import pytest

from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World
from openkam.ledger.models import CostToServe

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def cost(world: World, n: int, **changes: Any) -> dict[str, Any]:
    item = {
        "source": "finance",
        "external_id": f"CTS-{n}",
        "account_id": world.account.pk,
        "year": 2025,
        "kind": "indirect",
        "category": "freight",
        "amount": "38000.00",
    }
    return item | changes


def test_costs_are_upserted_by_external_id(world: World, api: dict[str, ApiClient]) -> None:
    assert (
        api["dir"].post("/costs-to-serve/bulk", {"items": [cost(world, 1)]}).json()["inserted"] == 1
    )
    body = (
        api["dir"].post("/costs-to-serve/bulk", {"items": [cost(world, 1, note="年度运费")]}).json()
    )
    assert (body["updated"], body["unchanged"]) == (1, 0)
    assert CostToServe.objects.get().note == "年度运费"


def test_an_unknown_category_names_its_choices(world: World, api: dict[str, ApiClient]) -> None:
    response = api["dir"].post("/costs-to-serve/bulk", {"items": [cost(world, 1, category="x")]})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["loc"] == ["items", 0, "category"]
    assert "freight" in error["message"]


def test_another_teams_kam_and_read_only_roles_are_refused(
    world: World, api: dict[str, ApiClient]
) -> None:
    for persona, status in (("other_kam", 422), ("viewer", 403), ("analyst", 403)):
        response = api[persona].post("/costs-to-serve/bulk", {"items": [cost(world, 1)]})
        assert response.status_code == status  # another team's account reads as unknown
    assert not CostToServe.objects.exists()


def test_costs_filter_by_year(world: World, api: dict[str, ApiClient]) -> None:
    api["kam"].post("/costs-to-serve/bulk", {"items": [cost(world, 1), cost(world, 2, year=2026)]})
    results = api["viewer"].get("/costs-to-serve", {"since": "2026-01-01"}).json()["results"]
    assert [row["external_id"] for row in results] == ["CTS-2"]
    assert api["other_kam"].get("/costs-to-serve").json()["results"] == []
