"""`openkam refresh`: recompute every account's figures and store today's snapshot.

Runnable from cron; prints progress and the concentration figures with rich.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from rich.console import Console
from rich.table import Table

from openkam.accounts.models import Account
from openkam.portfolio.services import portfolio_refresh
from openkam.team.models import ALL_ACCOUNT_ROLES, User
from openkam.web.dashboard import portfolio_dashboard


def warm_dashboard() -> None:
    """Compute the company-wide dashboard of the newest refresh now, so that the first
    executive to open it after the refresh does not wait for it (seconds at 100,000 accounts).
    Everyone who sees every account shares these figures."""
    viewer = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(role__in=ALL_ACCOUNT_ROLES))
        .order_by("pk")
        .first()
    )
    if viewer is not None:
        portfolio_dashboard(viewer, Account.objects.all(), {})


class Command(BaseCommand):
    help = "Recompute tiers, ABC, CLV, loyalty, matrices, churn and receivables for every account."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="date of the snapshot, YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--no-warm",
            action="store_true",
            help="do not precompute the company-wide dashboard after the refresh",
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
            if not options["no_warm"]:
                status.update("dashboard")
                warm_dashboard()
        table = Table(title=f"Portfolio refresh {run.as_of}")
        table.add_column("figure")
        table.add_column("value", justify="right")
        revenue = run.concentration.get("revenue", {})
        table.add_row("accounts", f"{run.accounts:,}")
        table.add_row("top 20% share of revenue", f"{revenue.get('top_share', 0):.1%}")
        table.add_row("Gini", f"{revenue.get('gini', 0):.3f}")
        table.add_row("tier proposals", str(run.models_fitted.get("tier_proposals", 0)))
        table.add_row("seconds", str(run.models_fitted.get("seconds", "")))
        console.print(table)
