from __future__ import annotations

import datetime as dt

import pytest

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Today is 2026-06-01 for the pages and the services."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    return TODAY
