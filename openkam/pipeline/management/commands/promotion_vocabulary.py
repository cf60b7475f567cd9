"""`openkam promotion_vocabulary`: write and compile the investment-promotion mode's
catalogues (openkam/pipeline/promotion_locale/{zh_Hans,en}) from the apps' catalogues and the
rules of openkam/pipeline/vocabulary.py. Run it after `make messages` changed a catalogue."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from openkam.pipeline.vocabulary import promotion_entries, source_catalogues, write_po


class Command(BaseCommand):
    help = "Write and compile the investment-promotion mode's vocabulary catalogues."

    def handle(self, *args: Any, **options: Any) -> None:
        target = Path(settings.PROMOTION_LOCALE)
        own = Path(settings.BASE_DIR)
        folders = [
            Path(config.path) / "locale"
            for config in apps.get_app_configs()
            if Path(config.path).is_relative_to(own)
        ]
        chinese, english = promotion_entries(source_catalogues(own, folders))
        for language, entries in (("zh_Hans", chinese), ("en", english)):
            po = target / language / "LC_MESSAGES" / "django.po"
            count = write_po(po, language, entries)
            result = subprocess.run(
                ["msgfmt", "--check-format", "-o", str(po.with_suffix(".mo")), str(po)],
                capture_output=True,
                text=True,
                check=False,
            )
            if result.returncode:
                raise CommandError(f"msgfmt {po}: {result.stderr.strip()}")
            self.stdout.write(f"{language}: {count} messages in {po}")
