"""Importing order lines: OpenKAM's import engine beside the bare `executemany` of the same rows
and beside django-import-export (4.4.3, the ecosystem's usual tool), in the same run.

A seeded synthetic ERP export (CSV, UTF-8 with BOM, one order line per row, the order's header
repeated on its lines, 2,000 customers by ERP code, 500 SKUs) is imported into a fresh SQLite
database (WAL, the project's settings) per side, each side in its own child process so peak
memory is that process's max RSS:

- engine: `import_run(kind="orders")`, the code behind `openkam import` and the upload page:
  parsing and validation of every cell, account and product matching, comparison with what is
  stored (idempotency), orders and lines written, per-account aggregates rebuilt;
- baseline: the same CSV read with the csv module, cells bound as they are (no validation), two
  INSERT ... executemany (orders, lines) in batches of 5,000 in one transaction: the floor;
- django-import-export: ModelResources for orders and lines with foreign-key widgets, its bulk
  mode (use_bulk, batch 5,000), on the first 100,000 lines (benchmarks/.venv-import-export, made
  on first use, holds it: it is not a project dependency).

Goals: the engine at least half the baseline's rows/s; its memory flat in file size (peak RSS
at 100,000 and 1,000,000 lines).

    .venv/bin/python benchmarks/import.py [--lines 1000000] [--small 100000] [--seed 42]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
IE_DIR = ROOT / "benchmarks" / ".venv-import-export"
IE_REQUIREMENTS = ["django-import-export==4.4.3", "tablib==3.9.0", "diff-match-patch==20241021"]
ACCOUNTS = 2000
PRODUCTS = 500
BATCH = 5000
HEADERS = ["订单号", "行号", "下单日期", "客户编码", "客户名称", "产品编码", "数量", "单价", "金额",
           "成本"]  # fmt: skip


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def customer(i: int) -> tuple[str, str]:
    return f"C{i:05d}", f"测试客户{i:05d}电梯有限公司"


def generate(path: Path, lines: int, seed: int) -> None:
    """Order lines, 1 to 12 per order, dated over three years; streamed to the file."""
    rng = random.Random(seed)
    start = dt.date(2022, 1, 1)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        written, order = 0, 0
        while written < lines:
            order += 1
            code, name = customer(rng.randrange(ACCOUNTS))
            day = (start + dt.timedelta(days=rng.randrange(3 * 365))).isoformat()
            for line in range(1, min(rng.randint(1, 12), lines - written) + 1):
                quantity = rng.randint(1, 200)
                price = rng.randint(100, 500_000) / 100
                amount = round(quantity * price, 2)
                cost = round(amount * rng.uniform(0.55, 0.85), 2)
                sku = f"P{rng.randrange(PRODUCTS):04d}"
                writer.writerow([f"SO{order:08d}", line, day, code, name, sku, quantity,
                                 f"{price:.2f}", f"{amount:.2f}", f"{cost:.2f}"])  # fmt: skip
                written += 1


def django_env(db: Path, var: Path) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "OPENKAM_VAR_DIR": str(var),
            "DJANGO_SETTINGS_MODULE": "openkam.settings"}  # fmt: skip


def run_child(python: Path, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run one side in its own process; its figures are printed as soon as they are known."""
    done = subprocess.run(
        [str(python), __file__, "--worker", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"worker {args[0]} failed:\n{done.stderr[-3000:]}")
    figures = dict(json.loads(done.stdout.strip().splitlines()[-1]))
    if figures:
        print(f"  {args[0]} {Path(args[1]).name}: {figures}", flush=True)
    return figures


# --- workers (each in its own process) -------------------------------------------------------


def worker_setup() -> dict[str, Any]:
    """Migrate the template database; create the customers (with their ERP codes) and SKUs."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command

    from openkam.accounts.models import Account
    from openkam.imports.models import AccountKey
    from openkam.ledger.models import Product

    call_command("migrate", verbosity=0, skip_checks=True)
    Account.objects.bulk_create(Account(legal_name=customer(i)[1]) for i in range(ACCOUNTS))
    ids = dict(Account.objects.values_list("legal_name", "id"))
    AccountKey.objects.bulk_create(
        AccountKey(source="erp", external_id=customer(i)[0], account_id=ids[customer(i)[1]])
        for i in range(ACCOUNTS)
    )
    Product.objects.bulk_create(
        Product(sku=f"P{i:04d}", name=f"部件{i}", standard_cost=100) for i in range(PRODUCTS)
    )
    return {}


def worker_engine(path: str) -> dict[str, Any]:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from openkam.imports import services

    rebuild = services.aggregates_rebuild
    spent = {"aggregates": 0.0, "peak_mib_rows": 0.0}

    def timed_rebuild(**kwargs: Any) -> tuple[int, int]:
        spent["peak_mib_rows"] = peak_rss_mib()  # before the aggregates
        started = time.perf_counter()
        done = rebuild(**kwargs)
        spent["aggregates"] += time.perf_counter() - started
        return done

    services.aggregates_rebuild = timed_rebuild
    # The alerts of the accounts an import wrote are evaluated at its end (issue 12): timed apart,
    # so the engine's own reading and writing compares with earlier releases, which had none.
    from openkam.alerts import services as alerts

    evaluate = alerts.alerts_evaluate

    def timed_alerts(**kwargs: Any) -> Any:
        started = time.perf_counter()
        done = evaluate(**kwargs)
        spent["alerts"] += time.perf_counter() - started
        return done

    spent["alerts"] = 0.0
    alerts.alerts_evaluate = timed_alerts
    started = time.perf_counter()
    run = services.import_run(kind="orders", path=Path(path))
    seconds = time.perf_counter() - started
    return {"rows": run.rows_inserted, "rejected": run.rows_rejected, "seconds": seconds,
            "aggregates_seconds": spent["aggregates"], "alerts_seconds": spent["alerts"],
            "peak_mib_rows": spent["peak_mib_rows"],
            "peak_mib": peak_rss_mib()}  # fmt: skip


def worker_baseline(path: str, db: str) -> dict[str, Any]:
    """Bare executemany: no validation, no lookups beyond two dicts, no comparison."""
    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    accounts = dict(connection.execute("SELECT external_id, account_id FROM imports_accountkey"))
    products = dict(connection.execute("SELECT sku, id FROM ledger_product"))
    order_sql = (
        "INSERT INTO ledger_order (id, source, external_id, account_id, order_no, order_date, "
        "status, currency) VALUES (?, 'erp', ?, ?, ?, ?, 'delivered', 'CNY')"
    )
    line_sql = (
        "INSERT INTO ledger_orderline (source, external_id, order_id, account_id, product_id, "
        "line_no, quantity, unit_price, unit_cost, amount, cost, currency) "
        "VALUES ('erp', ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 'CNY')"
    )
    started = time.perf_counter()
    connection.execute("BEGIN IMMEDIATE")
    rows = last_id = 0
    order_ids: dict[str, int] = {}
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        orders: list[tuple[Any, ...]] = []
        lines: list[tuple[Any, ...]] = []
        for order_no, line, day, code, _name, sku, qty, price, amount, cost in reader:
            account = accounts[code]
            order_id = order_ids.get(order_no)
            if order_id is None:
                last_id += 1
                order_id = order_ids[order_no] = last_id
                orders.append((order_id, order_no, account, order_no, day))
            lines.append((f"{order_no}/{line}", order_id, account, products[sku], line, qty,
                          price, amount, cost))  # fmt: skip
            rows += 1
            if len(lines) == BATCH:
                connection.executemany(order_sql, orders)
                connection.executemany(line_sql, lines)
                orders, lines = [], []
                order_ids = {order_no: order_id}
        connection.executemany(order_sql, orders)
        connection.executemany(line_sql, lines)
    connection.execute("COMMIT")
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "peak_mib": peak_rss_mib()}


def worker_import_export(path: str) -> dict[str, Any]:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    import tablib
    from import_export import fields, resources, widgets

    from openkam.accounts.models import Account
    from openkam.imports.models import AccountKey
    from openkam.ledger.models import Order, OrderLine, Product

    ids = dict(AccountKey.objects.values_list("external_id", "account_id"))

    class OrderResource(resources.ModelResource):
        account = fields.Field(attribute="account", column_name="account",
                               widget=widgets.ForeignKeyWidget(Account, "pk"))  # fmt: skip

        class Meta:
            model = Order
            fields = ("source", "external_id", "account", "order_no", "order_date")
            import_id_fields = ("external_id",)
            use_bulk = True
            batch_size = BATCH
            skip_unchanged = True
            report_skipped = False

    class LineResource(resources.ModelResource):
        order = fields.Field(attribute="order", column_name="order",
                             widget=widgets.ForeignKeyWidget(Order, "external_id"))  # fmt: skip
        account = fields.Field(attribute="account", column_name="account",
                               widget=widgets.ForeignKeyWidget(Account, "pk"))  # fmt: skip
        product = fields.Field(attribute="product", column_name="product",
                               widget=widgets.ForeignKeyWidget(Product, "sku"))  # fmt: skip

        class Meta:
            model = OrderLine
            fields = ("source", "external_id", "order", "account", "product", "line_no",
                      "quantity", "unit_price", "amount", "cost")  # fmt: skip
            import_id_fields = ("external_id",)
            use_bulk = True
            batch_size = BATCH
            skip_unchanged = True
            report_skipped = False

    started = time.perf_counter()
    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))[1:]
    headers: dict[str, list[Any]] = {}
    line_columns = ["source", "external_id", "order", "account", "product", "line_no",
                    "quantity", "unit_price", "amount", "cost"]  # fmt: skip
    lines = tablib.Dataset(headers=line_columns)
    for order_no, line, day, code, _name, sku, qty, price, amount, cost in records:
        headers.setdefault(order_no, ["erp", order_no, ids[code], order_no, day])
        lines.append(["erp", f"{order_no}/{line}", order_no, ids[code], sku, line, qty, price,
                      amount, cost])  # fmt: skip
    order_columns = ["source", "external_id", "account", "order_no", "order_date"]
    orders = tablib.Dataset(*headers.values(), headers=order_columns)
    first = OrderResource().import_data(orders, raise_errors=True)
    second = LineResource().import_data(lines, raise_errors=True)
    seconds = time.perf_counter() - started
    assert not first.has_errors()
    assert not second.has_errors()
    return {"rows": OrderLine.objects.count(), "seconds": seconds, "peak_mib": peak_rss_mib()}


def ensure_import_export() -> bool:
    """django-import-export in a folder of its own, put on sys.path by its worker only."""
    if (IE_DIR / "import_export").is_dir():
        return True
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(IE_DIR),
         *IE_REQUIREMENTS],
        check=False,
    )  # fmt: skip
    return done.returncode == 0


# --- the run -------------------------------------------------------------------------------


def fresh_db(template: Path, folder: Path, name: str) -> Path:
    db = folder / f"{name}.sqlite3"
    shutil.copyfile(template, db)
    return db


def report(figures: dict[str, dict[str, Any]], lines: int, small: int) -> bool:
    def rate(key: str) -> float:
        return float(figures[key]["rows"]) / float(figures[key]["seconds"])

    print(f"\nOrder lines import, SQLite, {lines:,} lines ({small:,} for the small file)\n")
    print(f"{'side':<34}{'rows':>11}{'seconds':>10}{'rows/s':>11}{'peak RSS MiB':>14}")
    for key, label in (
        ("engine_big", f"OpenKAM engine, {lines:,}"),
        ("baseline_big", f"bare executemany, {lines:,}"),
        ("engine_small", f"OpenKAM engine, {small:,}"),
        ("baseline_small", f"bare executemany, {small:,}"),
        ("import_export", f"django-import-export, {small:,}"),
    ):
        if key in figures:
            f = figures[key]
            print(f"{label:<34}{f['rows']:>11,}{f['seconds']:>10.1f}{rate(key):>11,.0f}"
                  f"{f['peak_mib']:>14.0f}")  # fmt: skip
    speed = rate("engine_big") / rate("baseline_big")
    aggregates = figures["engine_big"]["aggregates_seconds"]
    alerts = figures["engine_big"]["alerts_seconds"]
    print(f"\nof the engine's {figures['engine_big']['seconds']:.1f} s, {aggregates:.1f} s rebuild "
          "the per-account aggregates (ledger.services.aggregates_rebuild) and "
          f"{alerts:.1f} s evaluate the alerts of the accounts written")  # fmt: skip
    growth = figures["engine_big"]["peak_mib"] / figures["engine_small"]["peak_mib"]
    rows_growth = figures["engine_big"]["peak_mib_rows"] / figures["engine_small"]["peak_mib_rows"]
    print(f"\nengine / baseline speed ({lines:,}): {speed:.2f} (goal >= 0.50)")
    print(f"engine peak RSS {lines:,} / {small:,}: {growth:.2f} (flat = 1.00; file is "
          f"{lines // small}x larger)")  # fmt: skip
    print(f"engine peak RSS up to the aggregates {lines:,} / {small:,}: {rows_growth:.2f} "
          f"({figures['engine_big']['peak_mib_rows']:.0f} / "
          f"{figures['engine_small']['peak_mib_rows']:.0f} MiB)")  # fmt: skip
    if "import_export" in figures:
        print(f"engine / django-import-export speed ({small:,}): "
              f"{rate('engine_small') / rate('import_export'):.1f}x")  # fmt: skip
    return speed >= 0.5 and growth < 1.5


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip-import-export", action="store_true")
    parser.add_argument("--worker", nargs="+")
    args = parser.parse_args()
    if args.worker:
        name, *rest = args.worker
        workers: dict[str, Callable[..., dict[str, Any]]] = {
            "setup": worker_setup,
            "engine": worker_engine,
            "baseline": worker_baseline,
            "import_export": worker_import_export,
        }
        if name == "import_export":
            sys.path.insert(0, str(IE_DIR))
        print(json.dumps(workers[name](*rest)))
        return 0
    python = Path(sys.executable)
    print(f"seed {args.seed}")
    with tempfile.TemporaryDirectory(prefix="openkam-import-bench-") as tmp:
        folder = Path(tmp)
        big, small = folder / "orders_big.csv", folder / "orders_small.csv"
        generate(big, args.lines, args.seed)
        generate(small, args.small, args.seed)
        template = folder / "template.sqlite3"
        run_child(python, ["setup"], django_env(template, folder))
        figures: dict[str, dict[str, Any]] = {}
        for size, path in (("small", small), ("big", big)):
            db = fresh_db(template, folder, f"engine_{size}")
            figures[f"engine_{size}"] = run_child(python, ["engine", str(path)],
                                                  django_env(db, folder))  # fmt: skip
            db = fresh_db(template, folder, f"baseline_{size}")
            figures[f"baseline_{size}"] = run_child(
                python, ["baseline", str(path), str(db)], django_env(db, folder)
            )
        if not args.skip_import_export and ensure_import_export():
            db = fresh_db(template, folder, "import_export")
            figures["import_export"] = run_child(python, ["import_export", str(small)],
                                                 django_env(db, folder))  # fmt: skip
    return 0 if report(figures, args.lines, args.small) else 1


if __name__ == "__main__":
    sys.exit(main())
