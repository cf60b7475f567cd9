"""Writes that keep the per-account aggregates (AccountMonth, AccountPurchaseDay,
AccountDeliveryMonth) equal to the order lines they summarise.

The rule, shared with the demo generator and the imports: every line of an order that is not
cancelled counts, in the month and on the day of its order's date. The delivery counts
(AccountDeliveryMonth) count every line with a promised date in the month of that date.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

from openkam.ledger.models import (
    AccountDeliveryMonth,
    AccountMonth,
    AccountPurchaseDay,
    Order,
    OrderLine,
)

ACCOUNTS_TABLE = "openkam_aggregate_accounts"
DAYS_TABLE = "openkam_aggregate_days"
IDS_PER_INSERT = 5000
INLINE_IDS = 500  # ids written in the statements themselves, under every parameter limit


def _month_sql(day: str = "o.order_date") -> str:
    """The first day of the month of `day` (a date column), as the column stores dates."""
    if connection.vendor == "postgresql":
        return f"date_trunc('month', {day})::date"
    return f"substr({day}, 1, 7) || '-01'"


def _round_sql(total: str, places: int) -> str:
    """SQLite sums decimals as floats: rounded to the column's places, as the ORM would read it."""
    if connection.vendor == "sqlite":
        return f"ROUND({total}, {places})"
    return total


def _fill_accounts_table(cursor: CursorWrapper, ids: list[int]) -> None:
    """The ids in a temporary table rather than in the statements: a rebuild of every account
    of a big import is still one statement per table, under every backend's parameter limit."""
    cursor.execute(
        f"CREATE TEMPORARY TABLE IF NOT EXISTS {ACCOUNTS_TABLE} (id INTEGER PRIMARY KEY)"
    )
    cursor.execute(f"DELETE FROM {ACCOUNTS_TABLE}")
    for start in range(0, len(ids), IDS_PER_INSERT):
        cursor.executemany(
            f"INSERT INTO {ACCOUNTS_TABLE} (id) VALUES (%s)",
            [(pk,) for pk in ids[start : start + IDS_PER_INSERT]],
        )
    if connection.vendor == "postgresql":
        cursor.execute(f"ANALYZE {ACCOUNTS_TABLE}")


@transaction.atomic
def aggregates_rebuild(*, account_ids: Iterable[int] | None = None) -> tuple[int, int]:
    """Recompute the aggregates of the given accounts (every account when None) from their
    order lines, grouped in the database so memory does not grow with the lines. Returns the
    numbers of account-months and purchase days written.

    A few accounts (an API upsert, an admin edit): one INSERT ... SELECT ... GROUP BY per
    table from their lines. Many (an import, every account): one pass over the lines into
    per-account days (a temporary table), from which the purchase days are written and the
    months summed (an order has one date, so its month's distinct orders are its days' ones
    added up)."""
    quote = connection.ops.quote_name
    months, days = quote(AccountMonth._meta.db_table), quote(AccountPurchaseDay._meta.db_table)
    lines, orders = quote(OrderLine._meta.db_table), quote(Order._meta.db_table)
    source = f"FROM {lines} l JOIN {orders} o ON o.id = l.order_id WHERE o.status <> %s"
    ids = [] if account_ids is None else sorted(set(account_ids))
    in_table = len(ids) > INLINE_IDS
    where = ""
    if account_ids is not None:
        only = f"IN (SELECT id FROM {ACCOUNTS_TABLE})" if in_table else f"IN ({marks(ids)})"
        where, source = f"WHERE account_id {only}", f"{source} AND l.account_id {only}"
    inline: list[int] = [] if in_table else ids
    params: list[int | str] = [Order.Status.CANCELLED.value, *inline]
    with connection.cursor() as cursor:
        if in_table:
            _fill_accounts_table(cursor, ids)
        cursor.execute(f"DELETE FROM {months} {where}", inline)
        cursor.execute(f"DELETE FROM {days} {where}", inline)
        if account_ids is None or in_table:
            written = _from_days_table(cursor, source, params)
        else:
            written = _from_lines(cursor, source, params)
        _deliveries(cursor, where, inline)
        if in_table:
            cursor.execute(f"DROP TABLE {ACCOUNTS_TABLE}")
    return written


# A line delivered in full by its promised date: performance.kpis.ON_TIME_IN_FULL in SQL.
ON_TIME_SQL = (
    "delivered_date IS NOT NULL AND delivered_date <= promised_date "
    "AND delivered_quantity >= quantity"
)


def _deliveries(cursor: CursorWrapper, where: str, params: list[int]) -> int:
    """The delivery counts of the accounts `where` selects (every account when empty), from
    their lines with a promised date; the accounts' earlier rows deleted first."""
    table = connection.ops.quote_name(AccountDeliveryMonth._meta.db_table)
    lines = connection.ops.quote_name(OrderLine._meta.db_table)
    month = _month_sql("promised_date")
    cursor.execute(f"DELETE FROM {table} {where}", params)
    scope = f"AND account_id {where.removeprefix('WHERE account_id ')}" if where else ""
    cursor.execute(
        f"INSERT INTO {table} (account_id, month, lines_due, lines_on_time) "
        f"SELECT account_id, {month}, COUNT(*), SUM(CASE WHEN {ON_TIME_SQL} THEN 1 ELSE 0 END) "
        f"FROM {lines} WHERE promised_date IS NOT NULL {scope} GROUP BY account_id, {month} "
        f"ORDER BY account_id, {month}",  # the same ids for the same ledger on every database
        params,
    )
    return max(cursor.rowcount, 0)


@transaction.atomic
def deliveries_rebuild(*, account_ids: Iterable[int] | None = None) -> int:
    """Recompute the delivery counts alone (the demo writes the other aggregates itself; the
    tests build lines by hand). Returns the number of account-months written."""
    ids = [] if account_ids is None else sorted(set(account_ids))
    in_table = len(ids) > INLINE_IDS
    where = ""
    if account_ids is not None:
        only = f"IN (SELECT id FROM {ACCOUNTS_TABLE})" if in_table else f"IN ({marks(ids)})"
        where = f"WHERE account_id {only}"
    inline: list[int] = [] if in_table else ids
    with connection.cursor() as cursor:
        if in_table:
            _fill_accounts_table(cursor, ids)
        written = _deliveries(cursor, where, inline)
        if in_table:
            cursor.execute(f"DROP TABLE {ACCOUNTS_TABLE}")
    return written


def _from_lines(cursor: CursorWrapper, source: str, params: list[int | str]) -> tuple[int, int]:
    quote = connection.ops.quote_name
    months, days = quote(AccountMonth._meta.db_table), quote(AccountPurchaseDay._meta.db_table)
    month = _month_sql()
    amount, cost = _round_sql("SUM(l.amount)", 2), _round_sql("SUM(l.cost)", 2)
    cursor.execute(
        f"INSERT INTO {months} (account_id, month, revenue, cost, quantity, order_count, "
        f"line_count) SELECT l.account_id, {month}, {amount}, {cost}, "
        f"{_round_sql('SUM(l.quantity)', 3)}, COUNT(DISTINCT l.order_id), COUNT(*) {source} "
        f"GROUP BY l.account_id, {month}",
        params,
    )
    written_months = max(cursor.rowcount, 0)
    cursor.execute(
        f"INSERT INTO {days} (account_id, day, revenue, cost) SELECT l.account_id, "
        f"o.order_date, {amount}, {cost} {source} GROUP BY l.account_id, o.order_date",
        params,
    )
    return written_months, max(cursor.rowcount, 0)


def _from_days_table(
    cursor: CursorWrapper, source: str, params: list[int | str]
) -> tuple[int, int]:
    quote = connection.ops.quote_name
    months, days = quote(AccountMonth._meta.db_table), quote(AccountPurchaseDay._meta.db_table)
    cursor.execute(f"DROP TABLE IF EXISTS {DAYS_TABLE}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {DAYS_TABLE} AS SELECT l.account_id AS account_id, "
        f"o.order_date AS day, SUM(l.amount) AS revenue, SUM(l.cost) AS cost, "
        f"SUM(l.quantity) AS quantity, COUNT(DISTINCT l.order_id) AS order_count, "
        f"COUNT(*) AS line_count {source} GROUP BY l.account_id, o.order_date",
        params,
    )
    cursor.execute(
        f"INSERT INTO {days} (account_id, day, revenue, cost) SELECT account_id, day, "
        f"{_round_sql('revenue', 2)}, {_round_sql('cost', 2)} FROM {DAYS_TABLE}"
    )
    written_days = max(cursor.rowcount, 0)
    month = _month_sql("day")
    cursor.execute(
        f"INSERT INTO {months} (account_id, month, revenue, cost, quantity, order_count, "
        f"line_count) SELECT account_id, {month}, {_round_sql('SUM(revenue)', 2)}, "
        f"{_round_sql('SUM(cost)', 2)}, {_round_sql('SUM(quantity)', 3)}, SUM(order_count), "
        f"SUM(line_count) FROM {DAYS_TABLE} GROUP BY account_id, {month}"
    )
    written_months = max(cursor.rowcount, 0)
    cursor.execute(f"DROP TABLE {DAYS_TABLE}")
    return written_months, written_days


def marks(ids: list[int]) -> str:
    """The placeholders of an IN list (NULL for none: no row is in it)."""
    return ", ".join(["%s"] * len(ids)) or "NULL"
