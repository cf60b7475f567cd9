"""The settings of `openkam analyze` run as a command: the project's settings with this app
alone installed, so that Django starts without importing every app's models (about a second and
60 MiB that the analysis never uses: it opens no database).

The translations stay the project's: every installed app's catalogue is in LOCALE_PATHS, after
the project's own and in the order of INSTALLED_APPS, which is the precedence Django gives them
(tests/test_command_settings.py compares the catalogues)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from openkam import settings as project
from openkam.settings import *  # noqa: F403


def app_locale_paths(apps: list[str]) -> list[Path]:
    """Each app's ``locale`` folder, in the order of ``apps``, found without importing the apps."""
    paths = []
    for name in apps:
        spec = importlib.util.find_spec(name)
        folders = list(spec.submodule_search_locations or []) if spec is not None else []
        paths += [Path(folder) / "locale" for folder in folders[:1]]
    return [path for path in paths if path.is_dir()]


# polars' allocator (jemalloc) hands freed pages back at once instead of keeping them for
# seconds: 40-50 MiB less peak memory at 200,000 customers, no measurable CPU. jemalloc reads it
# when polars is first imported, which these settings come before; a value already set wins.
os.environ.setdefault("_RJEM_MALLOC_CONF", "dirty_decay_ms:0,muzzy_decay_ms:0")

INSTALLED_APPS = ["openkam.analyze"]
LOCALE_PATHS = [*project.LOCALE_PATHS, *app_locale_paths(project.INSTALLED_APPS)]
