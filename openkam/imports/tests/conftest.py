"""Fixtures of the imports tests: files written to a temporary folder, the rejected-rows folder
kept there too, and a small catalogue the ledger files refer to."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from openkam.imports.tests.helpers import Catalogue, make_catalogue


@pytest.fixture(autouse=True)
def var_dir(settings: Any, tmp_path: Path) -> Path:
    folder = tmp_path / "var"
    folder.mkdir()
    settings.VAR_DIR = folder
    return folder


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Any) -> None:
    """Queued imports run inside the request here; test_background_*.py use the database
    backend and its worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def catalogue(db: None) -> Catalogue:
    return make_catalogue()
