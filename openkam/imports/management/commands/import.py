"""`openkam import KIND FILE`: import an ERP export of one kind, with the engine of the upload page.

Progress goes to stderr, so with --json stdout holds only the counts. The exit code is 0 when the
import ran (even with rejected rows), 1 when it could not run or --atomic refused it; then one
line says why (never a traceback: the run is recorded as failed with the same reason).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from openkam.imports import presets
from openkam.imports.kinds import KINDS
from openkam.imports.models import ImportRun
from openkam.imports.services import ImportFailed, import_run
from openkam.team.models import User


def mapping_item(text: str) -> tuple[str, str]:
    field_name, sep, header = text.partition("=")
    if not sep or not field_name.strip() or not header.strip():
        raise ValueError(text)
    return field_name.strip(), header.strip()


MESSAGE_CHARS = 500


def one_line(text: str) -> str:
    """A message as one line of reasonable length, whatever the file put in it."""
    text = " ".join(text.split())
    return text if len(text) <= MESSAGE_CHARS else text[: MESSAGE_CHARS - 1] + "…"


class Command(BaseCommand):
    help = "Import an ERP export (CSV or XLSX) of accounts, contacts, products, orders, invoices, "
    help += "payments or costs to serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", default="erp", help="source system (default %(default)s)")
        parser.add_argument("--encoding", help="file encoding (default: detected)")
        parser.add_argument("--sheet", help="spreadsheet sheet (default: the first)")
        parser.add_argument(
            "--map",
            dest="mapping",
            type=mapping_item,
            action="append",
            default=[],
            metavar="FIELD=HEADER",
            help="read FIELD from the column HEADER (repeatable)",
        )
        parser.add_argument(
            "--preset",
            choices=[presets.NONE, *presets.PRESETS],
            metavar="PRESET",
            help="the ERP export the file is (default: recognised from its header); "
            f"'{presets.NONE}' for none; one of: {', '.join(presets.PRESETS)}",
        )
        parser.add_argument(
            "--save-mapping", action="store_true", help="remember --map for this source and kind"
        )
        parser.add_argument(
            "--atomic", action="store_true", help="apply nothing if any row is rejected"
        )
        parser.add_argument("--user", help="username recorded as the importer")
        parser.add_argument("--json", action="store_true", help="print the counts as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("no user %(name)s") % {"name": options["user"]})
        console = Console(stderr=True)
        columns = (
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, console=console, transient=options["json"]) as bar:
            task = bar.add_task(_("Importing %(file)s") % {"file": options["file"].name})

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            try:
                run = import_run(
                    kind=options["kind"],
                    path=options["file"],
                    user=user,
                    source=options["source"],
                    atomic=options["atomic"],
                    encoding=options["encoding"],
                    sheet=options["sheet"],
                    mapping=dict(options["mapping"]),
                    save_mapping=options["save_mapping"],
                    progress=progress,
                    preset=options["preset"],
                )
            except ImportFailed as exc:
                notes = exc.run.notes if exc.run is not None else []
                raise CommandError(one_line("; ".join([*notes, str(exc)]))) from None
            except Exception as exc:  # recorded on the run by import_run; one line here
                error = str(exc) or type(exc).__name__
                message = _("unexpected error: %(error)s") % {"error": error}
                raise CommandError(one_line(message)) from exc
        self._report(run, as_json=options["json"], console=console)
        if run.status == ImportRun.Status.REFUSED:
            raise CommandError(one_line(run.message))

    def _report(self, run: ImportRun, *, as_json: bool, console: Console) -> None:
        counts: dict[str, Any] = dict(run.counts())
        if run.rows_rejected:
            counts["rejected_file"] = run.rejected_file
        preset = presets.PRESETS.get(run.preset)
        if as_json:
            counts.update(status=run.status, run=run.pk, notes=run.notes)
            counts["preset"] = {"key": preset.key, "name": preset.name} if preset else None
            self.stdout.write(json.dumps(counts, ensure_ascii=False))
            return
        for note in run.notes:
            self.stdout.write(one_line(note))
        labels = {
            "read": _("read"),
            "inserted": _("inserted"),
            "updated": _("updated"),
            "unchanged": _("unchanged"),
            "rejected": _("rejected"),
            "not_applied": _("not applied"),
            "rejected_file": _("rejected rows"),
        }
        for name, value in counts.items():
            self.stdout.write(f"{labels[name]}: {value}")
