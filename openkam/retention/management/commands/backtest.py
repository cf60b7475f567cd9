"""`openkam backtest`: replay every alert rule on the history and store how well it warned
(openkam.retention.backtest). Prints a progress bar, then each rule's figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from openkam.alerts.rules import RULES
from openkam.retention.backtest import replay_dates, run_backtest
from openkam.retention.models import RuleBacktest


def _date(value: str | None, option: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{option} {value!r} is not a YYYY-MM-DD date") from exc


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _table(rows: list[RuleBacktest]) -> Table:
    table = Table(title="Backtest")
    for name in ("rule", "outcome", "watched", "raised", "then bad", "precision", "bad",
                 "caught", "recall", "base rate"):  # fmt: skip
        table.add_column(name, justify="left" if name in {"rule", "outcome"} else "right")
    for row in rows:
        if row.note and not row.replay_dates:
            table.add_row(row.rule, row.note, *("—",) * 8)
            continue
        table.add_row(
            row.rule, row.outcome, str(row.accounts), str(row.raised),
            str(row.raised_then_bad), _share(row.precision), str(row.bad), str(row.caught),
            _share(row.recall), _share(row.base_rate),
        )  # fmt: skip
    return table


class Command(BaseCommand):
    help = "Replay the alert rules on the history: how often their alerts came true."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", help="replay as if today were YYYY-MM-DD")
        parser.add_argument("--horizon", type=int, default=6, help="months watched (default 6)")
        parser.add_argument("--late-days", type=int, default=30, help="days past due = late")
        parser.add_argument(
            "--rule", action="append", choices=sorted(RULES), help="only this rule (repeatable)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = _date(options["today"], "--today") or timezone.localdate()
        if options["horizon"] < 1:
            raise CommandError("--horizon must be at least 1 month")
        keys = options["rule"] or list(RULES)
        dates = replay_dates(today)
        console = Console(stderr=True)
        steps = [f"{d} {k}" for d in dates for k in keys]
        columns = (TextColumn("{task.description:<36}"), BarColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=True) as bar:
            task = bar.add_task("backtest", total=max(len(steps), 1))

            def step(label: str) -> None:
                bar.update(task, description=label, advance=1)

            rows = run_backtest(
                today=today,
                horizon_months=options["horizon"],
                late_days=options["late_days"],
                dates=dates,
                rules=keys,
                progress=step,
            )
        out = Console(file=self.stdout, width=140)  # type: ignore[arg-type]
        if not dates:
            out.print("No refresh between 12 and 6 months ago: nothing to replay.")
        out.print(_table(rows))
