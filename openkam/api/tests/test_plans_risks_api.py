"""/risks: the register through the API. The rating is the 3x3 grid's, never the client's;
a risk is closed (the day recorded), not deleted; the list filters by account, rating and
status."""

from __future__ import annotations

from typing import Any

import pytest

from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World
from openkam.plans.models import Risk
from openkam.plans.tests.builders import plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def risk(world: World, **changes: Any) -> dict[str, Any]:
    body = {
        "account_id": world.account.pk,
        "source": "customer",
        "category": "competition",
        "description": "竞争对手以低价切入",
        "probability": "high",
        "impact": "high",
    }
    return body | changes


def test_a_risk_is_rated_on_the_grid_and_owned_by_its_author(
    world: World, api: dict[str, ApiClient]
) -> None:
    response = api["kam"].post("/risks", risk(world, plan_id=plan(world.account).pk))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["rating"], body["owner_id"], body["status"]) == (
        "show_stopper",
        world.kam.pk,
        "open",
    )
    assert api["kam"].post("/risks", risk(world, rating="caution")).status_code == 422
    assert Risk.objects.get().rating == "show_stopper"


def test_refusals_name_their_field(world: World, api: dict[str, ApiClient]) -> None:
    theirs = plan(world.other_account)
    kam = api["kam"]
    cases = {
        "plan_id": risk(world, plan_id=theirs.pk),
        "owner_id": risk(world, owner_id=999999),
        "probability": risk(world, probability="likely"),
        "account_id": risk(world, account_id=999999),
        "description": risk(world, description=""),
    }
    for field, body in cases.items():
        response = kam.post("/risks", body)
        assert response.status_code == 422, (field, response.json())
        assert {e["field"] for e in response.json()["errors"]} == {field}
    assert not Risk.objects.exists()


def test_closing_a_risk_records_the_day_and_reopening_clears_it(
    world: World, api: dict[str, ApiClient]
) -> None:
    created = api["kam"].post("/risks", risk(world)).json()
    url = f"/risks/{created['id']}"
    closed = api["dir"].patch(url, {"status": "closed", "impact": "low"}).json()
    assert (closed["status"], closed["rating"]) == ("closed", "fix")
    assert closed["closed_on"]
    assert api["kam"].patch(url, {"status": "mitigating"}).json()["closed_on"] is None
    assert api["exec"].delete(url).status_code == 405
    assert Risk.objects.count() == 1


def test_the_list_filters_by_account_rating_and_status(
    world: World, api: dict[str, ApiClient]
) -> None:
    grave = api["kam"].post("/risks", risk(world)).json()
    mild = api["kam"].post("/risks", risk(world, probability="low", impact="low")).json()
    theirs = api["other_kam"].post("/risks", risk(world, account_id=world.other_account.pk))
    assert theirs.status_code == 201, theirs.json()
    api["kam"].patch(f"/risks/{mild['id']}", {"status": "closed"})

    def ids(**params: Any) -> list[int]:
        return [r["id"] for r in api["exec"].get("/risks", params).json()["items"]]

    assert ids() == [theirs.json()["id"], mild["id"], grave["id"]]
    assert ids(account_id=world.account.pk) == [mild["id"], grave["id"]]
    assert ids(rating="show_stopper", account_id=world.account.pk) == [grave["id"]]
    assert ids(status="closed") == [mild["id"]]
    assert [r["id"] for r in api["kam"].get("/risks").json()["items"]] == [mild["id"], grave["id"]]
    assert api["kam"].get("/risks", {"rating": "dire"}).status_code == 422
