"""Importing order lines into PostgreSQL: OpenKAM's import engine beside a bare ``COPY`` of the
same rows into the same tables, in the same run (issue 16, goal 4: at least half its speed).

The file is `benchmarks/import.py`'s seeded ERP export (UTF-8 with BOM, one order line per row,
2,000 customers by ERP code, 500 SKUs). A template database is migrated and given the customers
and SKUs once; each side then runs in its own process against a fresh copy of it
(``CREATE DATABASE ... TEMPLATE``), alternating, ``--runs`` times:

- engine: ``import_run(kind="orders")`` (what ``openkam import`` and the upload page run):
  parsing and validation of every cell, account and product matching, comparison with what is
  stored, orders and lines written, per-account aggregates and alerts; then the same file
  imported again into the same database (every row compared and found unchanged: the
  re-import an ERP's daily export makes);
- baseline: the same CSV read with the csv module and streamed, cells as they are, into
  ``COPY ledger_order`` and ``COPY ledger_orderline`` (ids given by the client): the floor.

    .venv/bin/python benchmarks/import_postgres.py --server postgres://openkam@127.0.0.1:54330
        [--lines 1000000] [--runs 3] [--seed 42]
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOAL = 0.5


def _import_bench() -> Any:
    """benchmarks/import.py (its name is a keyword): the generator and the setup worker."""
    spec = importlib.util.spec_from_file_location("import_bench", ROOT / "benchmarks" / "import.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def admin(server: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(sql.encode())


def environment(url: str, var: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "OPENKAM_VAR_DIR": str(var),
            "DJANGO_SETTINGS_MODULE": "openkam.settings"}  # fmt: skip


def child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--worker", *args], capture_output=True, text=True, env=env
    )
    if done.returncode != 0:
        raise SystemExit(f"worker {args[0]} failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


# --- workers (each in its own process) -------------------------------------------------------


def worker_engine(path: str) -> dict[str, Any]:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from openkam.imports import services

    figures: dict[str, Any] = {}
    for label in ("first", "again"):
        started = time.perf_counter()
        run = services.import_run(kind="orders", path=Path(path))
        figures[f"{label}_seconds"] = time.perf_counter() - started
        figures[f"{label}_inserted"] = run.rows_inserted
        figures[f"{label}_unchanged"] = run.rows_unchanged
        figures[f"{label}_rejected"] = run.rows_rejected
    return figures


def worker_copy(path: str, url: str) -> dict[str, Any]:
    """Bare COPY: no validation, no lookups beyond two dicts, no comparison."""
    import psycopg

    started = time.perf_counter()
    rows = 0
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        accounts: dict[str, int] = dict(
            cursor.execute("SELECT external_id, account_id FROM imports_accountkey")
        )
        products: dict[str, int] = dict(cursor.execute("SELECT sku, id FROM ledger_product"))
        orders: list[tuple[Any, ...]] = []
        lines: list[tuple[Any, ...]] = []
        order_ids: dict[str, int] = {}
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            next(reader)
            for order_no, line, day, code, _name, sku, qty, price, amount, cost in reader:
                account = accounts[code]
                order_id = order_ids.get(order_no)
                if order_id is None:
                    order_id = order_ids[order_no] = len(order_ids) + 1
                    orders.append((order_id, "erp", order_no, account, order_no, day,
                                   "delivered", "CNY"))  # fmt: skip
                lines.append(("erp", f"{order_no}/{line}", order_id, account, products[sku],
                              line, qty, price, 0, amount, cost, "CNY"))  # fmt: skip
                rows += 1
        with cursor.copy(
            "COPY ledger_order (id, source, external_id, account_id, order_no, order_date, "
            "status, currency) FROM STDIN"
        ) as copy:
            for row in orders:
                copy.write_row(row)
        with cursor.copy(
            "COPY ledger_orderline (source, external_id, order_id, account_id, product_id, "
            "line_no, quantity, unit_price, unit_cost, amount, cost, currency) FROM STDIN"
        ) as copy:
            for row in lines:
                copy.write_row(row)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('ledger_order', 'id'), %s)", [len(order_ids)]
        )
    return {"rows": rows, "seconds": time.perf_counter() - started}


# --- the run ----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--server", default="postgres://openkam@127.0.0.1:54329")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--worker", nargs="+")
    args = parser.parse_args()
    if args.worker:
        name, *rest = args.worker
        figures = worker_engine(*rest) if name == "engine" else worker_copy(*rest)
        print(json.dumps(figures))
        return 0
    bench = _import_bench()
    template = "openkam_import_bench_template"
    with tempfile.TemporaryDirectory(prefix="openkam-import-pg-") as tmp:
        folder = Path(tmp)
        path = folder / "orders.csv"
        bench.generate(path, args.lines, args.seed)
        admin(args.server, f"DROP DATABASE IF EXISTS {template}")
        admin(args.server, f"CREATE DATABASE {template}")
        done = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "import.py"), "--worker", "setup"],
            env=environment(f"{args.server}/{template}", folder), capture_output=True, text=True,
        )  # fmt: skip
        if done.returncode != 0:
            raise SystemExit(done.stderr[-3000:])
        runs: dict[str, list[dict[str, Any]]] = {"engine": [], "copy": []}
        for run in range(args.runs):
            for side in ("engine", "copy"):
                name = f"openkam_import_bench_{side}"
                admin(args.server, f"DROP DATABASE IF EXISTS {name}")
                admin(args.server, f"CREATE DATABASE {name} TEMPLATE {template}")
                url = f"{args.server}/{name}"
                given = [side, str(path)] + ([url] if side == "copy" else [])
                figures = child(given, environment(url, folder))
                runs[side].append(figures)
                print(f"  run {run + 1} {side}: {figures}", flush=True)
                admin(args.server, f"DROP DATABASE {name}")
        admin(args.server, f"DROP DATABASE {template}")
    return 0 if report(runs, args.lines) else 1


def report(runs: dict[str, list[dict[str, Any]]], lines: int) -> bool:
    def median(side: str, key: str) -> float:
        return statistics.median(float(r[key]) for r in runs[side])

    engine, again, copy = (median("engine", "first_seconds"), median("engine", "again_seconds"),
                           median("copy", "seconds"))  # fmt: skip
    print(
        f"\nOrder lines import, PostgreSQL, {lines:,} lines, median of {len(runs['copy'])} runs\n"
    )
    print(f"{'side':<40}{'seconds':>10}{'rows/s':>12}")
    for label, seconds in (("bare COPY", copy), ("OpenKAM engine, new rows", engine),
                           ("OpenKAM engine, the same file again", again)):  # fmt: skip
        print(f"{label:<40}{seconds:>10.1f}{lines / seconds:>12,.0f}")
    ratio = copy / engine
    print(f"\nengine / COPY speed, new rows: {ratio:.2f} (goal >= {GOAL:.2f})")
    print(f"engine / COPY speed, the same file again: {copy / again:.2f}")
    return ratio >= GOAL


if __name__ == "__main__":
    sys.exit(main())
