"""The API tokens page: create (secret shown once), list and revoke one's own tokens."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openkam.api.models import ApiToken
from openkam.api.tokens import hash_token, token_create
from openkam.conftest import World, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("api:tokens")


def test_the_page_lists_only_the_users_own_tokens(world: World) -> None:
    token_create(user=world.kam, name="ERP nightly")
    token_create(user=world.other_kam, name="Other team's sync")
    html = client_for(world.kam).get(URL).content.decode()
    assert "ERP nightly" in html
    assert "Other team&#x27;s sync" not in html
    assert "Other team's sync" not in html


def test_an_empty_list_says_so(world: World) -> None:
    html = client_for(world.kam).get(URL).content.decode()
    assert 'data-testid="token-empty"' in html
    assert "No API tokens yet" in html


def test_creating_a_token_shows_the_secret_once(world: World) -> None:
    client = client_for(world.kam)
    response = client.post(URL, {"name": "CRM bridge"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    secret = response.context["issued"].secret
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=world.kam)
    assert (token.name, token.secret_hash) == ("CRM bridge", hash_token(secret))
    assert secret not in client.get(URL).content.decode()


def test_a_name_is_required(world: World) -> None:
    response = client_for(world.kam).post(URL, {"name": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_revoking_a_token_from_the_page(world: World) -> None:
    issued = token_create(user=world.kam, name="ERP")
    response = client_for(world.kam).post(reverse("api:token-revoke", args=[issued.token.pk]))
    assert response.status_code == 302
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is not None


def test_nobody_revokes_another_users_token(world: World) -> None:
    issued = token_create(user=world.kam, name="ERP")
    response = client_for(world.executive).post(reverse("api:token-revoke", args=[issued.token.pk]))
    assert response.status_code == 404
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_revoking_needs_post_and_csrf(world: World) -> None:
    issued = token_create(user=world.kam, name="ERP")
    url = reverse("api:token-revoke", args=[issued.token.pk])
    assert client_for(world.kam).get(url).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.kam)
    assert strict.post(url).status_code == 403
    issued.token.refresh_from_db()
    assert issued.token.revoked_at is None


def test_an_anonymous_visitor_is_sent_to_the_login(world: World) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_runs_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: object
) -> None:
    client = client_for(world.kam)
    for i in range(3):
        token_create(user=world.kam, name=f"token {i}")
    # Session, user, token count, token page.
    with django_assert_num_queries(4):  # type: ignore[operator]
        assert client.get(URL).status_code == 200
    for i in range(5):
        token_create(user=world.kam, name=f"more {i}")
    with django_assert_num_queries(4):  # type: ignore[operator]
        assert client.get(URL).status_code == 200


def test_the_page_reads_in_chinese(world: World, settings: object) -> None:
    settings.LANGUAGE_CODE = "zh-hans"  # type: ignore[attr-defined]
    html = client_for(world.kam).get(URL).content.decode()
    assert "API 令牌" in html
