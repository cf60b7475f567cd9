"""PATCH/POST /api/v1/accounts: `tier`, `is_strategic` and `strategic_reason` are the yearly
review's or an executive's (with a reason the history keeps); for everyone else a 403 naming
the field, and nothing saved."""

from __future__ import annotations

import pytest

from openkam.accounts.models import Account
from openkam.api.tests.conftest import api_for
from openkam.conftest import World

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize("field", ["tier", "is_strategic", "strategic_reason"])
@pytest.mark.parametrize("persona", ["kam", "director"])
def test_a_kam_or_director_may_not_change_the_tier_or_designation(
    world: World, persona: str, field: str
) -> None:
    value = {"tier": "key", "is_strategic": True, "strategic_reason": "知名品牌"}[field]
    response = api_for(getattr(world, persona)).patch(
        f"/accounts/{world.account.pk}", {field: value, "notes": "顺便改"}
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == field
    world.account.refresh_from_db()
    assert (world.account.tier, world.account.is_strategic, world.account.notes) == (
        "general", False, "",
    )  # fmt: skip


def test_sending_the_tier_it_has_is_no_change(world: World) -> None:
    response = api_for(world.kam).patch(
        f"/accounts/{world.account.pk}", {"tier": "general", "notes": "只改备注"}
    )
    assert response.status_code == 200
    world.account.refresh_from_db()
    assert world.account.notes == "只改备注"


def test_a_kam_may_not_create_an_account_with_a_tier(world: World) -> None:
    before = Account.objects.count()
    response = api_for(world.kam).post(
        "/accounts", {"legal_name": "新客户", "team_id": world.team.pk, "tier": "key"}
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "tier"
    assert Account.objects.count() == before


@pytest.mark.parametrize("persona", ["viewer", "analyst"])
def test_readers_are_refused_as_before(world: World, persona: str) -> None:
    response = api_for(getattr(world, persona)).patch(
        f"/accounts/{world.account.pk}", {"tier": "key"}
    )
    assert response.status_code == 403
    world.account.refresh_from_db()
    assert world.account.tier == "general"


def test_another_teams_account_stays_a_404(world: World) -> None:
    response = api_for(world.other_kam).patch(f"/accounts/{world.account.pk}", {"tier": "key"})
    assert response.status_code == 404


def test_an_executive_needs_a_reason_which_the_history_keeps(world: World) -> None:
    client = api_for(world.executive)
    url = f"/accounts/{world.account.pk}"
    without = client.patch(url, {"is_strategic": True})
    assert without.status_code == 422
    assert without.json()["errors"][0]["field"] == "change_reason"
    world.account.refresh_from_db()
    assert world.account.is_strategic is False
    done = client.patch(
        url,
        {
            "is_strategic": True,
            "strategic_reason": "进入全球采购体系",
            "change_reason": "总经理办公会决定",
        },
    )
    assert done.status_code == 200, done.json()
    latest = world.account.history.order_by("-history_id").first()
    assert latest is not None
    assert (latest.is_strategic, latest.history_change_reason) == (True, "总经理办公会决定")
