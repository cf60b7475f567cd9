"""The shipped CDNOW sample (../shared/data, or $OPENKAM_SHARED_DATA)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import openkam


def shared_data_dir() -> Path:
    configured = os.environ.get("OPENKAM_SHARED_DATA")
    if configured:
        return Path(configured)
    return Path(openkam.__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def cdnow_path() -> Path:
    path = shared_data_dir() / "cdnow_sample.csv"
    if not path.exists():
        message = f"shipped data not found at {path} (set OPENKAM_SHARED_DATA)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: the published-result checks must run in CI")
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def cdnow_lines(cdnow_path: Path) -> list[str]:
    return cdnow_path.read_text(encoding="utf-8").splitlines()
