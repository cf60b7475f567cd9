"""The zh-hans catalogues are complete, compiled, and cover every marked string.

makemessages gives every app with a locale folder its own catalogue (openkam/analyze,
openkam/imports, ... have one), so each catalogue is checked, against one extraction of the
whole package."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]
CATALOGUE = Path("locale") / "zh_Hans" / "LC_MESSAGES" / "django.po"
PO_FILE = PACKAGE / CATALOGUE
CATALOGUES = {"project": PO_FILE} | {
    po.parents[3].name: po for po in sorted(PACKAGE.glob(f"*/{CATALOGUE}"))
}

_ENTRY = re.compile(
    r"(?P<comments>(?:#[^\n]*\n)*)"
    r'(?:msgctxt (?P<ctx>(?:"[^\n]*"\n)+))?'
    r'msgid (?P<id>(?:"[^\n]*"\n)+)'
    r'(?:msgid_plural (?P<plural>(?:"[^\n]*"\n)+))?'
    r'(?P<strs>(?:msgstr(?:\[\d\])? (?:"[^\n]*"\n)+)+)'
)


def _unquote(block: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    return "".join(parts).encode("utf-8").decode("unicode_escape").encode("latin-1").decode()


@dataclass(frozen=True)
class PoEntry:
    context: str | None
    msgid: str
    plural: str | None
    strs: list[str]
    fuzzy: bool


def po_entries(path: Path = PO_FILE) -> list[PoEntry]:
    text = path.read_text(encoding="utf-8") + "\n"
    entries = []
    for match in _ENTRY.finditer(text):
        msgid = _unquote(match["id"])
        if not msgid:
            continue  # the header
        entries.append(
            PoEntry(
                context=_unquote(match["ctx"]) if match["ctx"] else None,
                msgid=msgid,
                plural=_unquote(match["plural"]) if match["plural"] else None,
                strs=[_unquote(b) for b in re.split(r"msgstr(?:\[\d\])? ", match["strs"])[1:]],
                # The flags line follows the "#:" location lines, so look at every comment.
                fuzzy=re.search(r"^#,.*\bfuzzy\b", match["comments"], re.M) is not None,
            )
        )
    return entries


catalogues = pytest.mark.parametrize("po_file", CATALOGUES.values(), ids=CATALOGUES.keys())


@catalogues
def test_every_entry_is_translated_and_none_is_fuzzy(po_file: Path) -> None:
    entries = po_entries(po_file)
    assert len(entries) > (100 if po_file == PO_FILE else 0)
    untranslated = [e.msgid for e in entries if not all(e.strs)]
    fuzzy = [e.msgid for e in entries if e.fuzzy]
    assert untranslated == []
    assert fuzzy == []


@catalogues
def test_compiled_catalogue_matches_the_source(po_file: Path) -> None:
    with po_file.with_suffix(".mo").open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    for entry in po_entries(po_file):
        key = entry.msgid if entry.context is None else f"{entry.context}\x04{entry.msgid}"
        compiled = catalog.get((key, 0) if entry.plural is not None else key)
        assert compiled == entry.strs[0], f"{key!r}: the .mo is stale; run `make messages`"


@pytest.fixture(scope="module")
def fresh_extraction(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the package with its catalogues extracted anew from the code."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("xgettext (Debian package gettext) is missing under CI=true")
        pytest.skip("xgettext is not installed: cannot check the catalogue covers every string")
    copy = tmp_path_factory.mktemp("extraction") / "openkam"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("static", "__pycache__", "tests", "*.mo"),
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "openkam.settings"}
    subprocess.run(
        # The running interpreter's Django: `django-admin` is only on PATH in an activated venv.
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    return copy


@catalogues
def test_catalogue_covers_every_marked_string(po_file: Path, fresh_extraction: Path) -> None:
    """Re-extracted strings without an entry (a new string nobody translated) fail here."""
    fresh_po = fresh_extraction / po_file.relative_to(PACKAGE)
    # Parsed entries, not `^msgid "(.+)"$` lines: long msgids are wrapped (`msgid ""` then
    # continuation lines) and would escape a line-based comparison.
    fresh_ids = {(e.context or "", e.msgid) for e in po_entries(fresh_po)}
    known_ids = {(e.context or "", e.msgid) for e in po_entries(po_file)}
    missing = sorted(fresh_ids - known_ids)
    assert missing == [], f"strings without a zh-hans entry (run `make messages`): {missing[:20]}"
