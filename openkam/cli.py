"""The `openkam` console script: Django's manage.py for this project."""

from __future__ import annotations

import os
import sys


def command_argv(argv: list[str]) -> list[str]:
    """`openkam plan-pdf ...` runs the `plan_pdf` command: subcommands read with hyphens, as
    command-line tools do, while Django names a command after its module (no command of
    Django's or ours has a hyphen in its name)."""
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        return [argv[0], argv[1].replace("-", "_"), *argv[2:]]
    return argv


def main() -> None:
    argv = command_argv(sys.argv)
    # `openkam analyze` opens no database: its settings install its app alone (a second sooner).
    analyze = argv[1:2] == ["analyze"]
    settings = "openkam.analyze.cli_settings" if analyze else "openkam.settings"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
