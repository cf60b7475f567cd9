"""/accounts: list, read, create, update and delete, with the visibility and write rules of
the pages: another team's account reads as 404, writing to it is a 403 and saves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from openkam.accounts.models import Account, Tier
from openkam.api.tests.conftest import ApiClient
from openkam.conftest import World
from openkam.factories import AccountFactory, credit_code_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def ids(response: object) -> set[int]:
    return {item["id"] for item in response.json()["items"]}  # type: ignore[attr-defined]


def test_the_list_holds_the_accounts_the_user_sees(world: World, api: dict[str, ApiClient]) -> None:
    everyone = {world.account.pk, world.other_account.pk, world.unassigned_account.pk}
    assert ids(api["exec"].get("/accounts")) == everyone
    assert ids(api["analyst"].get("/accounts")) == everyone
    assert ids(api["kam"].get("/accounts")) == {world.account.pk}
    assert ids(api["viewer"].get("/accounts")) == {world.account.pk}
    assert ids(api["other_kam"].get("/accounts")) == {world.other_account.pk}


def test_the_list_filters_and_counts(world: World, api: dict[str, ApiClient]) -> None:
    Account.objects.filter(pk=world.account.pk).update(tier=Tier.KEY, legal_name="阿尔法电梯")
    response = api["exec"].get("/accounts", {"tier": "key"})
    assert response.status_code == 200
    assert response.json()["count"] == 1
    assert ids(response) == {world.account.pk}
    assert ids(api["exec"].get("/accounts", {"q": "阿尔法"})) == {world.account.pk}
    assert ids(api["exec"].get("/accounts", {"team_id": world.other_team.pk})) == {
        world.other_account.pk
    }


def test_a_bad_filter_value_is_a_field_error(api: dict[str, ApiClient]) -> None:
    response = api["exec"].get("/accounts", {"tier": "platinum"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error"
    assert body["errors"][0]["loc"] == ["query", "tier"]
    assert body["errors"][0]["field"] == "tier"


def test_reading_an_invisible_account_is_not_found(world: World, api: dict[str, ApiClient]) -> None:
    assert api["kam"].get(f"/accounts/{world.account.pk}").status_code == 200
    response = api["other_kam"].get(f"/accounts/{world.account.pk}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_money_is_an_exact_decimal_string(world: World, api: dict[str, ApiClient]) -> None:
    Account.objects.filter(pk=world.account.pk).update(credit_limit="1234567.89")
    body = api["kam"].get(f"/accounts/{world.account.pk}").json()
    assert body["credit_limit"] == "1234567.89"


def test_a_kam_creates_an_account_in_their_team(world: World, api: dict[str, ApiClient]) -> None:
    response = api["kam"].post(
        "/accounts",
        {
            "legal_name": "新客户有限公司",
            "team_id": world.team.pk,
            "relationship_stage": "mid",
            "credit_code": credit_code_for(9001),
        },
    )
    assert response.status_code == 201, response.json()
    account = Account.objects.get(pk=response.json()["id"])
    assert (account.legal_name, account.team_id, account.relationship_stage) == (
        "新客户有限公司",
        world.team.pk,
        "mid",
    )
    assert account.history.count() == 1


def test_a_kam_can_not_create_an_account_in_another_team(
    world: World, api: dict[str, ApiClient]
) -> None:
    before = Account.objects.count()
    response = api["kam"].post(
        "/accounts", {"legal_name": "越界公司", "team_id": world.other_team.pk}
    )
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "team_id"
    assert Account.objects.count() == before


@pytest.mark.parametrize("persona", ["viewer", "analyst"])
def test_viewers_and_analysts_read_only(
    world: World, api: dict[str, ApiClient], persona: str
) -> None:
    before = Account.objects.count()
    assert api[persona].post("/accounts", {"legal_name": "只读公司"}).status_code == 403
    response = api[persona].patch(f"/accounts/{world.account.pk}", {"notes": "改"})
    assert response.status_code == 403
    assert Account.objects.count() == before
    world.account.refresh_from_db()
    assert world.account.notes == ""


def test_invalid_values_are_field_errors_and_nothing_is_saved(
    world: World, api: dict[str, ApiClient]
) -> None:
    before = Account.objects.count()
    response = api["exec"].post(
        "/accounts",
        {
            "legal_name": "坏数据公司",
            "credit_code": "91310000XXXXXXXXX1",
            "website": "not a url",
            "payment_terms_days": "soon",
        },
    )
    assert response.status_code == 422
    assert {error["field"] for error in response.json()["errors"]} == {"payment_terms_days"}
    response = api["exec"].post(
        "/accounts",
        {"legal_name": "坏数据公司", "credit_code": "91310000XXXXXXXXX1", "website": "not a url"},
    )
    assert response.status_code == 422
    assert {error["field"] for error in response.json()["errors"]} == {"credit_code", "website"}
    assert Account.objects.count() == before


def test_an_unknown_field_is_refused_not_dropped(api: dict[str, ApiClient]) -> None:
    response = api["exec"].post("/accounts", {"legal_name": "拼错公司", "teir": "key"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "teir"


def test_update_changes_only_the_fields_sent(world: World, api: dict[str, ApiClient]) -> None:
    world.account.notes = "保留"
    world.account.save()
    response = api["kam"].patch(f"/accounts/{world.account.pk}", {"lifecycle_stage": "deepening"})
    assert response.status_code == 200
    world.account.refresh_from_db()
    assert (world.account.lifecycle_stage, world.account.notes) == ("deepening", "保留")


def test_another_teams_kam_gets_404_on_update_and_nothing_is_saved(
    world: World, api: dict[str, ApiClient]
) -> None:
    response = api["other_kam"].patch(f"/accounts/{world.account.pk}", {"tier": "key"})
    assert response.status_code == 404  # as for an ID that does not exist: no oracle
    assert response.json() == api["other_kam"].patch("/accounts/999999", {"tier": "key"}).json()
    world.account.refresh_from_db()
    assert world.account.tier == Tier.GENERAL


def test_a_kam_can_not_move_an_account_out_of_their_teams(
    world: World, api: dict[str, ApiClient]
) -> None:
    response = api["kam"].patch(
        f"/accounts/{world.account.pk}", {"team_id": world.other_team.pk, "owner_id": None}
    )
    assert response.status_code == 403
    world.account.refresh_from_db()
    assert world.account.team_id == world.team.pk


def test_a_parent_must_not_close_a_cycle(world: World, api: dict[str, ApiClient]) -> None:
    child = AccountFactory.create(team=world.team, parent=world.account)
    response = api["kam"].patch(f"/accounts/{world.account.pk}", {"parent_id": child.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "parent_id"
    world.account.refresh_from_db()
    assert world.account.parent_id is None


def test_a_parent_the_user_can_not_see_is_unknown(world: World, api: dict[str, ApiClient]) -> None:
    response = api["kam"].patch(
        f"/accounts/{world.account.pk}", {"parent_id": world.other_account.pk}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["parent_id"]


def test_missing_account_is_404_for_every_method(api: dict[str, ApiClient]) -> None:
    assert api["exec"].get("/accounts/999999").status_code == 404
    assert api["exec"].patch("/accounts/999999", {"tier": "key"}).status_code == 404
    assert api["exec"].delete("/accounts/999999").status_code == 404


def test_an_executive_deletes_an_account_without_ledger(
    world: World, api: dict[str, ApiClient]
) -> None:
    assert api["exec"].delete(f"/accounts/{world.unassigned_account.pk}").status_code == 204
    assert not Account.objects.filter(pk=world.unassigned_account.pk).exists()


def test_a_kam_may_not_delete_an_account(world: World, api: dict[str, ApiClient]) -> None:
    assert api["kam"].delete(f"/accounts/{world.account.pk}").status_code == 403
    assert api["other_kam"].delete(f"/accounts/{world.account.pk}").status_code == 404
    assert Account.objects.filter(pk=world.account.pk).exists()


def test_an_account_with_subsidiaries_is_not_deleted(
    world: World, api: dict[str, ApiClient]
) -> None:
    AccountFactory.create(parent=world.account)
    response = api["exec"].delete(f"/accounts/{world.account.pk}")
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert Account.objects.filter(pk=world.account.pk).exists()


def test_the_list_pages_and_sorts(world: World, api: dict[str, ApiClient]) -> None:
    for i in range(5):
        AccountFactory.create(legal_name=f"排序公司{i}", tier=Tier.KEY if i == 3 else Tier.GENERAL)
    first = api["exec"].get("/accounts", {"page_size": 3}).json()
    second = api["exec"].get("/accounts", {"page_size": 3, "page": 2}).json()
    third = api["exec"].get("/accounts", {"page_size": 3, "page": 3}).json()
    assert first["count"] == 8
    names = [a["legal_name"] for page in (first, second, third) for a in page["items"]]
    # The database's collation decides the order of Chinese names, not Python's code points.
    assert names == list(
        Account.objects.order_by("legal_name", "pk").values_list("legal_name", flat=True)
    )
    descending = api["exec"].get("/accounts", {"ordering": "-legal_name"}).json()["items"]
    assert [a["legal_name"] for a in descending] == names[::-1]
    by_tier = api["exec"].get("/accounts", {"ordering": "tier"}).json()["items"]
    assert by_tier[0]["legal_name"] == "排序公司3"
    assert api["exec"].get("/accounts", {"ordering": "password"}).status_code == 422


def test_an_invalid_update_saves_nothing(world: World, api: dict[str, ApiClient]) -> None:
    response = api["kam"].patch(
        f"/accounts/{world.account.pk}", {"notes": "改", "credit_code": "91310000XXXXXXXXX1"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "credit_code"
    world.account.refresh_from_db()
    assert world.account.notes == ""


def test_updated_since_returns_what_changed(world: World, api: dict[str, ApiClient]) -> None:
    Account.objects.update(updated_at=timezone.now() - dt.timedelta(days=3))
    api["exec"].patch(f"/accounts/{world.account.pk}", {"notes": "新进展"})
    since = (timezone.now() - dt.timedelta(days=1)).isoformat()
    assert ids(api["exec"].get("/accounts", {"updated_since": since})) == {world.account.pk}
