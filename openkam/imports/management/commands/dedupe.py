"""`openkam dedupe`: list likely duplicate accounts; merge two (--merge KEEP_ID DROP_ID); undo a
merge (--undo MERGE_ID)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rich.console import Console
from rich.table import Table

from openkam.accounts.models import Account
from openkam.imports.merging import (
    MergeError,
    account_duplicates,
    account_merge,
    account_merge_undo,
)
from openkam.imports.models import AccountMerge
from openkam.imports.selectors import duplicate_reason_labels
from openkam.team.models import User


class Command(BaseCommand):
    help = "List likely duplicate accounts, merge two of them, or undo a merge."

    def add_arguments(self, parser: CommandParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--merge", nargs=2, type=int, metavar=("KEEP_ID", "DROP_ID"))
        group.add_argument("--undo", type=int, metavar="MERGE_ID")
        parser.add_argument("--limit", type=int, default=50, help="pairs listed (default 50)")
        parser.add_argument("--user", help="username recorded for the merge or undo")

    def handle(self, *args: Any, **options: Any) -> None:
        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("no user %(name)s") % {"name": options["user"]})
        try:
            if options["merge"]:
                self._merge(*options["merge"], user=user)
            elif options["undo"]:
                self._undo(options["undo"], user=user)
            else:
                self._list(options["limit"])
        except (MergeError, Account.DoesNotExist, AccountMerge.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc

    def _merge(self, keep_id: int, drop_id: int, *, user: User | None) -> None:
        keep, drop = Account.objects.get(pk=keep_id), Account.objects.get(pk=drop_id)
        merge = account_merge(keep=keep, drop=drop, user=user)
        moved = sum(len(ids) for fields in merge.moved.values() for ids in fields.values())
        text = _("Merged %(drop)s into %(keep)s: %(moved)s rows moved, %(aside)s set aside.")
        self.stdout.write(
            text
            % {"drop": merge.dropped_name, "keep": keep, "moved": moved,
               "aside": len(merge.set_aside)}
        )  # fmt: skip
        self.stdout.write(_("Undo with: openkam dedupe --undo %(id)s") % {"id": merge.pk})

    def _undo(self, merge_id: int, *, user: User | None) -> None:
        merge = AccountMerge.objects.get(pk=merge_id)
        account = account_merge_undo(merge=merge, user=user)
        text = _("Merge %(id)s undone: %(name)s is back.")
        self.stdout.write(text % {"id": merge_id, "name": account})

    def _list(self, limit: int) -> None:
        pairs = account_duplicates(list(Account.objects.order_by("pk")))
        labels = duplicate_reason_labels()
        table = Table(title=_("Likely duplicate accounts"))
        for heading in ("ID", _("Account"), "ID", _("Account"), _("Score"), _("Why")):
            table.add_column(str(heading))
        for pair in pairs[:limit]:
            table.add_row(
                str(pair.first.pk), pair.first.legal_name, str(pair.second.pk),
                pair.second.legal_name, str(pair.score),
                ", ".join(str(labels[r]) for r in pair.reasons),
            )  # fmt: skip
        Console(file=self.stdout, width=160).print(table)  # type: ignore[arg-type]
        text = ngettext("%(count)s pair.", "%(count)s pairs.", len(pairs))
        self.stdout.write(text % {"count": len(pairs)})
