"""The one write path of ledger rows from outside: a file import (``imports/kinds``) and the
API's bulk endpoints (``api/ledger_upsert.py``) both hand their rows, already resolved (account
IDs, product IDs, derived values), to ``KeyedTable.upsert``.

A batch is compared with the stored rows by key (the external ID within the source), the new
rows are inserted and the changed ones updated with one executemany each, and every item gets
its outcome: inserted, updated or unchanged. What the callers differ in stays with them: the
import records the values a change replaced and keeps the keys a run has stored (``Seen``) so a
file cannot overwrite itself; the API validates a whole request first and refuses it whole.

A key seen twice is stored once: the later item is unchanged when it says the same, a conflict
(``Upserted.conflicts``) when it says something else.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import connection, models

from openkam.accounts.models import Account
from openkam.ledger.models import OrderLine

INSERTED, UPDATED, UNCHANGED = "inserted", "updated", "unchanged"
CONFLICT = ""  # an item whose key came earlier in the batch (or run) with other values
CHUNK = 900  # keys per IN (...) query, under every backend's parameter limit

# The values each ledger table takes from outside, in the order the callers give them.
ORDER_FIELDS = ("account_id", "order_no", "order_date", "status", "currency")
LINE_FIELDS = (
    "order_id", "account_id", "product_id", "line_no", "quantity", "unit_price", "unit_cost",
    "amount", "cost", "currency", "promised_date", "delivered_date", "delivered_quantity",
)  # fmt: skip
# A return's original order, written by the file import (the API leaves it out: its default).
ORDER_RETURN_FIELDS = ("original_order_no",)
# An order line's VAT: written by the file import; a writer that leaves them out (the API) gets
# the columns' defaults (no rate, no VAT).
LINE_TAX_FIELDS = ("tax_rate", "tax_amount")
# A line converted from another currency: the file's currency and net amount (the file import
# writes them; the API leaves them out: the columns' defaults, none).
LINE_CURRENCY_FIELDS = ("original_currency", "original_amount")
# An invoice or a payment in another currency: its own currency, amount and the rate used
# (``ledger.currency.document_in_company_currency``; the import and the API both write them).
DOCUMENT_CURRENCY_FIELDS = ("original_currency", "original_amount", "exchange_rate")
INVOICE_FIELDS = (
    "account_id", "order_id", "invoice_no", "invoice_date", "due_date", "amount", "currency",
    *DOCUMENT_CURRENCY_FIELDS,
)  # fmt: skip
PAYMENT_FIELDS = (
    "account_id", "invoice_id", "payment_date", "amount", "currency", "reference",
    *DOCUMENT_CURRENCY_FIELDS,
)  # fmt: skip
COST_FIELDS = ("account_id", "year", "kind", "category", "amount", "currency", "note")


class Seen(Protocol):
    """The keys stored so far by a run of several batches, with the item number that stored
    each (the import's temporary table)."""

    def rows_of(self, table: str, keys: Sequence[str]) -> dict[str, int]: ...

    def add(self, table: str, items: Sequence[tuple[str, int]]) -> None: ...


@dataclass(frozen=True, slots=True)
class Update:
    """One stored row changed: its position in the batch, its id, and its values (in
    ``fields`` order) after and before."""

    at: int
    pk: int
    values: tuple[Any, ...]
    before: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    """An item whose key is already stored by this batch or run with other values: the item
    number (``numbers``) that stored it, None when it is not known."""

    at: int
    key: str
    earlier: int | None


@dataclass
class Upserted:
    """What a batch did: each item's outcome (CONFLICT for the conflicts), the updates, and the
    ids of the stored rows by key."""

    outcomes: list[str]
    ids: dict[str, int]
    updates: list[Update] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)


class KeyedTable:
    """Upserts one model's rows keyed by ``key`` (within a scope, e.g. the source system)."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        key: str = "external_id",
        fields: Sequence[str],
        insert_only: Sequence[str] = (),
    ) -> None:
        self.model = model
        self.key = key
        self.fields = list(fields)
        self.insert_only = list(insert_only)  # written on insert, never compared or updated
        self.table = model._meta.db_table
        self.columns = {f.attname: str(f.column) for f in model._meta.concrete_fields}
        self.as_text = {  # what Django's sqlite3 adapters would make text of (str for both)
            f.attname
            for f in model._meta.concrete_fields
            if f.get_internal_type() in {"DecimalField", "DateField"}
        }
        # Left out of an INSERT when a batch has no value for them: the column's NULL, without
        # binding one per row (SQLite writes such rows markedly faster).
        self.nullable = {f.attname for f in model._meta.concrete_fields if f.null}
        names = set(self.columns)
        self.stamped = "created_at" in names and "updated_at" in names
        self.label = model._meta.label
        # The highest id before the first batch: a stored row above it was written by this run.
        self.watermark: int | None = None

    def upsert(
        self,
        keys: Sequence[str],
        columns: Sequence[Sequence[Any]],
        *,
        scope: dict[str, Any],
        now: dt.datetime,
        numbers: Sequence[int] = (),
        seen: Seen | None = None,
        insert_only: Sequence[Sequence[Any]] = (),
        want_ids: bool = True,
    ) -> Upserted:
        """Store a batch given column by column: the keys, then one list per field (in
        ``fields`` order, then one per insert-only field), aligned. ``numbers`` name the items
        in conflicts and in ``seen`` (file row numbers; positions when left out). The ids are
        those of every key stored now (of the stored ones only, unless want_ids)."""
        if seen is not None and self.watermark is None:
            self.watermark = self._max_id()
        # Without a run's keys (one API request), every stored row is an earlier one.
        watermark = self.watermark if seen is not None else None
        numbers = numbers or range(len(keys))
        unique = list(dict.fromkeys(keys))
        stored = self._stored(unique, scope)
        if not stored and len(unique) == len(keys):  # a new batch: every item inserted
            self._insert(keys, [*columns, *insert_only], scope, now)
            ids = self._ids(keys, scope) if want_ids and keys else {}
            return Upserted([INSERTED] * len(keys), ids)
        # A stored row above the watermark was inserted by this run: the key is a duplicate.
        # One below it may have been updated by an earlier batch: those keys are in `seen`.
        older = [k for k, (pk, _v) in stored.items() if watermark is None or pk <= watermark]
        earlier = seen.rows_of(self.table, older) if older and seen is not None else {}
        older_set = set(older)
        result = Upserted([UNCHANGED] * len(keys), {})
        first: dict[str, tuple[int, tuple[Any, ...]]] = {}
        inserts: list[int] = []
        for at, (k, values) in enumerate(zip(keys, zip(*columns, strict=True), strict=True)):
            if k in first:
                self._duplicate(result, at, k, numbers[first[k][0]], values == first[k][1])
            elif k in stored and (k in earlier or k not in older_set):
                self._duplicate(result, at, k, earlier.get(k), values == stored[k][1])
            else:
                first[k] = (at, values)
                if k not in stored:
                    inserts.append(at)
                    result.outcomes[at] = INSERTED
                elif stored[k][1] != values:
                    result.updates.append(Update(at, stored[k][0], values, stored[k][1]))
                    result.outcomes[at] = UPDATED
        inserted_keys = _pick(keys, inserts)
        self._insert(inserted_keys, [_pick(c, inserts) for c in [*columns, *insert_only]],
                     scope, now)  # fmt: skip
        self._update(result.updates, now)
        if seen is not None:
            seen.add(self.table, [(k, numbers[first[k][0]]) for k in older if k in first])
        result.ids = {k: stored_id for k, (stored_id, _values) in stored.items()}
        if inserted_keys and want_ids:
            result.ids.update(self._ids(inserted_keys, scope))
        return result

    def changed(self, update: Update, *, old: bool) -> dict[str, Any]:
        """The fields an update changed, with their values before (old) or after."""
        return {
            f: was if old else now
            for f, was, now in zip(self.fields, update.before, update.values, strict=True)
            if was != now
        }

    def accounts_left(self, updates: Iterable[Update]) -> set[int]:
        """The accounts updated rows belonged to before (their aggregates change too)."""
        if "account_id" not in self.fields:
            return set()
        where = self.fields.index("account_id")
        return {update.before[where] for update in updates}

    @staticmethod
    def _duplicate(result: Upserted, at: int, k: str, earlier: int | None, same: bool) -> None:
        if not same:
            result.outcomes[at] = CONFLICT
            result.conflicts.append(Conflict(at, k, earlier))

    def _max_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(self.table)}")
            (top,) = cursor.fetchone()
        return int(top or 0)

    def _stored(
        self, keys: Sequence[str], scope: dict[str, Any]
    ) -> dict[str, tuple[int, tuple[Any, ...]]]:
        stored: dict[str, tuple[int, tuple[Any, ...]]] = {}
        ids = ids_by_key(self.model, self.key, keys, **scope)
        if not ids:  # a new batch: skip the ORM's cost of typed values
            return stored
        manager = self.model._default_manager
        found = list(ids.values())
        for start in range(0, len(found), CHUNK):
            query = manager.filter(pk__in=found[start : start + CHUNK])
            for pk, k, *values in query.values_list("pk", self.key, *self.fields):
                stored[str(k)] = (pk, tuple(values))
        return stored

    def _ids(self, keys: Sequence[str], scope: dict[str, Any]) -> dict[str, int]:
        return ids_by_key(self.model, self.key, keys, **scope)

    def _insert(
        self, keys: Sequence[str], columns: Sequence[Sequence[Any]], scope: dict[str, Any],
        now: dt.datetime,
    ) -> None:  # fmt: skip
        """One INSERT per row, bound from the columns (the key, the fields, the insert-only
        fields) without a dict or a tuple of ours per row."""
        if not keys:
            return
        quote = connection.ops.quote_name
        fields = [self.key, *self.fields, *self.insert_only]
        body = [keys, *columns]
        empty = {
            at
            for at, (f, cells) in enumerate(zip(fields, body, strict=True))
            if f in self.nullable and set(map(type, cells)) == {type(None)}
        }
        if empty:
            fields = [f for at, f in enumerate(fields) if at not in empty]
            body = [cells for at, cells in enumerate(body) if at not in empty]
        names = [*scope, *fields]
        constants: list[Any] = list(scope.values())
        constants_tail: list[Any] = []
        if self.stamped:
            names += ["created_at", "updated_at"]
            stamp = connection.ops.adapt_datetimefield_value(now)
            constants_tail = [stamp, stamp]
        sql = (
            f"INSERT INTO {quote(self.table)} "
            f"({', '.join(quote(self.columns[name]) for name in names)}) "
            f"VALUES ({', '.join(['%s'] * len(names))})"
        )
        if connection.vendor == "postgresql":
            rows = len(keys)
            copy_rows(
                self.table,
                [self.columns[name] for name in names],
                zip(
                    *(itertools.repeat(value, rows) for value in constants),
                    *body,
                    *(itertools.repeat(value, rows) for value in constants_tail),
                    strict=True,
                ),
            )
            return
        if connection.vendor == "sqlite":  # as the adapters Django registers, a column at once
            body = [
                as_text(c) if f in self.as_text else c for f, c in zip(fields, body, strict=True)
            ]
        rows = len(keys)
        params = zip(
            *(itertools.repeat(value, rows) for value in constants),
            *body,
            *(itertools.repeat(value, rows) for value in constants_tail),
            strict=True,
        )
        executemany(sql, params)

    def _update(self, updates: list[Update], now: dt.datetime) -> None:
        if not updates:
            return
        quote = connection.ops.quote_name
        sets = [quote(self.columns[f]) + " = %s" for f in self.fields]
        tail: list[Any] = []
        if self.stamped:
            sets.append(quote("updated_at") + " = %s")
            tail = [connection.ops.adapt_datetimefield_value(now)]
        sql = f"UPDATE {quote(self.table)} SET {', '.join(sets)} WHERE {quote('id')} = %s"
        with connection.cursor() as cursor:
            cursor.executemany(sql, [[*u.values, *tail, u.pk] for u in updates])


def _pick(column: Sequence[Any], at: list[int]) -> list[Any]:
    """The cells of a column at the given positions (all of them, in order: the column)."""
    return list(column) if len(at) == len(column) else [column[i] for i in at]


def as_text(cells: Sequence[Any]) -> list[Any]:
    """Decimals and dates as the text Django's sqlite3 adapters would make of them (None kept)."""
    if type(None) not in set(map(type, cells)):  # not `None in`: Decimal == None is slow
        return list(map(str, cells))
    return [None if cell is None else str(cell) for cell in cells]


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL: new rows streamed into the table by COPY, which the server takes several
    times faster than an INSERT per row (the rows bound by psycopg's dumpers, as an INSERT's
    parameters would be). Logged as Django's cursor logs a query (query-count tests)."""
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
    connection.ensure_connection()
    start = time.monotonic()
    with (
        connection.wrap_database_errors,
        connection.connection.cursor() as cursor,
        cursor.copy(sql) as copy,
    ):
        for row in rows:
            copy.write_row(row)
    if connection.queries_logged:
        spent = time.monotonic() - start
        connection.queries_log.append({"sql": sql, "time": f"{spent:.3f}"})


def executemany(sql: str, params: Iterable[Sequence[Any]]) -> None:
    """One statement over many rows; on SQLite through the raw sqlite3 cursor (as the demo
    writer does), which skips the wrapper's per-row work, its errors still Django's and the
    statement still in the query log when one is kept. The caller binds text for decimals and
    dates there (``as_text``)."""
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(sql, list(params))
        return
    connection.ensure_connection()
    start = time.monotonic()
    with connection.wrap_database_errors:
        raw = connection.connection.cursor()
        try:
            raw.executemany(sql.replace("%s", "?"), params)
        finally:
            raw.close()
    if connection.queries_logged:  # counted as Django's cursor counts it (query-count tests)
        spent = time.monotonic() - start
        connection.queries_log.append({"sql": f"(executemany) {sql}", "time": f"{spent:.3f}"})


def ids_by_key(
    model: type[models.Model], key: str, keys: Sequence[str], **scope: Any
) -> dict[str, int]:
    """key -> id of the stored rows among ``keys``."""
    ids: dict[str, int] = {}
    unique = list(dict.fromkeys(keys))
    quote = connection.ops.quote_name
    meta = model._meta
    columns = {f.name: str(f.column) for f in meta.concrete_fields}
    where = [f"{quote(columns[name])} = %s" for name in scope]
    if key == "external_id":
        # The unique index on (source, external_id) is partial (hand-typed rows have no ID): a
        # query uses it only when its WHERE repeats the index's condition.
        where.append(f"NOT ({quote('external_id')} = '')")
    column, pk = quote(columns[key]), quote(str(meta.pk.column if meta.pk else "id"))
    table = quote(meta.db_table)
    with connection.cursor() as cursor:
        if len(unique) > 1 and _ordered_text_index(model, key):
            # The keys' range read from the index at once: on a new file's batch one lookup
            # finds nothing, where an IN list looks up each key. Used when the range holds
            # few other keys.
            wanted = set(unique)
            cursor.execute(
                f"SELECT {column}, {pk} FROM {table} "
                f"WHERE {' AND '.join([*where, f'{column} BETWEEN %s AND %s'])} LIMIT %s",
                [*scope.values(), min(unique), max(unique), 2 * len(unique) + 1],
            )
            found = cursor.fetchall()
            if len(found) <= 2 * len(unique):
                return {str(k): pk for k, pk in found if k in wanted}
        if connection.vendor == "postgresql":  # one array, not an IN list per CHUNK keys
            cursor.execute(
                f"SELECT {column}, {pk} FROM {table} "
                f"WHERE {' AND '.join([*where, f'{column} = ANY(%s)'])}",
                [*scope.values(), unique],
            )
            return {str(k): pk for k, pk in cursor.fetchall()}
        for start in range(0, len(unique), CHUNK):
            chunk = unique[start : start + CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            sql = (
                f"SELECT {column}, {pk} FROM {table} "
                f"WHERE {' AND '.join([*where, f'{column} IN ({marks})'])}"
            )
            cursor.execute(sql, [*scope.values(), *chunk])
            ids.update((str(k), pk) for k, pk in cursor.fetchall())
    return ids


def _ordered_text_index(model: type[models.Model], key: str) -> bool:
    """Whether a range of the key is one index range in the order Python sorts text (on SQLite,
    whose text compares as its bytes; PostgreSQL's order depends on its collation)."""
    if connection.vendor != "sqlite":
        return False
    field = model._meta.get_field(key)
    return key == "external_id" or bool(getattr(field, "unique", False))


def order_lines_delete(*, ids: Sequence[int]) -> None:
    """Delete stored lines an order sent whole no longer has (the API's orders are whole)."""
    if ids:
        OrderLine.objects.filter(pk__in=ids).delete()


def due_dates(
    *,
    invoice_date: Sequence[dt.date],
    due_date: Sequence[dt.date | None],
    account_id: Sequence[int],
    terms: dict[int, int] | None = None,
) -> list[dt.date]:
    """Each invoice's due date: as given, else its date plus its account's payment terms (in
    days). ``terms`` caches the terms read so far (account -> days); one query reads those
    still missing."""
    terms = {} if terms is None else terms
    wanted = {a for a, due in zip(account_id, due_date, strict=True) if due is None} - set(terms)
    if wanted:
        terms.update(Account.objects.filter(pk__in=wanted).values_list("pk", "payment_terms_days"))
    return [
        due if due is not None else day + dt.timedelta(days=terms[account])
        for day, due, account in zip(invoice_date, due_date, account_id, strict=True)
    ]
