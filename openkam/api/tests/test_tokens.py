"""API tokens: stored only as a hash, refused once revoked, last use recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from openkam.api.models import ApiToken
from openkam.api.tests.conftest import ApiClient
from openkam.api.tokens import hash_token, token_authenticate, token_create, token_revoke
from openkam.conftest import World

pytestmark = pytest.mark.django_db


def test_the_secret_is_not_in_the_database(world: World) -> None:
    issued = token_create(user=world.kam, name="ERP")
    row = ApiToken.objects.filter(pk=issued.token.pk).values().get()
    assert issued.secret not in {str(value) for value in row.values()}
    assert row["secret_hash"] == hash_token(issued.secret)
    assert issued.secret.startswith(f"okam_{row['prefix']}_")
    secret_part = issued.secret.split("_", 2)[2]
    assert all(secret_part not in str(value) for value in row.values())


def test_a_token_authenticates_its_user(world: World) -> None:
    issued = token_create(user=world.kam, name="ERP")
    found = token_authenticate(issued.secret)
    assert found is not None
    assert found.user == world.kam


@pytest.mark.parametrize(
    "mangle",
    [
        lambda raw: raw[:-1] + ("A" if raw[-1] != "A" else "B"),
        lambda raw: raw.replace("okam_", "xkam_"),
        lambda raw: raw.split("_", 2)[0] + "_" + raw.split("_", 2)[1],
        lambda raw: "",
    ],
    ids=["wrong-secret", "wrong-scheme", "no-secret", "empty"],
)
def test_a_wrong_token_is_refused(world: World, mangle: object) -> None:
    issued = token_create(user=world.kam, name="ERP")
    assert token_authenticate(mangle(issued.secret)) is None  # type: ignore[operator]


def test_a_revoked_token_gets_401(world: World) -> None:
    issued = token_create(user=world.kam, name="ERP")
    client = ApiClient(issued.secret)
    assert client.get("/accounts").status_code == 200
    token_revoke(token=issued.token)
    response = client.get("/accounts")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoking_twice_keeps_the_first_date(world: World) -> None:
    issued = token_create(user=world.kam, name="ERP")
    first = token_revoke(token=issued.token).revoked_at
    assert token_revoke(token=issued.token).revoked_at == first


def test_a_token_of_a_deactivated_user_gets_401(world: World) -> None:
    issued = token_create(user=world.kam, name="ERP")
    world.kam.is_active = False
    world.kam.save()
    assert ApiClient(issued.secret).get("/accounts").status_code == 401


def test_no_token_gets_401(world: World) -> None:
    response = ApiClient(None).get("/accounts")
    assert response.status_code == 401
    assert response.json()["errors"] == []


def test_last_used_at_is_recorded_at_most_once_a_minute(world: World) -> None:
    issued = token_create(user=world.kam, name="ERP")
    assert issued.token.last_used_at is None
    client = ApiClient(issued.secret)
    client.get("/accounts")
    issued.token.refresh_from_db()
    first = issued.token.last_used_at
    assert first is not None
    assert timezone.now() - first < dt.timedelta(seconds=30)
    client.get("/accounts")
    issued.token.refresh_from_db()
    assert issued.token.last_used_at == first
    ApiToken.objects.filter(pk=issued.token.pk).update(last_used_at=first - dt.timedelta(hours=1))
    client.get("/accounts")
    issued.token.refresh_from_db()
    assert issued.token.last_used_at > first - dt.timedelta(seconds=1)


def test_a_bad_token_does_not_fall_back_to_the_session(world: World) -> None:
    client = ApiClient("okam_0000_wrong")
    client.client.force_login(world.kam)
    assert client.get("/accounts").status_code == 401
