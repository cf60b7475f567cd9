"""Benchmark: `openkam refresh` on the 100,000-account / 10,000,000-line demo, beside a bare
DuckDB group-by of the same order lines (the floor), measured in the same run.

    .venv/bin/python benchmarks/refresh.py                     # 100,000 accounts, 10M lines
    .venv/bin/python benchmarks/refresh.py --accounts 10000 --lines 1000000   # quick check

1. Builds (once, kept in --workdir) a SQLite database with the demo at that scale.
2. Times portfolio_refresh() on it: every analysis of every account, snapshots written.
3. Exports the order lines (account, order date, amount, cost) to Parquet (not timed) and
   times DuckDB grouping them per account and month: the least any refresh that reads the
   lines would cost. The refresh reads the per-account aggregates instead, so the goal is a
   refresh no slower than 2x that floor.

DuckDB is a benchmark-only dependency, installed into the virtualenv on first use.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DUCKDB_REQUIREMENT = "duckdb==2.0.0"
FLOOR_SQL = """
    SELECT account_id, date_trunc('month', order_date) AS month,
           sum(amount) AS revenue, sum(cost) AS cost, count(*) AS lines
    FROM read_parquet(?) GROUP BY ALL
"""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--today", default="2026-06-30", help="last ledger day and as-of date")
    parser.add_argument("--workdir", default="/tmp/openkam-bench", type=Path)
    parser.add_argument("--runs", type=int, default=3, help="timed repetitions of each side")
    return parser.parse_args()


def openkam(args: list[str], database_url: str) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "OPENKAM_DEMO": "1"}
    subprocess.run([str(ROOT / ".venv" / "bin" / "openkam"), *args], check=True, env=env)


def ensure_demo(db: Path, options: argparse.Namespace) -> str:
    url = f"sqlite:///{db.as_posix()}"
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        print(f"building the demo in {db} (once) ...", flush=True)
        openkam(["migrate", "-v0"], url)
        openkam(
            [
                "demo",
                "--accounts", str(options.accounts),
                "--lines", str(options.lines),
                "--years", str(options.years),
                "--seed", str(options.seed),
                "--today", options.today,
            ],
            url,
        )  # fmt: skip
    return url


def export_lines(db: Path, parquet: Path) -> int:
    """Order lines with their order date, to Parquet, in chunks (not timed)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if parquet.exists():
        return int(pq.ParquetFile(parquet).metadata.num_rows)
    connection = sqlite3.connect(db)
    cursor = connection.execute(
        "SELECT l.account_id, o.order_date, l.amount, l.cost "
        "FROM ledger_orderline l JOIN ledger_order o ON o.id = l.order_id"
    )
    schema = pa.schema(
        [("account_id", pa.int64()), ("order_date", pa.date32()),
         ("amount", pa.float64()), ("cost", pa.float64())]
    )  # fmt: skip
    rows = 0
    with pq.ParquetWriter(parquet, schema) as writer:
        while chunk := cursor.fetchmany(1_000_000):
            ids, dates, amounts, costs = zip(*chunk, strict=True)
            table = pa.table(
                {
                    "account_id": pa.array(ids, pa.int64()),
                    "order_date": pa.array([dt.date.fromisoformat(d) for d in dates]),
                    "amount": pa.array(amounts, pa.float64()),
                    "cost": pa.array(costs, pa.float64()),
                },
                schema=schema,
            )
            writer.write_table(table)
            rows += len(chunk)
    connection.close()
    return rows


def ensure_duckdb() -> None:
    if importlib.util.find_spec("duckdb") is None or importlib.util.find_spec("pyarrow") is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", DUCKDB_REQUIREMENT, "pyarrow"],
            check=True,
        )


def time_floor(parquet: Path, runs: int) -> tuple[float, int]:
    import duckdb

    best = float("inf")
    groups = 0
    for _ in range(runs):
        connection = duckdb.connect()
        start = time.perf_counter()
        groups = len(connection.execute(FLOOR_SQL, [str(parquet)]).fetchall())
        best = min(best, time.perf_counter() - start)
        connection.close()
    return best, groups


def time_refresh(url: str, as_of: dt.date, runs: int) -> tuple[float, int, dict[str, object]]:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openkam.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from openkam.portfolio.services import portfolio_refresh

    best = float("inf")
    run = None
    for _ in range(runs):
        start = time.perf_counter()
        run = portfolio_refresh(as_of=as_of)
        best = min(best, time.perf_counter() - start)
    assert run is not None
    return best, run.accounts, run.models_fitted


def main() -> int:
    options = parse_args()
    tag = f"{options.accounts}-{options.lines}-{options.seed}"
    db = options.workdir / f"refresh-{tag}.sqlite3"
    parquet = options.workdir / f"lines-{tag}.parquet"
    url = ensure_demo(db, options)
    ensure_duckdb()
    lines = export_lines(db, parquet)
    floor, groups = time_floor(parquet, options.runs)
    refresh, accounts, fitted = time_refresh(
        url, dt.date.fromisoformat(options.today), options.runs
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nportfolio refresh on {accounts:,} accounts / {lines:,} order lines (SQLite)")
    print(f"  refresh (best of {options.runs}):         {refresh:8.2f} s")
    print(f"  DuckDB group-by floor (best of {options.runs}):  {floor:8.2f} s  ({groups:,} groups)")
    print(f"  ratio refresh / floor:            {refresh / floor:8.2f}x  (goal <= 2x)")
    print(f"  peak memory of this process:      {peak:8.0f} MiB")
    print(f"  models: { {k: v for k, v in fitted.items() if k != 'seconds'} }")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
