"""/api/v1/accounts/{id}/team: read by whoever sees the account (a seated support member
too), changed only by the account's KAM, its director and executives; the same refusals as
the card (403 seen but not managed, 404 not seen, 422 a bad field), nothing saved."""

from __future__ import annotations

import pytest

from openkam.accounts.models import AccountTeamMember
from openkam.api.tests.conftest import ApiClient, api_for
from openkam.conftest import World
from openkam.factories import UserFactory
from openkam.team.models import Function, Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def engineer(world: World) -> User:
    user = UserFactory.create(username="qe", role=Role.VIEWER, function=Function.QUALITY)
    AccountTeamMember.objects.create(account=world.account, user=user, role="quality", note="来料")
    return user


def path(world: World, member: int | None = None) -> str:
    base = f"/accounts/{world.account.pk}/team"
    return base if member is None else f"{base}/{member}"


@pytest.mark.parametrize("who", ["exec", "dir", "kam", "analyst", "viewer"])
def test_whoever_sees_the_account_reads_its_team(
    world: World, api: dict[str, ApiClient], engineer: User, who: str
) -> None:
    response = api[who].get(path(world))
    assert response.status_code == 200
    body = response.json()
    assert body["account_id"] == world.account.pk
    assert body["kam"]["id"] == world.kam.pk
    assert body["kam_is_executive"] is False
    assert [(m["user"]["id"], m["role"], m["note"]) for m in body["members"]] == [
        (engineer.pk, "quality", "来料")
    ]


def test_the_seated_engineer_reads_the_team_and_the_account_and_nothing_else(
    world: World, engineer: User
) -> None:
    client = api_for(engineer)
    assert client.get(path(world)).status_code == 200
    assert client.get(f"/accounts/{world.account.pk}").status_code == 200
    assert [a["id"] for a in client.get("/accounts").json()["items"]] == [world.account.pk]
    assert client.get(f"/accounts/{world.other_account.pk}/team").status_code == 404
    patch = client.patch(f"/accounts/{world.account.pk}", {"notes": "质量"})
    assert patch.status_code == 403
    world.account.refresh_from_db()
    assert world.account.notes == ""


def test_another_teams_kam_and_anonymous_read_nothing(
    world: World, api: dict[str, ApiClient], engineer: User
) -> None:
    assert api["other_kam"].get(path(world)).status_code == 404
    assert ApiClient(None).get(path(world)).status_code == 401


@pytest.mark.parametrize("who", ["exec", "dir", "kam"])
def test_the_kam_the_director_and_an_executive_add_change_and_remove(
    world: World, api: dict[str, ApiClient], who: str
) -> None:
    client = api[who]
    response = client.post(path(world), {"user_id": world.viewer.pk, "role": "finance"})
    assert response.status_code == 201
    member = response.json()
    assert (member["user"]["id"], member["role"], member["note"]) == (
        world.viewer.pk,
        "finance",
        "",
    )
    changed = client.patch(path(world, member["id"]), {"role": "logistics", "note": "发运"})
    assert changed.status_code == 200
    assert (changed.json()["role"], changed.json()["note"]) == ("logistics", "发运")
    assert client.delete(path(world, member["id"])).status_code == 204
    assert not AccountTeamMember.objects.filter(user=world.viewer).exists()


@pytest.mark.parametrize(("who", "status"), [("analyst", 403), ("viewer", 403), ("other_kam", 404)])
def test_others_are_refused_and_nothing_is_saved(
    world: World, api: dict[str, ApiClient], engineer: User, who: str, status: int
) -> None:
    client = api[who]
    seat = AccountTeamMember.objects.get(user=engineer)
    body = {"user_id": world.analyst.pk, "role": "rnd"}
    assert client.post(path(world), body).status_code == status
    assert client.patch(path(world, seat.pk), {"role": "rnd"}).status_code == status
    assert client.delete(path(world, seat.pk)).status_code == status
    assert list(AccountTeamMember.objects.values_list("pk", "role")) == [(seat.pk, "quality")]


def test_the_seated_engineer_cannot_change_the_team(world: World, engineer: User) -> None:
    client = api_for(engineer)
    seat = AccountTeamMember.objects.get(user=engineer)
    assert client.post(path(world), {"user_id": world.viewer.pk, "role": "rnd"}).status_code == 403
    assert client.delete(path(world, seat.pk)).status_code == 403
    assert AccountTeamMember.objects.filter(pk=seat.pk).exists()


def test_a_seat_of_another_account_is_not_found_under_this_one(
    world: World, api: dict[str, ApiClient]
) -> None:
    other = AccountTeamMember.objects.create(
        account=world.other_account, user=world.viewer, role="rnd"
    )
    assert api["exec"].delete(path(world, other.pk)).status_code == 404
    assert AccountTeamMember.objects.filter(pk=other.pk).exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"user_id": 0, "role": "rnd"}, "user_id"),
        ({"user_id": 1, "role": "chef"}, "role"),
        ({"role": "rnd"}, "user_id"),
        ({"user_id": 1, "role": "rnd", "colour": "red"}, "colour"),
    ],
)
def test_bad_input_names_the_field(
    world: World, api: dict[str, ApiClient], body: dict[str, object], field: str
) -> None:
    response = api["kam"].post(path(world), body)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["errors"]]
    assert not AccountTeamMember.objects.exists()


def test_business_refusals_are_field_errors(world: World, api: dict[str, ApiClient]) -> None:
    for body, field in (
        ({"user_id": world.kam.pk, "role": "rnd"}, "user_id"),  # the KAM already
        ({"user_id": world.other_kam.pk, "role": "rnd"}, "user_id"),  # writes elsewhere
        ({"user_id": world.viewer.pk, "role": "sponsor"}, "role"),  # not an executive
    ):
        response = api["kam"].post(path(world), body)
        assert response.status_code == 422, body
        assert field in [error["field"] for error in response.json()["errors"]], body
    assert not AccountTeamMember.objects.exists()


def test_an_executive_owner_is_reported(world: World, api: dict[str, ApiClient]) -> None:
    world.account.owner = world.executive
    world.account.save()
    body = api["dir"].get(path(world)).json()
    assert body["kam"]["id"] == world.executive.pk
    assert body["kam_is_executive"] is True
