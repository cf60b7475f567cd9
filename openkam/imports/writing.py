"""Upserts in batches: compare a batch with the stored rows by key, insert the new ones and update
the changed ones with one executemany each, record the values a change replaced, and count.

A key seen twice in one file is stored once: the later row is "unchanged" when it says the same,
rejected when it says something else (so the file cannot overwrite itself and a re-import stays
a no-op). Keys already written by the run live in a temporary table, not in memory, so memory
does not grow with the file.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, Protocol

from django.db import connection, models
from django.utils.translation import gettext as _

from openkam.imports.models import ImportChange, ImportRun
from openkam.imports.rows import INSERTED, UNCHANGED, UPDATED, Row

SEEN_TABLE = "openkam_import_seen"
CHUNK = 900  # keys per IN (...) query, under every backend's parameter limit


class SeenKeys:
    """The keys this run has stored, per table, with the file row that stored them."""

    def __init__(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {SEEN_TABLE} "
                "(tbl VARCHAR(60), k VARCHAR(200), row_no INTEGER, PRIMARY KEY (tbl, k))"
            )
            cursor.execute(f"DELETE FROM {SEEN_TABLE}")

    def rows_of(self, table: str, keys: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        with connection.cursor() as cursor:
            for start in range(0, len(keys), CHUNK):
                chunk = keys[start : start + CHUNK]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT k, row_no FROM {SEEN_TABLE} WHERE tbl = %s AND k IN ({marks})",
                    [table, *chunk],
                )
                found.update(cursor.fetchall())
        return found

    def add(self, table: str, items: Sequence[tuple[str, int]]) -> None:
        if items:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {SEEN_TABLE} (tbl, k, row_no) VALUES (%s, %s, %s)",
                    [(table, k, row) for k, row in items],
                )

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {SEEN_TABLE}")


class Context(Protocol):
    """What a writer needs of the run's context (``kinds.base.Context`` has it): the run its
    changes are recorded against, the keys stored so far, the time stamp, the accounts whose
    aggregates need a rebuild, and the header a rejection names."""

    run: ImportRun
    seen: SeenKeys
    now: dt.datetime
    touched_accounts: set[int]

    def header(self, field_name: str) -> str: ...


def jsonable(value: Any) -> Any:
    if isinstance(value, Decimal | dt.date):
        return str(value)
    return value


class TableWriter:
    """Upserts one model's rows keyed by ``key`` (within ``scope``, e.g. the source system)."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        key: str,
        fields: Sequence[str],
        insert_only: Sequence[str] = (),
        key_field: str = "",
    ) -> None:
        self.model = model
        self.key = key
        self.key_field = key_field or key  # the kind's field a rejection names
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
        self.watermark: int | None = None  # the highest id before the run

    def upsert(
        self,
        items: Sequence[tuple[Row, dict[str, Any]]],
        ctx: Context,
        *,
        scope: dict[str, Any],
        want_ids: bool = True,
    ) -> dict[str, int]:
        """Store the records (dicts of the key, the fields and the insert-only fields); set each
        row's outcome (or reject it); return key -> id of every record that is stored now (of
        the stored ones only, unless want_ids)."""
        records = [record for _row, record in items]
        names = [*self.fields, *self.insert_only]
        columns = [[record[name] for record in records] for name in names]
        width = len(self.fields)
        return self.upsert_columns(
            [row for row, _record in items],
            [str(record[self.key]) for record in records],
            columns[:width],
            ctx,
            scope=scope,
            want_ids=want_ids,
            insert_only=columns[width:],
        )

    def upsert_columns(
        self,
        rows: Sequence[Row],
        keys: Sequence[str],
        columns: Sequence[Sequence[Any]],
        ctx: Context,
        *,
        scope: dict[str, Any],
        want_ids: bool = True,
        insert_only: Sequence[Sequence[Any]] = (),
    ) -> dict[str, int]:
        """``upsert`` for a batch given column by column: the rows, their keys, then one list per
        field (in ``fields`` order, then one per insert-only field), aligned with the rows."""
        if self.watermark is None:
            self.watermark = self._max_id()
        unique = list(dict.fromkeys(keys))
        stored = self._stored(unique, scope)
        if not stored and len(unique) == len(keys):  # a new file's batch: every row inserted
            for row in rows:
                row.outcome = INSERTED
            self._insert(keys, [*columns, *insert_only], scope, ctx)
            return self._ids(keys, scope) if want_ids and keys else {}
        # A stored row above the watermark was inserted by this run: the key is a duplicate.
        # One below it may have been updated by an earlier batch: those keys are in `seen`.
        older = [k for k, (pk, _values) in stored.items() if pk <= self.watermark]
        seen = ctx.seen.rows_of(self.table, older) if older else {}
        first_in_batch: dict[str, tuple[Row, tuple[Any, ...]]] = {}
        inserts: list[int] = []
        updates: list[tuple[int, Row, tuple[Any, ...], tuple[Any, ...]]] = []
        for at, (row, k, values) in enumerate(
            zip(rows, keys, zip(*columns, strict=True), strict=True)
        ):
            if k in first_in_batch:
                earlier_row, earlier = first_in_batch[k]
                self._duplicate(row, k, earlier_row.number, values == earlier, ctx)
            elif k in stored and (k in seen or stored[k][0] > self.watermark):
                self._duplicate(row, k, seen.get(k), values == stored[k][1], ctx)
            else:
                first_in_batch[k] = (row, values)
                if k not in stored:
                    inserts.append(at)
                    row.outcome = INSERTED
                elif stored[k][1] != values:
                    updates.append((stored[k][0], row, values, stored[k][1]))
                    row.outcome = UPDATED
                else:
                    row.outcome = UNCHANGED
        inserted_keys = _pick(keys, inserts)
        self._insert(
            inserted_keys, [_pick(c, inserts) for c in [*columns, *insert_only]], scope, ctx
        )
        self._update(updates, ctx)
        ctx.seen.add(self.table, [(k, first_in_batch[k][0].number) for k in older
                                  if k in first_in_batch])  # fmt: skip
        ids = {k: stored_id for k, (stored_id, _values) in stored.items()}
        if inserted_keys and want_ids:
            ids.update(self._ids(inserted_keys, scope))
        return ids

    def _max_id(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(self.table)}")
            (top,) = cursor.fetchone()
        return int(top or 0)

    def _duplicate(self, row: Row, k: str, earlier: int | None, same: bool, ctx: Context) -> None:
        if same:
            row.outcome = UNCHANGED
        elif earlier is None:
            row.reject(
                ctx.header(self.key_field),
                k,
                _("the same key is earlier in the file with different values"),
            )
        else:
            row.reject(
                ctx.header(self.key_field),
                k,
                _("the same key is on row %(row)s with different values") % {"row": earlier},
            )

    def _stored(
        self, keys: Sequence[str], scope: dict[str, Any]
    ) -> dict[str, tuple[int, tuple[Any, ...]]]:
        stored: dict[str, tuple[int, tuple[Any, ...]]] = {}
        ids = ids_by_key(self.model, self.key, keys, **scope)
        if not ids:  # a new file: skip the ORM's cost of typed values
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
        ctx: Context,
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
        if self.stamped:
            names += ["created_at", "updated_at"]
            stamp = connection.ops.adapt_datetimefield_value(ctx.now)
            constants_tail = [stamp, stamp]
        else:
            constants_tail = []
        sql = (
            f"INSERT INTO {quote(self.table)} "
            f"({', '.join(quote(self._column(name)) for name in names)}) "
            f"VALUES ({', '.join(['%s'] * len(names))})"
        )
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

    def _update(
        self, updates: list[tuple[int, Row, tuple[Any, ...], tuple[Any, ...]]], ctx: Context
    ) -> None:
        """Updates are (id, row, new values, stored values), both in ``fields`` order."""
        if not updates:
            return
        quote = connection.ops.quote_name
        sets = [quote(self._column(f)) + " = %s" for f in self.fields]
        params = [list(values) for _pk, _row, values, _before in updates]
        if self.stamped:
            sets.append(quote("updated_at") + " = %s")
            stamp = connection.ops.adapt_datetimefield_value(ctx.now)
            params = [[*p, stamp] for p in params]
        sql = f"UPDATE {quote(self.table)} SET {', '.join(sets)} WHERE {quote('id')} = %s"
        with connection.cursor() as cursor:
            cursor.executemany(
                sql, [[*p, pk] for p, (pk, *_rest) in zip(params, updates, strict=True)]
            )
        if "account_id" in self.fields:  # the aggregates of the account a row leaves
            where = self.fields.index("account_id")
            ctx.touched_accounts.update(before[where] for *_rest, before in updates)
        ImportChange.objects.bulk_create(
            ImportChange(
                run=ctx.run,
                model=self.label,
                object_id=pk,
                row=row.number,
                before=self._changed(before, values, old=True),
                after=self._changed(before, values, old=False),
            )
            for pk, row, values, before in updates
        )

    def _changed(
        self, before: tuple[Any, ...], values: tuple[Any, ...], *, old: bool
    ) -> dict[str, Any]:
        return {
            f: jsonable(was if old else now)
            for f, was, now in zip(self.fields, before, values, strict=True)
            if was != now
        }

    def _column(self, attname: str) -> str:
        return self.columns[attname]


def _pick(column: Sequence[Any], at: list[int]) -> list[Any]:
    """The cells of a column at the given positions (all of them, in order: the column)."""
    return list(column) if len(at) == len(column) else [column[i] for i in at]


def as_text(cells: Sequence[Any]) -> list[Any]:
    """Decimals and dates as the text Django's sqlite3 adapters would make of them (None kept)."""
    if type(None) not in set(map(type, cells)):  # not `None in`: Decimal == None is slow
        return list(map(str, cells))
    return [None if cell is None else str(cell) for cell in cells]


def executemany(sql: str, params: Iterable[Sequence[Any]]) -> None:
    """One statement over many rows; on SQLite through the raw sqlite3 cursor (as the demo
    writer does), which skips the wrapper's per-row work, its errors still Django's. The
    caller binds text for decimals and dates there (``as_text``)."""
    if connection.vendor != "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(sql, list(params))
        return
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = connection.connection.cursor()
        try:
            raw.executemany(sql.replace("%s", "?"), params)
        finally:
            raw.close()


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


class HistoryWriter:
    """Upserts rows of a model that keeps its own history (simple_history): through the ORM, so
    every insert and change has its historical record. For master data (accounts, contacts),
    whose files are thousands of rows, not millions.

    Each item names the stored row it is (or None for a new one) and only the values the file
    gives: an empty cell leaves the stored value as it is.
    """

    def __init__(
        self, model: type[models.Model], *, defaults: dict[str, Any], key_field: str
    ) -> None:
        self.model = model
        self.key_field = key_field  # the kind's field a rejection names
        self.defaults = defaults
        self.table = model._meta.db_table
        self.label = model._meta.label

    def upsert(
        self, items: Sequence[tuple[Row, str, int | None, dict[str, Any]]], ctx: Context
    ) -> dict[str, models.Model]:
        """Items are (row, key in the file, stored id or None, values). Returns key -> instance
        of every row created by this batch."""
        from simple_history.utils import bulk_create_with_history, bulk_update_with_history

        keys = list(dict.fromkeys(k for _row, k, _pk, _values in items))
        seen = ctx.seen.rows_of(self.table, keys)
        stored = self.model._default_manager.in_bulk(
            [pk for _row, _k, pk, _values in items if pk is not None]
        )
        first: dict[str, tuple[Row, dict[str, Any]]] = {}
        created: dict[str, models.Model] = {}
        changed: list[tuple[models.Model, Row, dict[str, Any], dict[str, Any]]] = []
        for row, k, pk, values in items:
            if k in first or k in seen:
                earlier_row, earlier = first.get(k, (None, None))
                same = earlier == values if earlier is not None else self._same(pk, stored, values)
                number = earlier_row.number if earlier_row is not None else seen[k]
                if same:
                    row.outcome = UNCHANGED
                else:
                    row.reject(
                        ctx.header(self.key_field),
                        k,
                        _("the same key is on row %(row)s with different values") % {"row": number},
                    )
                continue
            first[k] = (row, values)
            if pk is None or pk not in stored:
                created[k] = self.model(**{**self.defaults, **values})
                row.outcome = INSERTED
                continue
            instance = stored[pk]
            before = {f: getattr(instance, f) for f in values}
            before = {f: was for f, was in before.items() if was != values[f]}
            if before:
                for f in before:
                    setattr(instance, f, values[f])
                changed.append((instance, row, before, {f: values[f] for f in before}))
                row.outcome = UPDATED
            else:
                row.outcome = UNCHANGED
        user = ctx.run.user
        if created:
            bulk_create_with_history(list(created.values()), self.model, default_user=user)
        if changed:
            fields = sorted({f for _i, _r, before, _a in changed for f in before})
            bulk_update_with_history(
                [instance for instance, *_rest in changed], self.model, fields, default_user=user
            )
            ImportChange.objects.bulk_create(
                ImportChange(
                    run=ctx.run,
                    model=self.label,
                    object_id=instance.pk,
                    row=row.number,
                    before={f: jsonable(v) for f, v in before.items()},
                    after={f: jsonable(v) for f, v in after.items()},
                )
                for instance, row, before, after in changed
            )
        ctx.seen.add(self.table, [(k, row.number) for k, (row, _v) in first.items()])
        return created

    @staticmethod
    def _same(pk: int | None, stored: dict[Any, models.Model], values: dict[str, Any]) -> bool:
        instance = stored.get(pk) if pk is not None else None
        return instance is not None and all(getattr(instance, f) == v for f, v in values.items())
