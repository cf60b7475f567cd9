"""`openkam analyze` starts with its own settings (openkam.analyze.cli_settings: this app alone
installed, no models imported); its translations and its outputs are the project's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from openkam.analyze.tests.helpers import analyze_json, write_csv
from openkam.analyze.tests.test_no_database import SMALL

CATALOGUE = """
import json, django
from django.conf import settings
from django.utils.translation import trans_real
django.setup()
catalogue = trans_real.translation("zh-hans")._catalog
print(json.dumps({"apps": settings.INSTALLED_APPS,
                  "catalogue": {repr(key): catalogue[key] for key in set(catalogue.keys())}}))
"""


def run(args: list[str], settings: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    if settings is not None:
        env["DJANGO_SETTINGS_MODULE"] = settings
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=root, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_the_command_settings_translate_as_the_project_does() -> None:
    # Both catalogues read fresh from disk, each in its own process (one loaded earlier in this
    # one may predate a catalogue compiled since).
    loaded = json.loads(run(["-c", CATALOGUE], "openkam.analyze.cli_settings"))
    project = json.loads(run(["-c", CATALOGUE], "openkam.settings"))
    assert loaded["apps"] == ["openkam.analyze"]
    assert len(project["apps"]) > 20
    assert len(project["catalogue"]) > 1000
    assert loaded["catalogue"] == project["catalogue"]


def without_timings(document: dict[str, Any]) -> dict[str, Any]:
    for model in document["models"].values():
        if isinstance(model, dict):
            model.pop("seconds")
    return document


def test_openkam_analyze_uses_them_and_gives_the_same_document(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "small.csv", SMALL)
    # The console script as a user runs it (no DJANGO_SETTINGS_MODULE in the environment).
    code = "import sys; from openkam.cli import main; sys.argv[0] = 'openkam'; main()"
    started = run(["-c", code, "analyze", str(path), "--json", "--language", "zh-hans"], None)
    expected = analyze_json(str(path), "--language", "zh-hans")
    assert without_timings(json.loads(started)) == without_timings(expected)
    notes = [note["text"] for note in json.loads(started)["notes"]]
    assert any(text.startswith("重点客户还需要行业领先地位") for text in notes)


def test_other_commands_keep_the_project_settings() -> None:
    code = (
        "import sys, os; from openkam.cli import main; "
        "sys.argv = ['openkam', 'diffsettings', '--all']; main()"
    )
    output = run(["-c", code], None)
    assert "openkam.accounts" in output


def test_the_console_script_picks_the_settings_by_command(monkeypatch: Any) -> None:
    from openkam import cli

    seen: list[tuple[list[str], str]] = []
    monkeypatch.setattr(
        "django.core.management.execute_from_command_line",
        lambda argv: seen.append((argv, os.environ["DJANGO_SETTINGS_MODULE"])),
    )
    for argv in (["openkam", "analyze", "x.csv"], ["openkam", "plan-pdf", "1"]):
        monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
        monkeypatch.setattr(sys, "argv", argv)
        cli.main()
    assert seen == [
        (["openkam", "analyze", "x.csv"], "openkam.analyze.cli_settings"),
        (["openkam", "plan_pdf", "1"], "openkam.settings"),
    ]
