"""/accounts/{id}/hierarchy and the hierarchy filters of /accounts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from openkam.api.tests.conftest import ApiClient
from openkam.common.months import add_months
from openkam.conftest import World
from openkam.factories import AccountFactory, AccountMonthFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def group(world: World) -> dict[str, object]:
    """world.account is the group head; a subsidiary in the team, a grandchild in another."""
    month = add_months(timezone.localdate(), 0)
    child = AccountFactory.create(parent=world.account, team=world.team, legal_name="子公司")
    grandchild = AccountFactory.create(parent=child, team=world.other_team, legal_name="孙公司")
    for account, revenue in ((world.account, 100), (child, 20), (grandchild, 3)):
        AccountMonthFactory.create(account=account, month=month, revenue=revenue)
    return {"child": child, "grandchild": grandchild}


def test_the_group_rolls_revenue_up(world: World, api: dict[str, ApiClient], group: dict) -> None:
    body = api["kam"].get(f"/accounts/{world.account.pk}/hierarchy").json()
    members = {m["legal_name"]: m for m in body["members"]}
    head = members[world.account.legal_name]
    # The grandchild is another team's: counted out, not named, its revenue left out.
    assert (head["depth"], head["own_revenue"], head["rolled_up_revenue"]) == (
        0,
        "100.00",
        "120.00",
    )
    assert members["子公司"]["rolled_up_revenue"] == "20.00"
    assert members["子公司"]["parent_id"] == world.account.pk
    assert "孙公司" not in members
    assert members["子公司"]["visible"] is True
    assert dt.date.fromisoformat(body["revenue_until"]) <= timezone.localdate()


def test_ancestors_are_listed_nearest_first(
    world: World, api: dict[str, ApiClient], group: dict
) -> None:
    body = api["exec"].get(f"/accounts/{group['grandchild'].pk}/hierarchy").json()
    assert [a["legal_name"] for a in body["ancestors"]] == ["子公司", world.account.legal_name]


def test_an_invisible_group_is_not_found(
    world: World, api: dict[str, ApiClient], group: dict
) -> None:
    assert api["other_kam"].get(f"/accounts/{world.account.pk}/hierarchy").status_code == 404


def test_the_list_filters_by_parent_and_descendants(
    world: World, api: dict[str, ApiClient], group: dict
) -> None:
    def ids(**params: object) -> set[int]:
        return {a["id"] for a in api["exec"].get("/accounts", params).json()["items"]}

    assert ids(parent_id=world.account.pk) == {group["child"].pk}
    assert ids(descendants_of=world.account.pk) == {group["child"].pk, group["grandchild"].pk}
