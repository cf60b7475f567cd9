"""What schemathesis sent the plans router and got a 500 for (issue 17): a year outside the
calendar, ids past 64 bits and ids of nothing. Each is now the field's 422, and nothing is
saved."""

from __future__ import annotations

from typing import Any

import pytest

from openkam.api.common import ID_MAX
from openkam.api.tests.conftest import ApiClient
from openkam.api.tests.test_plans_risks_api import risk
from openkam.conftest import World
from openkam.plans.models import Risk
from openkam.plans.tests.builders import plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def fields_of(response: Any) -> set[str]:
    assert response.status_code == 422, response.content
    return {error["field"] for error in response.json()["errors"]}


@pytest.mark.parametrize("year", [0, -1, 10_000, 10**20])
def test_a_year_outside_the_calendar_is_the_years_error(
    api: dict[str, ApiClient], year: int
) -> None:
    assert fields_of(api["kam"].get("/plans", {"year": year})) == {"year"}


@pytest.mark.parametrize(("path", "field"), [("/plans", "account_id"), ("/risks", "plan_id")])
def test_an_id_past_64_bits_in_a_filter_is_the_fields_error(
    api: dict[str, ApiClient], path: str, field: str
) -> None:
    assert fields_of(api["kam"].get(path, {field: ID_MAX + 1})) == {field}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("plan_id", 0),
        ("plan_id", ID_MAX + 1),
        ("owner_id", 0),
        ("owner_id", -1),
        ("owner_id", 2**64),
        ("account_id", 0),
        ("probability", ""),
        ("probability", "\u9ad8"),
        ("impact", None),
    ],
)
def test_a_risk_with_an_id_of_nothing_or_an_odd_level_is_refused_on_that_field(
    world: World, api: dict[str, ApiClient], field: str, value: Any
) -> None:
    assert fields_of(api["kam"].post("/risks", risk(world, **{field: value}))) == {field}
    assert not Risk.objects.exists()


def test_a_risk_without_an_owner_is_its_authors(world: World, api: dict[str, ApiClient]) -> None:
    body = risk(world)
    del body["probability"]
    assert fields_of(api["kam"].post("/risks", body)) == {"probability"}
    response = api["kam"].post("/risks", risk(world, owner_id=None))
    assert response.status_code == 201, response.content
    assert Risk.objects.get().owner_id == world.kam.pk


# 10**12 pages of 50 rows still fit the database's OFFSET; 10**18 did not (a 500). Both are
# past the last page anyone can ask for.
HUGE_PAGES = [10**12, 10**18]


@pytest.mark.parametrize("page", HUGE_PAGES)
@pytest.mark.parametrize(
    "path", ["/plans", "/risks", "objectives", "actions", "resources", "reviews"]
)
def test_a_page_past_the_last_one_anyone_can_ask_for_is_the_pages_error(
    world: World, api: dict[str, ApiClient], path: str, page: int
) -> None:
    if not path.startswith("/"):
        path = f"/plans/{plan(world.account).pk}/{path}"
    assert fields_of(api["kam"].get(path, {"page": page})) == {"page"}
