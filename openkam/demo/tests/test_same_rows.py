"""The bulk writers of the demo's last steps write the same rows as the row-at-a-time code
they replaced (kept in legacy_writers.py): a small demo generated both ways, with the clock
stopped so the `now` stamps agree, has the same fingerprint (rows and a hash per table, ids
as ranks; see fingerprint.py). Run on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from openkam.demo import services
from openkam.demo.tests import legacy_writers
from openkam.demo.tests.conftest import generate
from openkam.demo.tests.fingerprint import fingerprint

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 15, 6, 30, tzinfo=dt.UTC)  # the tests' TODAY, 14:30 in Shanghai
LEGACY = ("write_surveys", "write_service_cases")
# Tables the replaced writers fill: a small demo must have rows in each, or the comparison
# would prove little.
COVERED = (
    "surveys_recipient",
    "surveys_response",
    "interactions_historicalinteraction",
    "interactions_historicalinteraction_our_participants",
    "interactions_historicalinteraction_their_participants",
    "service_servicecase",
    "service_historicalservicecase",
    "service_training",
    "service_historicaltraining",
    "service_historicaltraining_attendees",
    "service_historicaltraining_cases",
)


def fingerprint_of_a_demo(monkeypatch: pytest.MonkeyPatch, *, legacy: bool) -> dict[str, object]:
    """Generate in a savepoint, fingerprint, roll back (the seeded rows stay as they were)."""
    with monkeypatch.context() as patch:
        if legacy:
            for name in LEGACY:
                patch.setattr(services, name, getattr(legacy_writers, name))
        with transaction.atomic():
            generate(accounts=60, years=2, seed=5)
            found = fingerprint()
            transaction.set_rollback(True)
    return dict(found)


def test_the_bulk_writers_write_the_same_rows_as_the_row_at_a_time_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    before = fingerprint_of_a_demo(monkeypatch, legacy=True)
    after = fingerprint_of_a_demo(monkeypatch, legacy=False)
    for table in COVERED:
        assert before.get(table, (0, ""))[0] > 0, table  # type: ignore[index]
    differing = {
        table: (after.get(table), before.get(table))
        for table in sorted({*before, *after})
        if after.get(table) != before.get(table)
    }
    assert differing == {}
