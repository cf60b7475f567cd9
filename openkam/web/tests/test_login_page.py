"""Logging in and out through the real forms."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openkam.conftest import World, client_for

pytestmark = pytest.mark.django_db


def test_the_login_page_shows_the_form_and_the_language_switch(db: None) -> None:
    html = Client().get(reverse("login")).content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html
    assert f'action="{reverse("set_language")}"' in html


def test_a_kam_logs_in_and_lands_on_the_dashboard(world: World) -> None:
    client = Client()
    response = client.post(
        reverse("login"), {"username": "kam1", "password": "pw-for-tests"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("home")
    assert response.context["user"] == world.kam


def test_a_wrong_password_shows_an_error_and_does_not_log_in(world: World) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "kam1", "password": "wrong"})
    assert response.status_code == 200
    assert 'data-testid="login-error"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_returns_to_the_page_asked_for(world: World) -> None:
    url = reverse("accounts:detail", args=[world.account.pk])
    response = Client().post(
        reverse("login"), {"username": "kam1", "password": "pw-for-tests", "next": url}
    )
    assert response["Location"] == url


def test_logging_out_is_a_post_from_the_user_menu(world: World) -> None:
    client = client_for(world.kam)
    html = client.get(reverse("home")).content.decode()
    assert f'<form method="post" action="{reverse("logout")}">' in html
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302
