"""Upserts in batches. Ledger rows go through the ledger's one write path
(``ledger.upsert.KeyedTable``: compare a batch with the stored rows by key, insert the new ones
and update the changed ones with one executemany each); here each row gets its outcome or its
rejection, and the values a change replaced are recorded.

A key seen twice in one file is stored once: the later row is "unchanged" when it says the same,
rejected when it says something else (so the file cannot overwrite itself and a re-import stays
a no-op). Keys already written by the run live in a temporary table, not in memory, so memory
does not grow with the file.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from django.db import connection, models
from django.utils.translation import gettext as _

from openkam.imports.models import ImportChange, ImportRun
from openkam.imports.rows import INSERTED, UNCHANGED, UPDATED, Row
from openkam.ledger.upsert import CHUNK, Conflict, KeyedTable, Update, copy_rows

SEEN_TABLE = "openkam_import_seen"


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
            if connection.vendor == "postgresql":  # one array, not an IN list per CHUNK keys
                cursor.execute(
                    f"SELECT k, row_no FROM {SEEN_TABLE} WHERE tbl = %s AND k = ANY(%s)",
                    [table, list(keys)],
                )
                return dict(cursor.fetchall())
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
        if items and connection.vendor == "postgresql":
            copy_rows(SEEN_TABLE, ["tbl", "k", "row_no"], ((table, k, row) for k, row in items))
        elif items:
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


NUMBER = operator.attrgetter("number")


class TableWriter:
    """A ledger (or product) table's upserts for an import run. The writing is the ledger's one
    write path (``ledger.upsert.KeyedTable``, which the API uses too); this sets each row's
    outcome or rejection, records the values a change replaced and notes the accounts a change
    moved rows away from."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        key: str,
        fields: Sequence[str],
        insert_only: Sequence[str] = (),
        key_field: str = "",
    ) -> None:
        self.table = KeyedTable(model, key=key, fields=fields, insert_only=insert_only)
        self.key = key
        self.key_field = key_field or key  # the kind's field a rejection names
        self.fields = list(fields)
        self.insert_only = list(insert_only)

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
        done = self.table.upsert(
            keys,
            columns,
            scope=scope,
            now=ctx.now,
            numbers=list(map(NUMBER, rows)),
            seen=ctx.seen,
            insert_only=insert_only,
            want_ids=want_ids,
        )
        for row, outcome in zip(rows, done.outcomes, strict=True):
            row.outcome = outcome
        for conflict in done.conflicts:
            self._reject(rows[conflict.at], conflict, ctx)
        if done.updates:
            self._record(rows, done.updates, ctx)
        return done.ids

    def _reject(self, row: Row, conflict: Conflict, ctx: Context) -> None:
        if conflict.earlier is None:
            reason = _("the same key is earlier in the file with different values")
        else:
            reason = _("the same key is on row %(row)s with different values") % {
                "row": conflict.earlier
            }
        row.reject(ctx.header(self.key_field), conflict.key, reason)

    def _record(self, rows: Sequence[Row], updates: list[Update], ctx: Context) -> None:
        """The values each update replaced, for the run's history; the accounts rows left."""
        ctx.touched_accounts.update(self.table.accounts_left(updates))
        changed = self.table.changed
        ImportChange.objects.bulk_create(
            ImportChange(
                run=ctx.run,
                model=self.table.label,
                object_id=update.pk,
                row=rows[update.at].number,
                before={f: jsonable(v) for f, v in changed(update, old=True).items()},
                after={f: jsonable(v) for f, v in changed(update, old=False).items()},
            )
            for update in updates
        )


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
