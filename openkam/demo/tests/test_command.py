"""`openkam demo` as an operator runs it: --if-empty, refusing to mix data, --replace."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from openkam.accounts.models import Account
from openkam.factories import AccountFactory
from openkam.ledger.models import OrderLine

pytestmark = pytest.mark.django_db
SMALL = ["--accounts", "40", "--years", "1", "--today", "2026-03-15", "--seed", "3"]


@pytest.fixture(autouse=True)
def demo_allowed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run with DEBUG off, where the demo asks for OPENKAM_DEMO=1."""
    monkeypatch.setenv("OPENKAM_DEMO", "1")


def run(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def test_the_demo_prints_its_logins_and_row_counts() -> None:
    output = run(*SMALL)
    assert Account.objects.count() == 40
    assert "ledger_orderline" in output
    assert "rows/s" in output
    for username in ("executive", "director", "kam", "kam2", "analyst", "viewer", "admin"):
        assert username in output
    assert "openkam-demo" in output or "password" in output


def test_if_empty_leaves_existing_accounts_alone() -> None:
    existing = AccountFactory.create()
    output = run(*SMALL, "--if-empty")
    assert "skipped" in output
    assert list(Account.objects.all()) == [existing]
    assert not OrderLine.objects.exists()


def test_existing_data_is_refused_without_replace() -> None:
    AccountFactory.create()
    with pytest.raises(CommandError, match="--replace"):
        run(*SMALL)
    assert Account.objects.count() == 1


def test_replace_deletes_the_business_data_and_generates_the_demo() -> None:
    existing = AccountFactory.create()
    run(*SMALL, "--replace")
    assert not Account.objects.filter(legal_name=existing.legal_name).exists()
    assert Account.objects.count() == 40
    run(*SMALL, "--replace")
    assert Account.objects.count() == 40


def test_rows_added_after_the_demo_get_fresh_ids() -> None:
    run(*SMALL)
    added = AccountFactory.create()
    assert added.pk > max(Account.objects.exclude(pk=added.pk).values_list("pk", flat=True))
