"""Benchmark: `openkam demo` at scale against a bare sqlite3 executemany of its order lines.

    .venv/bin/python benchmarks/demo_scale.py                      # 100,000 accounts, 10M lines
    .venv/bin/python benchmarks/demo_scale.py --accounts 10000 --lines 1000000   # quick check

1. Migrates a fresh temporary SQLite database and generates the demo into it (the same code
   path as the command), timing it and recording peak memory.
2. In the same run, before and after the demo, the baseline: another fresh SQLite file with
   the same `ledger_orderline` table and indexes (copied from the first), the same PRAGMAs,
   the same INSERT statement and batch size, filled with the same number of rows from
   pre-built tuples. Only executemany and the commits are timed: the cost of the writes alone.
3. Prints rows per table, seconds, rows/s, peak memory and the ratio demo / baseline, on wall
   and CPU time. The aim is a ratio within 2x: everything the demo does besides writing its
   order lines (drawing them, building every other table) should cost at most as much as
   writing the lines.
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import sys
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SLICE_COMMIT_ROWS = 250_000  # services.SLICE_LINES: the demo commits about this often


@dataclass
class Timing:
    """Wall-clock seconds, and this process's CPU seconds: the latter barely moves when other
    programs share the machine, so its ratio is the steadier one."""

    wall: float = 0.0
    cpu: float = 0.0

    def add(self, started: tuple[float, float]) -> None:
        self.wall += time.perf_counter() - started[0]
        self.cpu += time.process_time() - started[1]


def now() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


@dataclass
class Baseline:
    rows: int
    timing: Timing


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--batch-size", type=int, default=50_000)
    parser.add_argument("--workdir", default=None, help="where the temporary databases go")
    parser.add_argument("--keep", action="store_true", help="keep the database files")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also trace Python allocations (slower)"
    )
    return parser.parse_args()


def setup_django(database: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database.as_posix()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openkam.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def run_demo(args: argparse.Namespace) -> tuple[object, Timing, float | None]:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from openkam.demo.management.commands.demo import RichSteps, RowsPerSecond
    from openkam.demo.services import DemoOptions, demo_generate

    options = DemoOptions(
        accounts=args.accounts,
        years=args.years,
        seed=args.seed,
        total_lines=args.lines,
        batch_rows=args.batch_size,
    )
    if args.tracemalloc:
        tracemalloc.start()
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        RowsPerSecond(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
    )
    timing = Timing()
    started = now()
    with progress:
        report = demo_generate(options, password="benchmark", steps=RichSteps(progress))
    timing.add(started)
    traced = None
    if args.tracemalloc:
        traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return report, timing, traced


def orderline_schema(database: Path) -> list[str]:
    """CREATE TABLE and CREATE INDEX statements of ledger_orderline, as migrated."""
    with sqlite3.connect(database) as source:
        rows = source.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'ledger_orderline' AND sql IS NOT NULL"
            " ORDER BY type DESC"  # the table before its indexes
        ).fetchall()
    return [row[0] for row in rows]


def baseline_rows(rng: np.random.Generator, start: int, n: int) -> list[tuple[object, ...]]:
    """Order-line tuples shaped like the demo's, built outside the timed section."""
    ids = np.arange(start, start + n)
    quantity = rng.integers(1, 60, n)
    price = rng.integers(100, 5_000_000, n) / 100.0
    unit_cost = np.round(price * 0.75, 2)
    day = np.datetime64("2024-01-01") + rng.integers(0, 1400, n).astype("timedelta64[D]")
    promised = np.datetime_as_string(day).tolist()
    delivered = np.datetime_as_string(day + 3).tolist()
    columns = [
        ids.tolist(),
        [f"L{i:011d}" for i in ids.tolist()],
        (ids // 4).tolist(),
        (ids // 100 + 1).tolist(),
        rng.integers(1, 70, n).tolist(),
        (ids % 4 + 1).tolist(),
        quantity.tolist(),
        price.tolist(),
        unit_cost.tolist(),
        np.round(quantity * price, 2).tolist(),
        np.round(quantity * unit_cost, 2).tolist(),
        promised,
        delivered,
        quantity.tolist(),
    ]
    return list(zip(*columns, strict=True))


def run_baseline(schema: list[str], path: Path, lines: int, batch: int) -> Baseline:
    from openkam.common.bulk import SQLITE_LOAD_PRAGMAS

    connection = sqlite3.connect(path, isolation_level=None)
    # The settings' init_command, then the demo's load PRAGMAs: the same database setup.
    connection.execute("PRAGMA journal_mode=WAL")
    for name, value in SQLITE_LOAD_PRAGMAS.items():
        connection.execute(f"PRAGMA {name} = {value}")
    for statement in schema:
        connection.execute(statement)
    sql = (
        'INSERT INTO "ledger_orderline" ("id", "source", "external_id", "order_id", "account_id",'
        ' "product_id", "line_no", "quantity", "unit_price", "unit_cost", "amount", "cost",'
        ' "currency", "promised_date", "delivered_date", "delivered_quantity") VALUES'
        " (?, 'demo-erp', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'CNY', ?, ?, ?)"
    )
    rng = np.random.default_rng(1)
    timing = Timing()
    written = 0
    while written < lines:
        chunk = min(SLICE_COMMIT_ROWS, lines - written)
        batches = [
            baseline_rows(rng, written + offset + 1, min(batch, chunk - offset))
            for offset in range(0, chunk, batch)
        ]
        started = now()
        connection.execute("BEGIN")
        for rows in batches:
            connection.executemany(sql, rows)
        connection.execute("COMMIT")
        timing.add(started)
        written += chunk
    connection.close()
    return Baseline(rows=written, timing=timing)


def remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def print_report(
    args: argparse.Namespace,
    report: object,
    demo: Timing,
    rss_after_demo: float,
    traced: float | None,
    before: Baseline,
    after: Baseline,
) -> None:
    from rich.console import Console
    from rich.table import Table

    from openkam.demo.services import DemoReport

    assert isinstance(report, DemoReport)
    console = Console(width=110)
    table = Table(title=f"openkam demo: {args.accounts:,} accounts, {args.years} years, SQLite")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, count in sorted(report.rows.items()):
        table.add_row(name, f"{count:,}")
    table.add_row("total", f"{report.total_rows:,}", end_section=True)
    console.print(table)
    lines = report.rows.get("ledger_orderline", 0)
    steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in report.seconds_by_step.items())
    console.print(f"steps:    {steps}")
    console.print(
        f"demo:     {demo.wall:.1f} s wall ({demo.cpu:.1f} s CPU), "
        f"{report.total_rows / demo.wall:,.0f} rows/s, {lines / demo.wall:,.0f} order lines/s, "
        f"peak RSS {rss_after_demo:,.0f} MiB"
        + (f", traced Python peak {traced:,.0f} MiB" if traced is not None else "")
    )
    for label, run in (("before", before), ("after", after)):
        console.print(
            f"baseline {label} the demo: {run.timing.wall:.1f} s wall ({run.timing.cpu:.1f} s CPU)"
            f" for {run.rows:,} order lines, {run.rows / run.timing.wall:,.0f} rows/s"
        )
    console.print(
        f"  (bare sqlite3 executemany of pre-built tuples, batches of {args.batch_size:,}, same "
        "table, indexes, PRAGMAs and statement; the ratios use the mean of the two)"
    )
    base = Timing(
        wall=(before.timing.wall + after.timing.wall) / 2,
        cpu=(before.timing.cpu + after.timing.cpu) / 2,
    )
    baseline = before
    for label, mine, theirs in (("wall", demo.wall, base.wall), ("CPU", demo.cpu, base.cpu)):
        demo_line = mine / max(lines, 1)
        base_line = theirs / max(baseline.rows, 1)
        per_row = (mine / max(report.total_rows, 1)) / base_line
        console.print(
            f"ratio ({label}): {demo_line / base_line:.2f}x time per order line "
            f"({demo_line * 1e6:.2f} us vs {base_line * 1e6:.2f} us), {per_row:.2f}x time per "
            f"row written; total {mine:.1f} s vs {theirs:.1f} s"
        )


def main() -> None:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="openkam-bench-", dir=args.workdir))
    demo_db = workdir / "demo.sqlite3"
    base_db = workdir / "baseline.sqlite3"
    setup_django(demo_db)
    schema = orderline_schema(demo_db)
    # The baseline runs before and after the demo and the two are averaged, so that a
    # neighbour's load on a shared machine weighs on both sides alike.
    before = run_baseline(schema, base_db, args.lines, args.batch_size)
    remove_database(base_db)
    report, timing, traced = run_demo(args)
    rss_after_demo = peak_rss_mib()
    from django.db import connection

    connection.close()
    after = run_baseline(schema, base_db, args.lines, args.batch_size)
    print_report(args, report, timing, rss_after_demo, traced, before, after)
    if args.keep:
        print(f"databases kept in {workdir}")
    else:
        for path in workdir.iterdir():
            path.unlink()
        workdir.rmdir()


if __name__ == "__main__":
    main()
