"""`openkam tier-review open --year Y --user NAME`, `list`, `show --year Y`,
`submit --year Y --user NAME`: the yearly tier review from the command line, with the same
services (and the same role rules) as its pages: the user named must be an analyst."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.table import Table

from openkam.common.errors import Conflict, PermissionDenied, ValidationError
from openkam.governance import selectors, services
from openkam.portfolio.models import TierProposal, TierReview
from openkam.team.models import User


class Command(BaseCommand):
    help = "Open, list, show and submit the yearly tier review."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["open", "list", "show", "submit"])
        parser.add_argument("--year", type=int)
        parser.add_argument("--user", help="username of the analyst who acts (open, submit)")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        # The wrapper's stream itself: the wrapper ends every write with a newline.
        console = Console(file=cast(IO[str], self.stdout._out), width=120)
        if action == "list":
            self._list(console)
            return
        if options["year"] is None:
            raise CommandError(f"{action} needs --year")
        try:
            if action == "open":
                review = services.review_open(user=self._user(options), year=options["year"])
                console.print(f"opened {review} with {review.proposals.count()} proposals")
            elif action == "submit":
                review = services.review_submit(
                    user=self._user(options), review=self._review(options["year"])
                )
                console.print(f"{review}: {review.get_status_display()}")
            else:
                self._show(console, self._review(options["year"]))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except (Conflict, PermissionDenied) as exc:
            raise CommandError(str(exc)) from exc

    def _user(self, options: dict[str, Any]) -> User:
        if not options["user"]:
            raise CommandError("--user names the analyst who acts")
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']!r}")
        return user

    def _review(self, year: int) -> TierReview:
        review = TierReview.objects.filter(year=year).first()
        if review is None:
            raise CommandError(f"no tier review for {year}")
        return review

    def _list(self, console: Console) -> None:
        table = Table("year", "status", "proposals", "to decide", "opened by")
        for review in TierReview.objects.select_related("opened_by").order_by("-year"):
            counts = selectors.status_counts(review)
            table.add_row(
                str(review.year),
                str(review.get_status_display()),
                str(sum(counts.values())),
                str(counts[TierProposal.Status.PROPOSED]),
                str(review.opened_by or ""),
            )
        console.print(table)

    def _show(self, console: Console, review: TierReview) -> None:
        console.print(f"{review}: {review.get_status_display()}")
        table = Table("id", "account", "current", "proposed", "status", "justification")
        for proposal in selectors.proposals_of(review).order_by("account__legal_name")[:200]:
            table.add_row(
                str(proposal.pk),
                str(proposal.account),
                proposal.current_tier,
                proposal.proposed_tier,
                proposal.status,
                proposal.reason[:60],
            )
        console.print(table)
