"""The demo's public password never reaches production: with DEBUG off, `openkam demo` runs
only when OPENKAM_DEMO=1 says this is a demo (as `make run` does)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from openkam.accounts.models import Account
from openkam.factories import AccountFactory
from openkam.team.models import User

pytestmark = pytest.mark.django_db
SMALL = ["--accounts", "5", "--years", "1", "--today", "2026-03-15"]


def test_with_debug_off_the_demo_refuses_and_creates_nothing(
    monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    monkeypatch.delenv("OPENKAM_DEMO", raising=False)
    settings.DEBUG = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="OPENKAM_DEMO=1"):
        call_command("demo", *SMALL, stdout=StringIO())
    assert not Account.objects.exists()
    assert not User.objects.exists()


@pytest.mark.parametrize("value", ["0", "no"])
def test_openkam_demo_off_is_a_refusal_too(
    monkeypatch: pytest.MonkeyPatch, settings: object, value: str
) -> None:
    monkeypatch.setenv("OPENKAM_DEMO", value)
    settings.DEBUG = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError):
        call_command("demo", *SMALL, stdout=StringIO())


def test_openkam_demo_1_lets_it_run_with_debug_off(
    monkeypatch: pytest.MonkeyPatch, settings: object
) -> None:
    monkeypatch.setenv("OPENKAM_DEMO", "1")
    settings.DEBUG = False  # type: ignore[attr-defined]
    AccountFactory.create()
    out = StringIO()
    call_command("demo", *SMALL, "--if-empty", stdout=out)
    assert "skipped" in out.getvalue()


def test_debug_on_lets_it_run(monkeypatch: pytest.MonkeyPatch, settings: object) -> None:
    monkeypatch.delenv("OPENKAM_DEMO", raising=False)
    settings.DEBUG = True  # type: ignore[attr-defined]
    AccountFactory.create()
    out = StringIO()
    call_command("demo", *SMALL, "--if-empty", stdout=out)
    assert "skipped" in out.getvalue()
