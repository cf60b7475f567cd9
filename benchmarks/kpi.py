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
   time per request, p50 / p95 / max, and the number of database queries of one reading,
   each persona's CPU p95 printed beside the goal. CPU time is what a loaded machine cannot
   inflate.
4. With --http, the executive's page over HTTP: gunicorn (--workers) serves the same
   database and --users threads that never pause send --requests requests (after a warm-up),
   benchmarks/pages.py's method; p50 / p95 printed beside the goal. On a loaded machine this
   wall-clock figure measures the load, not the page: report the in-process CPU figure then.

The goal (issue 14): p95 under 150 ms for the executive at 10 concurrent users. Served
saturated on 2 cores, a page's p95 is about users per core times its CPU time, so the goal
needs about 25 ms of CPU a reading (CPU_BUDGET_MS).
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
CPU_BUDGET_MS = 25.0  # 10 users on 2 cores: 150 ms ÷ (10 ÷ 2) with some room
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
    parser.add_argument("--http", action="store_true", help="also the executive's page over HTTP")
    parser.add_argument("--users", type=int, default=10, help="--http: concurrent users")
    parser.add_argument("--port", type=int, default=8102, help="--http: gunicorn's port")
    parser.add_argument("--workers", type=int, default=4, help="--http: gunicorn's workers")
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
          f"{'cpu/budget':>10} {'p95 wall':>9} {'max wall':>9} {'queries':>8}")  # fmt: skip
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
            f"{p95(cpu):>8.1f} {p95(cpu) / CPU_BUDGET_MS:>10.2f} {p95(wall):>9.1f} "
            f"{max(wall):>9.1f} {queries:>8}"
        )
    print(f"in process: CPU p95 per reading against {CPU_BUDGET_MS:.0f} ms, the CPU that "
          f"p95 < {GOAL_P95_MS:.0f} ms at 10 users on 2 cores allows")  # fmt: skip
    if options.http:
        _user, scope = scope_of("executive")
        http_p95(options, url, f"{reverse('performance:kpis')}?scope={scope}&period={period}")


def http_p95(options: argparse.Namespace, url: str, page: str) -> None:
    """The executive's page over HTTP at --users users never pausing (benchmarks/pages.py)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import pages

    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"  # gunicorn inherits the environment
    server_options = argparse.Namespace(port=options.port, workers=options.workers)
    server = pages.start_server(server_options, url)
    try:
        pages.run_load(options.port, "executive", [page], options.users, 30, 0.0)  # warm-up
        times, errors, wall = pages.run_load(
            options.port, "executive", [page], options.users, options.requests, 0.0
        )
    finally:
        pages.stop_server(server)
    found = pages.percentile(times, 95)
    verdict = "met" if found < GOAL_P95_MS and not errors else "not met"
    print(
        f"HTTP executive, {options.users} users never pausing, {len(times)} requests in "
        f"{wall:.1f} s ({errors} errors): p50 {pages.percentile(times, 50):.0f} ms, "
        f"p95 {found:.0f} ms against the goal {GOAL_P95_MS:.0f} ms: {verdict}"
    )


if __name__ == "__main__":
    main()
