"""Reads of the imports app."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import overload

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import accounts_editable_by, user_writes
from openkam.imports.matching import WriteScope
from openkam.imports.merging import DuplicatePair, account_duplicates
from openkam.imports.models import AccountMatch, AccountMerge, ImportRun, Kind
from openkam.team.models import Role, Team, TeamMembership, User


def import_permitted(user: User) -> bool:
    """Imports write across every account: only who sees every account may (executives,
    analysts, who run the ERP loads and the yearly classification, administrators). The
    matches, the duplicates and the merges stay theirs."""
    return bool(user.is_authenticated and user.is_active and user.sees_all_accounts)


# What a KAM or a director may import: the ledger of their own accounts. The account master,
# contacts, products (the catalogue), deliveries (keyed by another's order lines) and costs
# stay with the ERP loads of who sees every account.
OWN_LEDGER_KINDS = (Kind.TRANSACTIONS, Kind.ORDERS, Kind.INVOICES, Kind.PAYMENTS)


def upload_permitted(user: User) -> bool:
    """Who may upload a file: who imports across every account, and the roles that write
    accounts (KAMs, directors), within the accounts they may write (``import_scope``)."""
    return import_permitted(user) or user_writes(user)


def kinds_for(user: User) -> list[tuple[str, str]]:
    """The kinds the upload form offers the user (value, label)."""
    if import_permitted(user):
        return [(str(value), str(label)) for value, label in Kind.choices]
    return [(str(kind), str(kind.label)) for kind in OWN_LEDGER_KINDS]


def import_scope(user: User | None) -> WriteScope:
    """Which accounts a user's import may write, and whose the accounts it creates are: every
    account for who sees them all (and the command line's imports, run by no user), today's
    behaviour; a KAM's or a director's, the accounts they may write (the one write rule,
    accounts_editable_by), the new ones in their team (the first they direct, else belong to)
    and, a KAM's, owned by them."""
    if user is None or import_permitted(user):
        return WriteScope()
    writable = set(accounts_editable_by(user).values_list("pk", flat=True))
    directed = Team.objects.filter(director=user).order_by("pk").values_list("pk", flat=True)
    member = TeamMembership.objects.filter(user=user).order_by("team_id")
    team_id = directed.first() if user.role == Role.DIRECTOR else None
    if team_id is None:
        team_id = member.values_list("team_id", flat=True).first()
    owner_id = user.pk if user.role == Role.KAM else None
    return WriteScope(writable=writable, team_id=team_id, owner_id=owner_id)


def runs_of(user: User) -> QuerySet[ImportRun]:
    """The runs a user may open: every run for who imports across all accounts, else their
    own (another's run is absent: 404)."""
    runs = ImportRun.objects.select_related("user")
    return runs if import_permitted(user) else runs.filter(user=user)


def merge_permitted(user: User) -> bool:
    """Merging two accounts (and undoing it) changes accounts themselves, which analysts,
    a reading role apart from their imports, may not: who imports and also writes."""
    return import_permitted(user) and user_writes(user)


def runs_listed(
    user: User, *, kind: str = "", status: str = "", query: str = ""
) -> QuerySet[ImportRun]:
    runs = runs_of(user)
    if kind:
        runs = runs.filter(kind=kind)
    if status:
        runs = runs.filter(status=status)
    if query:
        runs = runs.filter(file_name__icontains=query) | runs.filter(source__icontains=query)
    return runs.order_by("-started_at", "-id")


def matches_pending(*, query: str = "") -> QuerySet[AccountMatch]:
    matches = AccountMatch.objects.filter(status=AccountMatch.Status.PENDING)
    if query:
        matches = matches.filter(name__icontains=query) | matches.filter(
            account__legal_name__icontains=query
        )
    return matches.select_related("account").order_by("-rows_waiting", "-score", "id")


def merges_recent() -> QuerySet[AccountMerge]:
    return AccountMerge.objects.select_related("kept", "merged_by", "undone_by").order_by(
        "-merged_at", "-id"
    )


def duplicate_reason_labels() -> dict[str, Promise]:
    return {
        "credit_code": _("same organisation code in the credit code"),
        "name": _("similar name"),
        "phone": _("same phone"),
        "address": _("same address"),
        "distinct_credit_codes": _("but different credit codes: most likely two companies"),
    }


@dataclass(frozen=True)
class RejectedRow:
    row: str
    column: str
    value: str
    reason: str


class RejectedRows(Sequence[RejectedRow]):
    """The rows of a run's rejected-rows file, read a page at a time (the file can be large)."""

    def __init__(self, run: ImportRun) -> None:
        self.path = Path(run.rejected_file) if run.rejected_file else None
        self.size = run.rows_rejected if self.path and self.path.is_file() else 0
        self.headers: list[str] = []
        if self.size and self.path:
            with self.path.open(encoding="utf-8-sig", newline="") as handle:
                self.headers = next(csv.reader(handle), [])

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> RejectedRow: ...

    @overload
    def __getitem__(self, index: slice) -> list[RejectedRow]: ...

    def __getitem__(self, index: int | slice) -> RejectedRow | list[RejectedRow]:
        if isinstance(index, int):
            return self[index : index + 1][0]
        start, stop, _step = index.indices(self.size)
        if not self.path or start >= stop:
            return []
        with self.path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            next(reader, None)
            return [self._row(cells) for cells in itertools.islice(reader, start, stop)]

    def _row(self, cells: list[str]) -> RejectedRow:
        *original, row, column, reason = cells
        where = self.headers.index(column) if column in self.headers[:-3] else -1
        value = original[where] if 0 <= where < len(original) else ""
        return RejectedRow(row=row, column=column, value=value, reason=reason)


def duplicates_listed(*, query: str = "") -> list[DuplicatePair]:
    """Likely duplicate pairs among all accounts; with a query, the pairs naming it."""
    pairs = account_duplicates(list(Account.objects.order_by("pk")))
    if query:
        pairs = [p for p in pairs if query in p.first.legal_name or query in p.second.legal_name]
    return pairs
