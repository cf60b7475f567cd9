"""`openkam plan_figures [--fix]` checks the figures the plans overview reads from each plan
(objectives behind, open show stoppers, resources asked and granted, last review) against
the same figures computed now from the plans' parts; it lists every difference and fails,
or with --fix recomputes every plan's figures."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openkam.plans.figures import plan_figures_mismatches, plan_figures_refresh

SHOWN = 20


class Command(BaseCommand):
    help = "Check the plans' stored overview figures against their parts (--fix recomputes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fix", action="store_true", help="recompute every plan's figures")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["fix"]:
            updated = plan_figures_refresh()
            self.stdout.write(f"{updated} plans' figures recomputed")
        found = plan_figures_mismatches()
        for item in found[:SHOWN]:
            self.stdout.write(
                f"plan {item.plan_id}: {item.figure} stored {item.stored}, computed {item.computed}"
            )
        if found:
            more = f" ({len(found) - SHOWN} more not shown)" if len(found) > SHOWN else ""
            raise CommandError(f"{len(found)} stored figures differ from their parts{more}")
        self.stdout.write("every plan's stored figures match its parts")
