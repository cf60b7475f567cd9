"""`openkam plan_pdf PLAN_ID --out FILE [--lang zh-hans|en] [--customer]` prints an account
plan to a PDF file, as the plan page's PDF link does (the operator sees every plan)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from openkam.common.errors import NotFound
from openkam.plans.pdf import plan_for_pdf, render_plan_pdf


class Command(BaseCommand):
    help = "Print an account plan to a PDF file (internal, or the customer's version)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("plan_id", metavar="PLAN_ID", type=int)
        parser.add_argument("--out", required=True, type=Path, metavar="FILE")
        parser.add_argument(
            "--lang", choices=[code for code, _name in settings.LANGUAGES], default=None
        )
        parser.add_argument(
            "--customer",
            action="store_true",
            help="leave out weaknesses, risks, resources, reviews and internal notes",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            plan = plan_for_pdf(options["plan_id"])
        except NotFound as exc:
            raise CommandError(f"no plan with ID {options['plan_id']}") from exc
        pdf = render_plan_pdf(
            plan,
            language=options["lang"] or settings.LANGUAGE_CODE,
            customer=options["customer"],
        )
        try:
            options["out"].write_bytes(pdf)
        except OSError as exc:
            raise CommandError(f"cannot write {options['out']}: {exc.strerror}") from exc
        self.stdout.write(f"{options['out']} ({len(pdf) // 1024} KB)")
