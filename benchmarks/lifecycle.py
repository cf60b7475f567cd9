"""Benchmark: the lifecycle stages suggested for every account after a refresh
(openkam.retention.services.lifecycle_refresh), goal: seconds at 100,000 accounts, beside
reading the refresh's snapshot of those accounts (the baseline), measured in the same run.

    .venv/bin/python benchmarks/lifecycle.py                    # 100,000 accounts
    .venv/bin/python benchmarks/lifecycle.py --accounts 10000   # quick check

Builds a fresh SQLite database in --workdir with N accounts and one refresh's snapshots
(figures drawn so every stage occurs), then times: the baseline read; a first pass where
most accounts move (every move logged); a second pass where nothing moves.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--workdir", default="/tmp/openkam-bench", type=Path)
    options = parser.parse_args()
    db = options.workdir / f"lifecycle-{options.accounts}.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    db.unlink(missing_ok=True)
    url = f"sqlite:///{db.as_posix()}"
    env = {**os.environ, "DATABASE_URL": url, "OPENKAM_DEMO": "1"}
    subprocess.run([str(ROOT / ".venv" / "bin" / "openkam"), "migrate", "-v0"], check=True, env=env)
    os.environ.update(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="openkam.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from openkam.accounts.models import Account
    from openkam.portfolio.models import AccountSnapshot, PortfolioRun
    from openkam.retention.services import lifecycle_refresh

    as_of = dt.date(2026, 6, 30)
    rng = random.Random(20261207)
    Account.objects.bulk_create(
        (Account(legal_name=f"客户{i}", relationship_stage=rng.choice(["early", "mid"]))
         for i in range(options.accounts)), batch_size=5000,
    )  # fmt: skip
    run = PortfolioRun.objects.create(as_of=as_of, status=PortfolioRun.Status.DONE)
    AccountSnapshot.objects.bulk_create(
        (AccountSnapshot(
            run=run, account_id=pk, as_of=as_of, tier="general", tier_proposed="general",
            purchase_days=rng.choice([0, 3, 20, 40]), age_weeks=rng.uniform(10, 300),
            days_since_last_purchase=rng.randint(1, 600), p_alive=rng.random(),
            churn_level=rng.choice(["low", "medium", "high"]),
            revenue_12m=Decimal(rng.randint(0, 10**6)), revenue_prev_12m=Decimal(10**5),
        ) for pk in Account.objects.values_list("pk", flat=True).iterator()),
        batch_size=5000,
    )  # fmt: skip
    start = time.perf_counter()
    rows = sum(1 for _ in AccountSnapshot.objects.filter(run=run).values_list(
        "account_id", "p_alive", "churn_level").iterator(chunk_size=5000))  # fmt: skip
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    first = lifecycle_refresh(as_of=as_of)
    moved = time.perf_counter() - start
    start = time.perf_counter()
    second = lifecycle_refresh(as_of=as_of)
    steady = time.perf_counter() - start
    print(f"\nlifecycle stages of {first.accounts:,} accounts (SQLite)")
    print(f"  reading the snapshot (baseline):  {baseline:8.2f} s  ({rows:,} rows)")
    print(f"  first pass ({first.changed:,} moves):  {moved:8.2f} s  ({moved / baseline:.1f}x)")
    print(
        f"  second pass ({second.changed} moves):      {steady:8.2f} s  ({steady / baseline:.1f}x)"
    )
    print(f"  goal:                             {GOAL_SECONDS:8.0f} s at 100,000 accounts")
    print(f"  stages after: {first.by_stage}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
