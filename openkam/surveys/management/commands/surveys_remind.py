"""`openkam surveys-remind [--days N]`: a reminder for every survey link that is unanswered,
unexpired and was sent (or last reminded) N days ago or more (default 7): a new link replaces
the old one, mailed where the contact has an address; the links of contacts without one are
printed for the KAM to hand over. Run it again the same day and it reminds nobody. Cron it
daily. Prints what it did."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openkam.common.errors import ValidationError
from openkam.surveys.services import REMIND_AFTER_DAYS, reminders_send


class Command(BaseCommand):
    help = "Remind the contacts who have not answered their survey link after N days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=REMIND_AFTER_DAYS,
            help=f"remind links sent this many days ago or more (default {REMIND_AFTER_DAYS})",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            links = reminders_send(days=options["days"])
        except ValidationError as exc:
            raise CommandError(f"--days {options['days']}: cannot be negative") from exc
        for link in links:
            recipient = link.recipient
            where = (
                f"mailed to {recipient.contact.email}"
                if recipient.contact.email
                else f"no e-mail address, hand over: {link.url}"
            )
            self.stdout.write(
                f"{recipient.campaign.name} · {recipient.account.legal_name} · "
                f"{recipient.contact.name} (reminder {recipient.reminders}): {where}"
            )
        self.stdout.write(
            f"{len(links)} reminder(s) for links unanswered after {options['days']} day(s)"
        )
