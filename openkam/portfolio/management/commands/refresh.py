"""`openkam refresh`: recompute every account's figures and store today's snapshot.

Runnable from cron; prints progress and the concentration figures with rich.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from openkam.portfolio.hooks import run_after_refresh
from openkam.portfolio.services import portfolio_refresh


class Command(BaseCommand):
    help = "Recompute tiers, ABC, CLV, loyalty, matrices, churn and receivables for every account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="date of the snapshot, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--no-warm",
            action="store_true",
            help="skip precomputing the company-wide dashboard (objectives are still measured)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = None
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError(
                    f"--as-of {options['as_of']!r} is not a YYYY-MM-DD date"
                ) from exc
        console = Console(stderr=True)
        with console.status("refreshing the portfolio") as status:
            run = portfolio_refresh(as_of=as_of, progress=lambda step: status.update(step))
            status.update("after the refresh")
            run_after_refresh(run.as_of, warm=not options["no_warm"])
        table = Table(title=f"Portfolio refresh {run.as_of}")
        table.add_column("figure")
        table.add_column("value", justify="right")
        revenue = run.concentration.get("revenue", {})
        table.add_row("accounts", f"{run.accounts:,}")
        table.add_row("top 20% share of revenue", f"{revenue.get('top_share', 0):.1%}")
        table.add_row("Gini", f"{revenue.get('gini', 0):.3f}")
        table.add_row("tier changes by the policy", str(run.models_fitted.get("tier_changes", 0)))
        table.add_row("seconds", str(run.models_fitted.get("seconds", "")))
        console.print(table)
