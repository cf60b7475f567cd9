"""`openkam alerts`: evaluate every alert rule on every account (cron-able).

Prints a progress bar over the rules and a table of what changed, with rich. `--digest` sends
instead each user the daily mail of the alerts raised or escalated for them since the last one,
in their language (cron it once a day, after the evaluation).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from openkam.alerts.notifications import digest_send
from openkam.alerts.rules import RULES
from openkam.alerts.services import Evaluation, alerts_evaluate


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--as-of {value!r} is not a YYYY-MM-DD date") from exc


class Command(BaseCommand):
    help = "Evaluate the alert rules: raise, escalate and resolve alerts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="evaluate as of YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--rule", action="append", choices=sorted(RULES), help="only this rule (repeatable)"
        )
        parser.add_argument(
            "--digest",
            action="store_true",
            help="send the daily digest mails (new and escalated alerts) instead of evaluating",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["digest"]:
            sent = digest_send()
            Console(stderr=True).print(f"digest: {sent} mail(s) sent")
            return
        as_of = _date(options["as_of"])
        keys = options["rule"] or list(RULES)
        console = Console(stderr=True)
        columns = (TextColumn("{task.description:<20}"), BarColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("alerts", total=len(keys))

            def step(key: str) -> None:
                bar.update(task, description=key, completed=keys.index(key))

            result = alerts_evaluate(as_of=as_of, rules=keys, progress=step)
            bar.update(task, completed=len(keys))
        console.print(_table(result))


def _table(result: Evaluation) -> Table:
    table = Table(title="Alerts")
    for name in ("rule", "raised", "updated", "escalated", "resolved"):
        table.add_column(name, justify="left" if name == "rule" else "right")
    for key, counts in result.by_rule.items():
        table.add_row(
            key, *(str(counts[c]) for c in ("created", "updated", "escalated", "resolved"))
        )
    table.add_row(
        "total",
        *(str(n) for n in (result.created, result.updated, result.escalated, result.resolved)),
    )
    return table
