"""The shipped CDNOW sample and a way to run `openkam analyze` as a user would."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

import openkam

CALIBRATION_END = "1997-09-30"


def shared_data_dir() -> Path:
    configured = os.environ.get("OPENKAM_SHARED_DATA")
    if configured:
        return Path(configured)
    return Path(openkam.__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def cdnow_path() -> Path:
    path = shared_data_dir() / "cdnow_sample.csv"
    if not path.exists():
        pytest.skip(f"shipped data not found at {path} (set OPENKAM_SHARED_DATA)")
    return path


@pytest.fixture(scope="session")
def cdnow_lines(cdnow_path: Path) -> list[str]:
    return cdnow_path.read_text(encoding="utf-8").splitlines()


def analyze(*args: str) -> tuple[str, str]:
    """(stdout, stderr) of `openkam analyze ARGS`."""
    out, err = io.StringIO(), io.StringIO()
    call_command("analyze", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def analyze_json(*args: str) -> dict[str, Any]:
    out, _err = analyze(*args, "--json")
    document: dict[str, Any] = json.loads(out)
    return document


def write_csv(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
