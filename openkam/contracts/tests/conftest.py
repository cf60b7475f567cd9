"""The contract tests' clock (the outside world, mocked) and a private var folder for files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Today is 2026-06-01 for the pages and the services."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture(autouse=True)
def var_dir(settings: Any, tmp_path: Path) -> Path:
    """Files land in a temporary var folder, never in the project's."""
    settings.VAR_DIR = tmp_path
    return tmp_path
