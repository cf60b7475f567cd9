"""Bulk writes (demo generation, portfolio refresh): columns in, rows in the database out,
fast on both backends.

- SQLite: the raw sqlite3 cursor's executemany over row tuples zipped from column lists, in
  batches inside the caller's transaction; constant columns go into the SQL as literals so
  they are not bound once per row.
- PostgreSQL: COPY ... FROM STDIN (CSV) through psycopg 3, the CSV written by polars from the
  numpy columns, so no Python code runs per row on either path.

Columns are numpy arrays (numbers, booleans, text, datetime64[D] dates with NaT for NULL,
datetime64[s] UTC timestamps), plain lists (text, ints, None for NULL) or a Const.
"""

from __future__ import annotations

import io
import itertools
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.management.color import no_style
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from numpy.typing import NDArray

BATCH_ROWS = 50_000

# Applied for the duration of a load on SQLite, outside any transaction. WAL (set by the
# settings) keeps the file consistent even with synchronous=OFF if the process dies; only an
# OS crash can lose the last commits, and demo data can be generated again.
SQLITE_LOAD_PRAGMAS: dict[str, str] = {
    "synchronous": "OFF",
    "cache_size": "-524288",  # 512 MiB of page cache: index pages of big tables stay hot
    "temp_store": "MEMORY",
}


@dataclass(frozen=True)
class Const:
    """The same value on every row."""

    value: str | int | float | bool | None


Column = NDArray[Any] | Sequence[Any] | Const
Columns = Mapping[str, Column]


def nullable(values: NDArray[Any], present: NDArray[np.bool_]) -> NDArray[np.object_]:
    """Values where present, None (NULL) elsewhere."""
    column = np.full(values.size, None, dtype=object)
    column[present] = values[present]
    return column


def _row_count(columns: Columns) -> int:
    for column in columns.values():
        if not isinstance(column, Const):
            return len(column)
    raise ValueError("at least one column must vary per row")


def sql_literal(value: str | int | float | bool | None) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + value.replace("'", "''") + "'"


def _sqlite_dates(days: NDArray[np.datetime64]) -> list[str | None]:
    """ISO text, as Django stores dates in SQLite; built from a lookup of the distinct days."""
    as_int = days.astype("datetime64[D]").astype(np.int64)
    missing = np.isnat(days)
    if missing.all():
        return [None] * days.size
    low = int(as_int[~missing].min())
    high = int(as_int[~missing].max())
    lookup = np.datetime_as_string(np.arange(low, high + 1).astype("datetime64[D]")).astype(object)
    text = lookup[np.where(missing, 0, as_int - low)]
    text[missing] = None
    return list(text.tolist())


def _sqlite_timestamps(stamps: NDArray[np.datetime64]) -> list[str]:
    """Naive UTC 'YYYY-MM-DD HH:MM:SS', the form Django writes for USE_TZ on SQLite."""
    unique, inverse = np.unique(stamps.astype("datetime64[s]"), return_inverse=True)
    text = np.strings.replace(np.datetime_as_string(unique, unit="s"), "T", " ")
    return list(text.astype(object)[inverse].tolist())


def sqlite_values(column: NDArray[Any] | Sequence[Any]) -> list[Any]:
    """One column as the Python values sqlite3 binds."""
    if not isinstance(column, np.ndarray):
        return list(column)
    if column.dtype.kind == "M":
        if np.datetime_data(column.dtype)[0] == "D":
            return _sqlite_dates(column)
        return _sqlite_timestamps(column)
    return list(column.tolist())


def _polars_series(name: str, column: Column, n: int) -> Any:
    import polars as pl

    if isinstance(column, Const):
        return pl.repeat(column.value, n, eager=True).alias(name)
    if isinstance(column, np.ndarray) and column.dtype.kind == "M":
        unit = np.datetime_data(column.dtype)[0]
        if unit == "D":
            return pl.Series(name, column)
        return pl.Series(name, column.astype("datetime64[us]")).dt.replace_time_zone("UTC")
    if isinstance(column, np.ndarray) and column.dtype.kind == "U":
        return pl.Series(name, column.tolist(), dtype=pl.String)
    if isinstance(column, np.ndarray) and column.dtype.kind == "O":  # values with None
        return pl.Series(name, column.tolist(), strict=False)
    return pl.Series(name, column, strict=False)


def postgres_csv(columns: Columns) -> bytes:
    """The rows as CSV for COPY: NULL is an empty field, an empty string is quoted."""
    import polars as pl

    n = _row_count(columns)
    frame = pl.DataFrame([_polars_series(name, column, n) for name, column in columns.items()])
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False)
    return buffer.getvalue()


@dataclass
class BulkWriter:
    """Writes tables in batches; counts rows per table; calls `on_rows` after each batch."""

    connection: BaseDatabaseWrapper
    batch_rows: int = BATCH_ROWS
    on_rows: Callable[[str, int], None] | None = None
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)  # time spent writing, per table

    @property
    def vendor(self) -> str:
        return str(self.connection.vendor)

    def insert(self, table: str, columns: Columns) -> int:
        n = _row_count(columns)
        if n == 0:
            return 0
        started = time.perf_counter()
        if self.vendor == "postgresql":
            self._copy(table, columns, n)
        elif self.vendor == "sqlite":
            self._sqlite_insert(table, columns, n)
        else:
            self._generic_insert(table, columns, n)
        self.seconds[table] = self.seconds.get(table, 0.0) + time.perf_counter() - started
        return n

    def _count(self, table: str, n: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + n
        if self.on_rows is not None:
            self.on_rows(table, n)

    def _batches(self, rows: Iterator[tuple[Any, ...]], n: int) -> Iterator[tuple[int, Any]]:
        for start in range(0, n, self.batch_rows):
            size = min(self.batch_rows, n - start)
            yield size, itertools.islice(rows, size)

    def _sqlite_insert(self, table: str, columns: Columns, n: int) -> None:
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(name) for name in columns)
        values = ", ".join(
            sql_literal(c.value) if isinstance(c, Const) else "?" for c in columns.values()
        )
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({values})"
        varying = [c for c in columns.values() if not isinstance(c, Const)]
        self.connection.ensure_connection()
        cursor = self.connection.connection.cursor()  # the raw sqlite3 cursor
        try:
            # Python values are made one batch at a time: a column of a million rows as
            # Python objects would cost far more memory than the numpy array it comes from.
            for start in range(0, n, self.batch_rows):
                stop = min(start + self.batch_rows, n)
                bound = [sqlite_values(column[start:stop]) for column in varying]
                cursor.executemany(sql, zip(*bound, strict=True))
                self._count(table, stop - start)
        finally:
            cursor.close()

    def _copy(self, table: str, columns: Columns, n: int) -> None:
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(name) for name in columns)
        sql = f"COPY {quote(table)} ({names}) FROM STDIN WITH (FORMAT csv)"
        with self.connection.cursor() as wrapper:
            raw = wrapper.cursor  # the psycopg 3 cursor under Django's wrapper
            with raw.copy(sql) as copy:
                for start in range(0, n, self.batch_rows):
                    stop = min(start + self.batch_rows, n)
                    copy.write(postgres_csv(_slice(columns, start, stop)))
                    self._count(table, stop - start)

    def _generic_insert(self, table: str, columns: Columns, n: int) -> None:
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(name) for name in columns)
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        bound = [
            itertools.repeat(c.value, n) if isinstance(c, Const) else sqlite_values(c)
            for c in columns.values()
        ]
        rows = zip(*bound, strict=False)
        with self.connection.cursor() as cursor:
            for size, batch in self._batches(rows, n):
                cursor.executemany(sql, list(batch))
                self._count(table, size)

    def update(self, table: str, key: str, columns: Columns) -> int:
        """UPDATE table SET columns WHERE key = ...: one statement per row, batched."""
        n = _row_count(columns)
        quote = self.connection.ops.quote_name
        sets = [name for name in columns if name != key]
        sql = (
            f"UPDATE {quote(table)} SET {', '.join(f'{quote(s)} = %s' for s in sets)}"
            f" WHERE {quote(key)} = %s"
        )
        bound = [sqlite_values(_materialise(columns[name], n)) for name in [*sets, key]]
        rows = zip(*bound, strict=True)
        with self.connection.cursor() as cursor:
            for _ in range(0, n, self.batch_rows):
                cursor.executemany(sql, list(itertools.islice(rows, self.batch_rows)))
        return n


def _materialise(column: Column, n: int) -> NDArray[Any] | Sequence[Any]:
    return [column.value] * n if isinstance(column, Const) else column


def _slice(columns: Columns, start: int, stop: int) -> dict[str, Column]:
    return {
        name: column if isinstance(column, Const) else column[start:stop]
        for name, column in columns.items()
    }


@contextmanager
def bulk_load(connection: BaseDatabaseWrapper) -> Iterator[bool]:
    """Speed settings for a big load; yields whether foreign-key checks are off.

    On SQLite, outside a transaction: the PRAGMAs above, and foreign keys off (the generator
    writes consistent ids; Django's loaddata does the same). Inside a transaction (tests) the
    database is left as it is.
    """
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield False
        return
    connection.ensure_connection()
    raw = connection.connection
    saved = {name: raw.execute(f"PRAGMA {name}").fetchone()[0] for name in SQLITE_LOAD_PRAGMAS}
    for name, value in SQLITE_LOAD_PRAGMAS.items():
        raw.execute(f"PRAGMA {name} = {value}")
    checks_off = connection.disable_constraint_checking()
    try:
        yield checks_off
    finally:
        if checks_off:
            connection.enable_constraint_checking()
        for name, value in saved.items():
            raw.execute(f"PRAGMA {name} = {value}")


def next_id(connection: BaseDatabaseWrapper, table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        row = cursor.fetchone()
    return int(row[0]) + 1


def reset_sequences(connection: BaseDatabaseWrapper, model_list: list[type[models.Model]]) -> None:
    """After explicit ids, move PostgreSQL's sequences past them (a no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
