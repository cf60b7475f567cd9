"""Login throttling: after repeated failed log-ins for one username or from one address, the
login page refuses for a while, saying so in the user's language; a log-in under the limit
works, and the API's bearer tokens are neither counted nor refused."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory

from openkam.api.tokens import token_create
from openkam.common.security import client_ip
from openkam.conftest import World

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests"
LIMIT = settings.OPENKAM_LOGIN_FAILURE_LIMIT


def log_in(client: Client, username: str, password: str, address: str = "10.0.0.1") -> object:
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client: Client, username: str, times: int, address: str = "10.0.0.1") -> list[int]:
    """The status of each failed try: the login form again, until the lock."""
    return [
        log_in(client, username, "wrong", address).status_code  # type: ignore[attr-defined]
        for _ in range(times)
    ]


def test_a_user_is_refused_after_the_limit_even_with_the_right_password(world: World) -> None:
    client = Client()
    assert fail(client, "kam1", LIMIT) == [200] * (LIMIT - 1) + [429]
    response = log_in(client, "kam1", PASSWORD)
    assert response.status_code == 429  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session
    # The lock is the user's: from another address too.
    assert log_in(Client(), "kam1", PASSWORD, "10.0.0.2").status_code == 429  # type: ignore[attr-defined]


def test_an_address_is_refused_after_failures_on_several_usernames(world: World) -> None:
    for index in range(LIMIT):
        fail(Client(), f"guess{index}", 1, "10.0.0.9")
    assert log_in(Client(), "dir", PASSWORD, "10.0.0.9").status_code == 429  # type: ignore[attr-defined]
    assert log_in(Client(), "dir", PASSWORD, "10.0.0.8").status_code == 302  # type: ignore[attr-defined]


def test_a_log_in_under_the_limit_works_and_clears_the_failures(world: World) -> None:
    client = Client()
    assert fail(client, "kam1", LIMIT - 1) == [200] * (LIMIT - 1)
    response = log_in(client, "kam1", PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert client.session["_auth_user_id"] == str(world.kam.pk)
    fail(Client(), "kam1", LIMIT - 1)
    assert log_in(Client(), "kam1", PASSWORD).status_code == 302  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("zh-hans", f"登录失败次数过多。请在 {settings.OPENKAM_LOGIN_LOCKOUT_MINUTES} 分钟后重试"),
        ("en", f"Try again in {settings.OPENKAM_LOGIN_LOCKOUT_MINUTES} minutes"),
    ],
)
def test_the_refusal_is_in_the_users_language(world: World, language: str, text: str) -> None:
    client = Client(headers={"Accept-Language": language})
    fail(client, "kam1", LIMIT)
    response = log_in(client, "kam1", PASSWORD)
    assert response.status_code == 429  # type: ignore[attr-defined]
    assert text in response.content.decode()  # type: ignore[attr-defined]


def test_api_tokens_work_from_a_locked_address_for_a_locked_user(world: World) -> None:
    secret = token_create(user=world.kam, name="ERP").secret
    fail(Client(), "kam1", LIMIT)
    client = Client()
    assert log_in(client, "kam1", PASSWORD).status_code == 429  # type: ignore[attr-defined]
    response = client.get(
        "/api/v1/accounts", headers={"Authorization": f"Bearer {secret}"}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 200
    assert log_in(client, "kam1", PASSWORD).status_code == 429  # type: ignore[attr-defined]


def test_behind_proxies_the_client_is_counted_not_the_proxy(settings: object) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    assert client_ip(request) == "10.1.1.1"
    settings.OPENKAM_PROXY_COUNT = 1  # type: ignore[attr-defined]
    assert client_ip(request) == "203.0.113.7"  # what the client itself claimed is ignored
    settings.OPENKAM_PROXY_COUNT = 3  # type: ignore[attr-defined]
    assert client_ip(request) == "10.1.1.1"  # fewer hops than proxies: not forwarded by them


def test_a_script_authenticates_without_a_request(world: World) -> None:
    assert authenticate(username="kam1", password=PASSWORD) == world.kam
