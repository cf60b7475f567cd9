"""Benchmark: the KPI page (the ten KPIs with their trends; the company's teams against their
targets) on the 100,000-account demo, rendered in process through Django's test client.

    .venv/bin/python benchmarks/kpi.py                      # copies the pages benchmark's demo
    .venv/bin/python benchmarks/kpi.py --requests 200 --period 2026-Q4
    .venv/bin/python benchmarks/kpi.py --database-url postgres://openkam@127.0.0.1:54330/okam_h4

1. Works on a COPY of the pages benchmark's SQLite demo (benchmarks/pages.py --reuse keeps it
   at /tmp/openkam-pages-100000.sqlite3; that file is only read, never migrated or written):
   the copy is made once (--copy), then migrated (`openkam migrate`), so the benchmark never
   rebuilds a demo. A PostgreSQL URL is used as it is (it must hold the demo).
2. For each persona (the executive: the company; a director: their team; a KAM: themselves)
   the first reading after a refresh computes the figures and keeps them (KpiFigures): that
   cold time is printed apart, as the refresh's warm-up does it for the company's year.
3. Then --requests readings of the page per persona: CPU time (time.process_time) and wall
   time per request, p50 / p95 / max, and the number of database queries of one reading.
   CPU time is what a loaded machine cannot inflate; the HTTP load at 10 users is measured by
   benchmarks/pages.py's method on a quiet machine.

The goal (issue 14): p95 under 150 ms for the executive at 10 concurrent users.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
SOURCE = Path("/tmp/openkam-pages-100000.sqlite3")
COPY = Path("/tmp/openkam-kpi-100000.sqlite3")
GOAL_P95_MS = 150.0
PERSONAS = (("executive", "company"), ("director", "team"), ("kam", "kam"))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", default="", help=f"default: sqlite {COPY}")
    parser.add_argument("--copy", default=str(SOURCE), help="the demo to copy when missing")
    parser.add_argument("--requests", type=int, default=100, help="timed readings per persona")
    parser.add_argument("--period", default="", help="default: the current year")
    parser.add_argument(
        "--keep", action="store_true", help="read the figures an earlier run kept (no cold reading)"
    )
    return parser.parse_args()


def prepare(options: argparse.Namespace) -> str:
    if options.database_url:
        return str(options.database_url)
    if not COPY.exists():
        source = Path(options.copy)
        if not source.exists():
            sys.exit(f"{source} is missing: build it with benchmarks/pages.py --accounts 100000")
        print(f"copying {source} to {COPY} ({source.stat().st_size / 1e9:.1f} GB)")
        shutil.copyfile(source, COPY)
    return f"sqlite:///{COPY}"


def environment(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "testserver",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40),
        "LOG_LEVEL": "ERROR",
    }


def django_setup(url: str) -> None:
    subprocess.run([str(BIN / "openkam"), "migrate", "-v0"], check=True, env=environment(url))
    os.environ.update(environment(url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openkam.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def reading(client: Any, url: str) -> tuple[float, float, int]:
    """CPU ms, wall ms and queries of one GET (which must answer 200)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        cpu, wall = time.process_time(), time.perf_counter()
        response = client.get(url)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if response.status_code != 200:
        sys.exit(f"{url}: {response.status_code}")
    return cpu * 1000, wall * 1000, len(queries)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def scope_of(role: str) -> tuple[Any, str]:
    from openkam.team.models import Role, Team, User

    user = User.objects.filter(role=getattr(Role, role.upper()), is_active=True)
    if role == "director":
        user = user.filter(pk__in=Team.objects.values("director_id"))
    found = user.order_by("pk").first()
    if found is None:
        sys.exit(f"the demo has no active {role}")
    if role == "executive":
        return found, "company"
    if role == "director":
        team = Team.objects.filter(director=found).order_by("pk").first()
        return found, f"team:{team.pk if team else 0}"
    return found, f"kam:{found.pk}"


def main() -> None:
    options = parse_args()
    url = prepare(options)
    django_setup(url)
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from openkam.accounts.models import Account
    from openkam.performance.models import KpiFigures
    from openkam.portfolio.models import PortfolioRun

    period = options.period or str(timezone.localdate().year)
    print(f"{Account.objects.count():,} accounts; period {period}; {options.requests} readings")
    if not PortfolioRun.objects.filter(status=PortfolioRun.Status.DONE).exists():
        sys.exit("the demo has no finished refresh: run `openkam refresh` on it first")
    if not options.keep:
        KpiFigures.objects.all().delete()  # the cold reading is measured from nothing kept
    print(f"{'persona':<10} {'scope':<8} {'cold ms':>9} {'p50 cpu':>8} {'p95 cpu':>8} "
          f"{'p95 wall':>9} {'max wall':>9} {'queries':>8} {'p95/goal':>9}")  # fmt: skip
    for role, _kind in PERSONAS:
        user, scope = scope_of(role)
        client = Client()
        client.force_login(user)
        page = f"{reverse('performance:kpis')}?scope={scope}&period={period}"
        cold = reading(client, page)
        cpu, wall, queries = [], [], 0
        for _ in range(options.requests):
            one = reading(client, page)
            cpu.append(one[0])
            wall.append(one[1])
            queries = one[2]
        print(
            f"{role:<10} {scope.split(':')[0]:<8} {cold[1]:>9.0f} {statistics.median(cpu):>8.1f} "
            f"{p95(cpu):>8.1f} {p95(wall):>9.1f} {max(wall):>9.1f} {queries:>8} "
            f"{p95(wall) / GOAL_P95_MS:>9.2f}"
        )


if __name__ == "__main__":
    main()
