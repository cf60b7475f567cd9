"""Running `openkam analyze` as a user would, and writing its input files."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from django.core.management import call_command

CALIBRATION_END = "1997-09-30"


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
