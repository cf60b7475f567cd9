"""The app's own zh-hans catalogue (openkam/analyze/locale) is complete, compiled and current.

`make messages` extracts the strings under openkam/analyze/ into this catalogue, not into
openkam/locale (makemessages gives every app with a locale folder its own), so the project's
catalogue tests do not see them: these do the same checks here.
"""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from openkam.common.tests.test_translations import po_entries

APP = Path(__file__).resolve().parents[1]
PO_FILE = APP / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    entries = po_entries(PO_FILE)
    assert len(entries) > 100
    assert [e.msgid for e in entries if not all(e.strs)] == []
    assert [e.msgid for e in entries if e.fuzzy] == []


def test_compiled_catalogue_matches_the_source() -> None:
    with MO_FILE.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    for entry in po_entries(PO_FILE):
        key = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
        compiled = catalog.get((key, 0) if entry.plural is not None else key)
        assert compiled == entry.strs[0], f"{key!r}: the .mo is stale; run `make messages`"


def test_catalogue_covers_every_marked_string(tmp_path: Path) -> None:
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext (Debian package gettext) is missing under CI=true")
        pytest.skip("xgettext is not installed: cannot check the catalogue covers every string")
    copy = tmp_path / "analyze"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "tests", "*.mo"))
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {(e.context or "", e.msgid) for e in po_entries(copy / PO_FILE.relative_to(APP))}
    known = {(e.context or "", e.msgid) for e in po_entries(PO_FILE)}
    missing = sorted(fresh - known)
    assert missing == [], f"strings without a zh-hans entry (run `make messages`): {missing[:20]}"
