"""Benchmark: `openkam alerts` on the 100,000-account demo (goal: under 60 s), beside the
portfolio refresh on the same database (the baseline), measured in the same run.

    .venv/bin/python benchmarks/alerts.py                                  # 100,000 accounts
    .venv/bin/python benchmarks/alerts.py --accounts 5000 --lines 500000   # quick check

1. Builds (once, kept in --workdir) a SQLite database with the demo at that scale (the same
   files benchmarks/refresh.py builds and reuses).
2. Times portfolio_refresh() once: the baseline, and the snapshot the rules read.
3. Times alerts_evaluate() on every rule three times: the first run raises the alerts, the
   second finds the same figures (updates last_seen only), the third runs after every stored
   figure was moved by a cent, as after a nightly refresh (every alert gets new figures).
   Prints each rule's time and counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 60.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--seed", type=int, default=20240501)
    parser.add_argument("--today", default="2026-06-30", help="last ledger day and as-of date")
    parser.add_argument("--workdir", default="/tmp/openkam-bench", type=Path)
    return parser.parse_args()


def ensure_demo(db: Path, options: argparse.Namespace) -> str:
    url = f"sqlite:///{db.as_posix()}"
    env = {**os.environ, "DATABASE_URL": url, "OPENKAM_DEMO": "1"}
    command = [str(ROOT / ".venv" / "bin" / "openkam")]
    if not db.exists():
        db.parent.mkdir(parents=True, exist_ok=True)
        print(f"building the demo in {db} (once) ...", flush=True)
        subprocess.run([*command, "migrate", "-v0"], check=True, env=env)
        subprocess.run(
            [
                *command, "demo",
                "--accounts", str(options.accounts),
                "--lines", str(options.lines),
                "--years", str(options.years),
                "--seed", str(options.seed),
                "--today", options.today,
            ],
            check=True,
            env=env,
        )  # fmt: skip
    else:  # a database built before the alerts app existed gets its tables
        subprocess.run([*command, "migrate", "-v0"], check=True, env=env)
    return url


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openkam.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def timed_evaluation(as_of: dt.date) -> tuple[float, dict[str, float], object]:
    from openkam.alerts.services import alerts_evaluate

    steps: dict[str, float] = {}
    started = {"": time.perf_counter()}  # the rule running now -> when it started

    def step(key: str) -> None:
        now = time.perf_counter()
        ((running, since),) = started.items()
        if running:
            steps[running] = now - since
        started.clear()
        started[key] = now

    start = time.perf_counter()
    result = alerts_evaluate(as_of=as_of, progress=step)
    end = time.perf_counter()
    ((running, since),) = started.items()
    steps[running] = end - since
    return end - start, steps, result


def main() -> int:
    options = parse_args()
    tag = f"{options.accounts}-{options.lines}-{options.seed}"
    url = ensure_demo(options.workdir / f"refresh-{tag}.sqlite3", options)
    setup_django(url)
    from django.db.models import F

    from openkam.alerts.models import Alert
    from openkam.portfolio.services import portfolio_refresh

    as_of = dt.date.fromisoformat(options.today)
    Alert.objects.all().delete()
    start = time.perf_counter()
    run = portfolio_refresh(as_of=as_of)
    refresh = time.perf_counter() - start
    first, first_steps, raised = timed_evaluation(as_of)
    second, _steps, steady = timed_evaluation(as_of)
    Alert.objects.update(value_at_risk=F("value_at_risk") + Decimal("0.01"))
    third, _steps, _moved = timed_evaluation(as_of)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nopenkam alerts on {run.accounts:,} accounts (SQLite)")
    print(f"  portfolio refresh (baseline):     {refresh:8.2f} s")
    print(f"  alerts, first run (raises):       {first:8.2f} s  ({first / refresh:.2f}x refresh)")
    print(f"  alerts, second run (steady):      {second:8.2f} s  ({second / refresh:.2f}x refresh)")
    print(f"  alerts, figures moved (nightly):  {third:8.2f} s  ({third / refresh:.2f}x refresh)")
    print(f"  goal:                             {GOAL_SECONDS:8.0f} s at 100,000 accounts")
    print(f"  peak memory of this process:      {peak:8.0f} MiB")
    for key, seconds in first_steps.items():
        counts = raised.by_rule.get(key, {})  # type: ignore[attr-defined]
        print(f"    {key:<20} {seconds:6.2f} s  raised {counts.get('created', 0):>7,}")
    print(f"  second run: {steady.by_rule}")  # type: ignore[attr-defined]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
