"""`openkam token create USER NAME`, `openkam token revoke ID`, `openkam token list`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from openkam.api.models import ApiToken
from openkam.api.tokens import hash_token, token_authenticate
from openkam.conftest import World

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_create_prints_a_working_token_once(world: World) -> None:
    secret = run("create", "kam1", "ERP sync").strip()
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.secret_hash) == (
        world.kam,
        "ERP sync",
        hash_token(secret),
    )
    assert token_authenticate(secret) is not None
    assert secret not in run("list")


def test_revoke_stops_the_token(world: World) -> None:
    secret = run("create", "kam1", "ERP sync").strip()
    token = ApiToken.objects.get()
    assert "revoked" in run("revoke", str(token.pk))
    assert token_authenticate(secret) is None


def test_list_shows_a_users_tokens(world: World) -> None:
    run("create", "kam1", "ERP sync")
    run("create", "kam2", "Other")
    listed = run("list", "kam1")
    assert "ERP sync" in listed
    assert "Other" not in listed


@pytest.mark.parametrize(
    "args", [("create", "nobody", "x"), ("create", "kam1", " "), ("revoke", "999")]
)
def test_bad_arguments_are_errors(world: World, args: tuple[str, ...]) -> None:
    with pytest.raises(CommandError):
        run(*args)
    assert not ApiToken.objects.exists()
