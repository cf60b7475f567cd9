"""The browser calls the API with its session: reading works as logged in, unsafe methods
need the CSRF token, and the session never stands in for a bad bearer token."""

from __future__ import annotations

import json

import pytest
from django.middleware.csrf import (  # type: ignore[attr-defined]
    _get_new_csrf_string,
    _mask_cipher_secret,
)
from django.test import Client

from openkam.accounts.models import Account
from openkam.conftest import World

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def browser(world: World) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.kam)
    return client


def patch(client: Client, account: Account, **headers: str) -> object:
    return client.patch(
        f"/api/v1/accounts/{account.pk}",
        data=json.dumps({"notes": "来自浏览器"}),
        content_type="application/json",
        headers=headers,
    )


def test_the_session_reads(world: World, browser: Client) -> None:
    response = browser.get("/api/v1/accounts")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [world.account.pk]


def test_an_unsafe_method_without_csrf_is_refused_and_saves_nothing(
    world: World, browser: Client
) -> None:
    response = patch(browser, world.account)
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert response.json()["code"] == "csrf_failed"  # type: ignore[attr-defined]
    world.account.refresh_from_db()
    assert world.account.notes == ""


def test_an_unsafe_method_with_the_csrf_token_works(world: World, browser: Client) -> None:
    secret = _get_new_csrf_string()
    browser.cookies["csrftoken"] = secret
    response = patch(browser, world.account, X_CSRFToken=_mask_cipher_secret(secret))
    assert response.status_code == 200  # type: ignore[attr-defined]
    world.account.refresh_from_db()
    assert world.account.notes == "来自浏览器"


def test_without_a_session_the_api_answers_401(world: World) -> None:
    response = Client(enforce_csrf_checks=True).get("/api/v1/accounts")
    assert response.status_code == 401


def test_a_token_request_needs_no_csrf(world: World) -> None:
    from openkam.api.tokens import token_create

    secret = token_create(user=world.kam, name="ERP").secret
    client = Client(enforce_csrf_checks=True)
    response = patch(client, world.account, Authorization=f"Bearer {secret}")
    assert response.status_code == 200  # type: ignore[attr-defined]
