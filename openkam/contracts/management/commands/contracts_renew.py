"""`openkam contracts-renew [--as-of DATE]`: contracts that renew automatically and whose end
has passed roll over to their next term (the same runs after every refresh); cron it daily
where the refresh runs less often. Prints each renewal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from openkam.contracts.services import contracts_roll_over


class Command(BaseCommand):
    help = "Roll contracts that renew automatically over to their next term once they end."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", help="the day to renew as of, YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        as_of = timezone.localdate()
        if options["as_of"]:
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError as exc:
                raise CommandError(
                    f"--as-of {options['as_of']!r} is not a YYYY-MM-DD date"
                ) from exc
        made = contracts_roll_over(as_of=as_of)
        for contract in made:
            self.stdout.write(
                f"{contract.renews.number if contract.renews else ''} -> {contract.number} "
                f"{contract.starts_on:%Y-%m-%d} to {contract.ends_on:%Y-%m-%d}"
            )
        self.stdout.write(f"{len(made)} contract(s) renewed automatically as of {as_of}")
