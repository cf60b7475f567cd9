"""The service tests' clock: now is 2026-06-01 12:00 UTC for the services and the pages."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.service.tests.builders import NOON


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOON)
    return NOON
