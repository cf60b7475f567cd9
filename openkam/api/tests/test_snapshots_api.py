"""/snapshots: the analytics of the portfolio refresh, read-only, as visible as the accounts."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World
from openkam.portfolio.models import AccountSnapshot
from openkam.web.tests.builders import add_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
DAYS = [dt.date(2026, 9, 30), dt.date(2026, 10, 31), dt.date(2026, 11, 30)]


@pytest.fixture
def snapshots(world: World) -> list[AccountSnapshot]:
    return [
        add_snapshot(account, as_of=day, churn_level=level)
        for account in (world.account, world.other_account)
        for day, level in zip(DAYS, ["low", "medium", "high"], strict=True)
    ]


def test_snapshots_are_those_of_visible_accounts(
    world: World, api: dict[str, ApiClient], snapshots: list[AccountSnapshot]
) -> None:
    body = api["viewer"].get("/snapshots").json()
    assert body["count"] == 3
    assert {item["account_id"] for item in body["items"]} == {world.account.pk}
    assert [item["as_of"] for item in body["items"]] == ["2026-11-30", "2026-10-31", "2026-09-30"]
    assert api["exec"].get("/snapshots").json()["count"] == 6


def test_latest_keeps_one_per_account(
    world: World, api: dict[str, ApiClient], snapshots: list[AccountSnapshot]
) -> None:
    items = api["analyst"].get("/snapshots", {"latest": "true"}).json()["items"]
    assert sorted((i["account_id"], i["as_of"], i["churn_level"]) for i in items) == sorted(
        [(world.account.pk, "2026-11-30", "high"), (world.other_account.pk, "2026-11-30", "high")]
    )


def test_the_trend_of_one_account(
    world: World, api: dict[str, ApiClient], snapshots: list[AccountSnapshot]
) -> None:
    items = (
        api["kam"]
        .get("/snapshots", {"account_id": world.account.pk, "since": "2026-10-01"})
        .json()["items"]
    )
    assert [item["as_of"] for item in items] == ["2026-11-30", "2026-10-31"]
    assert items[0]["revenue_12m"] == "1200000.00"


def test_an_invisible_snapshot_is_not_found(
    world: World, api: dict[str, ApiClient], snapshots: list[AccountSnapshot]
) -> None:
    theirs = snapshots[-1]
    assert api["kam"].get(f"/snapshots/{theirs.pk}").status_code == 404
    assert api["other_kam"].get(f"/snapshots/{theirs.pk}").json()["id"] == theirs.pk


def test_snapshots_can_not_be_written(
    world: World, api: dict[str, ApiClient], snapshots: list[AccountSnapshot]
) -> None:
    assert api["exec"].post("/snapshots", {}).status_code == 405
    assert api["exec"].delete(f"/snapshots/{snapshots[0].pk}").status_code == 405
    assert AccountSnapshot.objects.count() == 6
