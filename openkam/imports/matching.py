"""Which of our accounts a customer in a file is: by the ERP's key, then the credit code, then the
name. Only certain matches are used; the uncertain ones wait for a person (AccountMatch).

Certain: the key is known; the credit code is ours; the name is the same as one account's legal
or short name up to case, width and blanks (and no credit code says otherwise).
Uncertain: the same name only once legal forms are dropped (有限公司, (集团) ...), several accounts
with that name, or a name similar by rapidfuzz. The rows of an uncertain customer are rejected
with the reason, and come in once the match is confirmed and the rejected rows imported again.

Memory grows with the accounts and the distinct customers of the file, never with its rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from openkam.accounts.models import Account
from openkam.imports.models import AccountKey, AccountMatch, ImportRun
from openkam.imports.parsing import basic_name, normalise_name
from openkam.imports.rows import RowRejected

FUZZY_CUTOFF = 80  # one character in six differs: 83


def _no_match() -> str:
    return _("no account matches this customer (by key, credit code or name): import it first")


MAX_CANDIDATES = 3


class NoMatch(RowRejected):
    """No account is this customer, not even an uncertain one (or a person rejected every
    candidate): a kind that may create accounts (transactions) creates it; the others reject
    the row."""


def rejected(found: list[int | RowRejected]) -> bool:
    """Whether a customer of the column was refused (uncertain or without any match)."""
    return any(issubclass(kind, RowRejected) for kind in set(map(type, found)))


@dataclass
class Candidate:
    name: str
    credit_code: str
    account_id: int
    basis: str
    score: int
    rows: int = 0


def customer_key(code: str, name: str) -> str:
    """The file's key of a customer: its code, else its name (for files that have none)."""
    return code or basic_name(name)[:80]


@dataclass
class WriteScope:
    """Whose import it is, for the accounts: which existing accounts its rows may write (None:
    every account, the analyst's and the executive's ERP loads) and the team and owner of the
    accounts it creates (a KAM's: their team and themselves; a director's: their team)."""

    writable: set[int] | None = None
    team_id: int | None = None
    owner_id: int | None = None
    created: list[int] = field(default_factory=list)

    def allows(self, pk: int) -> bool:
        return self.writable is None or pk in self.writable

    def add(self, pk: int) -> None:
        """An account the import created: its own rows write to it."""
        self.created.append(pk)
        if self.writable is not None:
            self.writable.add(pk)


def _not_yours() -> str:
    return _(
        "this customer is an account you may not write (another team's or another owner's): "
        "its owner, its director or an analyst imports its rows"
    )


class AccountResolver:
    def __init__(self, source: str, scope: WriteScope | None = None) -> None:
        self.source = source
        self.scope = scope or WriteScope()
        self.by_key = dict(
            AccountKey.objects.filter(source=source).values_list("external_id", "account_id")
        )
        self.by_credit: dict[str, int] = {}
        self.by_basic: dict[str, list[int]] = defaultdict(list)
        self.by_normal: dict[str, list[int]] = defaultdict(list)
        self.names: dict[int, str] = {}
        self.credit_of: dict[int, str] = {}
        for pk, legal, short, credit in Account.objects.values_list(
            "pk", "legal_name", "short_name", "credit_code"
        ):
            self.add_account(pk, legal, short, credit)
        self.refused = set(
            AccountMatch.objects.filter(
                source=source, status=AccountMatch.Status.REJECTED
            ).values_list("external_id", "account_id")
        )
        self.cache: dict[tuple[str, str, str], int | RowRejected] = {}
        self.new_keys: dict[str, int] = {}
        self.pending: dict[tuple[str, int], Candidate] = {}
        self._normal_names: list[str] | None = None
        self._normal_owner: list[int] = []

    def add_account(self, pk: int, legal: str, short: str, credit: str) -> None:
        self.names[pk] = legal
        self.credit_of[pk] = credit
        if credit:
            self.by_credit[credit] = pk
        for name in {legal, short} - {""}:
            if pk not in self.by_basic[basic_name(name)]:
                self.by_basic[basic_name(name)].append(pk)
            normal = normalise_name(name)
            if normal and pk not in self.by_normal[normal]:
                self.by_normal[normal].append(pk)
        self._normal_names = None

    def known(self, code: str) -> int | None:
        return self.by_key.get(code) if code else None

    def resolve(self, *, code: str, name: str, credit_code: str, row: int) -> int:
        cache_key = (code, name, credit_code)
        found = self.cache.get(cache_key)
        if found is None:
            found = self._resolve(code, name, credit_code)
            self.cache[cache_key] = found
        if isinstance(found, RowRejected):
            key = customer_key(code, name)
            for (pending_key, _account), candidate in self.pending.items():
                if pending_key == key:
                    candidate.rows += 1
            raise found
        return found

    def resolve_column(
        self, codes: list[str], names: list[str], credit_codes: list[str]
    ) -> list[int | RowRejected]:
        """``resolve`` for a batch's rows at once: each distinct customer resolved once, the
        rows of an uncertain one counted for its pending matches; a rejected row's entry is
        the RowRejected it would raise."""
        customers = list(zip(codes, names, credit_codes, strict=True))
        for customer in dict.fromkeys(customers):
            account = self.cache.get(customer)
            if account is None:
                account = self.cache[customer] = self._resolve(*customer)
        found = list(map(self.cache.__getitem__, customers))
        if rejected(found):
            waiting = Counter(
                customer_key(code, name)
                for (code, name, _credit), account in zip(customers, found, strict=True)
                if isinstance(account, RowRejected)
            )
            for (pending_key, _account), candidate in self.pending.items():
                candidate.rows += waiting.get(pending_key, 0)
        return found

    def _resolve(self, code: str, name: str, credit: str) -> int | RowRejected:
        """The customer's account, refused when the import's user may not write to it (the
        row is rejected naming the customer column that matched, its key not learnt)."""
        found = self._match(code, name, credit)
        if isinstance(found, RowRejected) or self.scope.allows(found):
            return found
        key = customer_key(code, name)
        if key and self.new_keys.get(key) == found:
            del self.new_keys[key]
            del self.by_key[key]
        if key and code and self.by_key.get(key) == found:
            column, value = "customer_code", code
        elif credit and self.by_credit.get(credit) == found:
            column, value = "credit_code", credit
        else:
            column, value = ("customer_name", name) if name else ("customer_code", code)
        return RowRejected(column, value, _not_yours())

    def _match(self, code: str, name: str, credit: str) -> int | RowRejected:
        key = customer_key(code, name)
        if key and key in self.by_key:
            return self.by_key[key]
        if credit and credit in self.by_credit:
            return self._remember(key, self.by_credit[credit])
        basic = basic_name(name) if name else ""
        exact = [pk for pk in self.by_basic.get(basic, []) if self._compatible(pk, credit)]
        if len(exact) == 1:
            return self._remember(key, exact[0])
        if len(exact) > 1:
            return self._uncertain(key, name, credit, exact, AccountMatch.Basis.AMBIGUOUS, 100)
        if name:
            normal = normalise_name(name)
            same = [pk for pk in self.by_normal.get(normal, []) if self._compatible(pk, credit)]
            if same:
                return self._uncertain(key, name, credit, same, AccountMatch.Basis.NAME, 99)
            similar = self._similar(normal, credit)
            if similar:
                best = max(score for _pk, score in similar)
                pks = [pk for pk, _score in similar]
                return self._uncertain(key, name, credit, pks, AccountMatch.Basis.FUZZY, best)
        column = "credit_code" if credit else ("customer_name" if name else "customer_code")
        return NoMatch(column, credit or name or code, _no_match())

    def _compatible(self, pk: int, credit: str) -> bool:
        ours = self.credit_of.get(pk, "")
        return not (credit and ours and credit != ours)

    def _similar(self, normal: str, credit: str) -> list[tuple[int, int]]:
        if not normal:
            return []
        if self._normal_names is None:
            self._normal_names, self._normal_owner = [], []
            for text, pks in self.by_normal.items():
                for pk in pks:
                    self._normal_names.append(text)
                    self._normal_owner.append(pk)
        hits = process.extract(
            normal,
            self._normal_names,
            scorer=fuzz.ratio,
            score_cutoff=FUZZY_CUTOFF,
            limit=MAX_CANDIDATES,
        )
        found: dict[int, int] = {}
        for _text, score, index in hits:
            pk = self._normal_owner[index]
            if self._compatible(pk, credit):
                found[pk] = max(found.get(pk, 0), round(score))
        return list(found.items())

    def _remember(self, key: str, pk: int) -> int:
        if key and key not in self.by_key:
            self.by_key[key] = pk
            self.new_keys[key] = pk
        return pk

    def _uncertain(
        self, key: str, name: str, credit: str, pks: list[int], basis: str, score: int
    ) -> RowRejected:
        waiting = [pk for pk in pks if (key, pk) not in self.refused]
        if not waiting:
            return NoMatch("customer_name", name, _no_match())
        if not all(map(self.scope.allows, waiting)):
            # An account the user may not write resembles the customer: neither named (it may
            # be one they do not see) nor created again beside it; an analyst decides.
            return RowRejected("customer_name", name, _(
                "this customer may be an account you may not write: an analyst confirms or "
                "rejects the match on the imports page"))  # fmt: skip
        for pk in waiting:
            self.pending.setdefault((key, pk), Candidate(name, credit, pk, basis, score))
        names = "、".join(self.names[pk] for pk in waiting)
        return RowRejected(
            "customer_name",
            name,
            _(
                "this customer may be the account %(names)s: confirm or reject the match on the "
                "imports page, then import the rejected rows again"
            )
            % {"names": names},
        )

    def flush_keys(self) -> None:
        """Store the keys learnt from certain matches, so the next files match by key."""
        if self.new_keys:
            AccountKey.objects.bulk_create(
                [AccountKey(source=self.source, external_id=k, account_id=pk)
                 for k, pk in self.new_keys.items()],
                ignore_conflicts=True,
            )  # fmt: skip
            self.new_keys = {}

    def flush_matches(self, run: ImportRun) -> int:
        """Record the uncertain matches for a person; returns how many are waiting."""
        for (key, pk), candidate in self.pending.items():
            match, created = AccountMatch.objects.get_or_create(
                source=self.source,
                external_id=key,
                account_id=pk,
                defaults={
                    "name": candidate.name[:200],
                    "credit_code": candidate.credit_code,
                    "basis": candidate.basis,
                    "score": candidate.score,
                    "run": run,
                    "rows_waiting": candidate.rows,
                },
            )
            if not created and match.status == AccountMatch.Status.PENDING:
                match.run, match.rows_waiting = run, candidate.rows
                match.save(update_fields=["run", "rows_waiting"])
        return len(self.pending)
