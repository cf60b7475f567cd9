"""Benchmark: the yearly tier review on the 100,000-account demo (issue 11: opening a review
under 30 s; the review's pages p95 under 150 ms at 10 concurrent users).

    cp /tmp/openkam-pages-100000.sqlite3 /tmp/h6/pages.sqlite3     # a COPY: the run writes
    .venv/bin/python benchmarks/tier_review.py --database-url sqlite:////tmp/h6/pages.sqlite3
    .venv/bin/python benchmarks/tier_review.py --database-url ... --in-process-only
    .venv/bin/python benchmarks/tier_review.py --database-url ... --open --year 2027

Work on a COPY of the demo database (`benchmarks/pages.py` builds it): logging in writes
sessions, and --open writes a review. The database must be migrated and refreshed, and hold
a review not closed yet (the demo opens one) unless --open is given.

1. --open: opens the review of --year as the analyst through the service the page and the
   command use (`governance.services.review_open`; an open review, or one of that year, is
   deleted first so the run can be repeated) and prints wall and CPU seconds (goal < 30 s).
2. In process, through Django's test client (no HTTP server, one request at a time, DEBUG
   off, sessions in signed cookies so nothing is written): each page's SQL queries, the
   median CPU ms of --renders renders after warming up, and wall p50 / p95. This is the figure
   to watch on a loaded machine: at 10 users never pausing on 2 cores, p95 < 150 ms needs
   about 13 ms of CPU per page in process (measured: 15-17 ms gave a review's p95 151-158 ms
   over HTTP, 18-22 ms the evidence's 171-193 ms).
3. Over HTTP (skipped with --in-process-only): gunicorn as in production, --users concurrent
   users from a second process (benchmarks/pages.py's load), --requests requests per page
   and persona: the list of reviews, the review (its first page, a later page, a filter and a
   sort in turn) and a proposal's evidence page (a sample of the review's proposals). The
   baseline, measured in the same run at the same load, is the cheapest page a logged-in user
   gets (the log-in form: session, user, middleware, a small template): it is the stack's
   floor, so a page's p95 beside it shows what the page itself costs.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import pages as load  # noqa: E402  (benchmarks/pages.py: gunicorn and the HTTP load)

GOAL_OPEN_S = 30.0
GOAL_P95_MS = 150.0
CPU_BUDGET_MS = 13.0  # per page in process, for p95 < 150 ms at 10 saturating users, 2 cores
PERSONAS = ("analyst", "executive")
BASELINE = "baseline"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--open", action="store_true", help="open a new review first")
    parser.add_argument("--year", type=int, default=0, help="with --open; default: next year")
    parser.add_argument("--in-process-only", action="store_true", help="no HTTP load")
    parser.add_argument("--renders", type=int, default=30, help="in-process renders per page")
    parser.add_argument("--users", type=int, default=10, help="concurrent simulated users")
    parser.add_argument("--requests", type=int, default=500, help="HTTP requests per page")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument("--think", type=float, default=0.0, help="as benchmarks/pages.py")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--seed", type=int, default=11)
    return parser.parse_args()


def open_review(year: int) -> Any:
    from django.utils import timezone

    from openkam.governance import services
    from openkam.portfolio.models import TierProposal, TierReview
    from openkam.team.models import User

    year = year or timezone.localdate().year + 1
    stale = TierReview.objects.filter(year=year) | TierReview.objects.exclude(
        status=TierReview.Status.CLOSED
    )
    for old in stale:
        TierProposal.objects.filter(review=old).delete()
        old.delete()
    wall, cpu = time.perf_counter(), time.process_time()
    review = services.review_open(user=User.objects.get(username="analyst"), year=year)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    verdict = "met" if wall < GOAL_OPEN_S else "NOT MET"
    made = review.proposals.count()
    print(f"open review {year}: {wall:.1f} s wall, {cpu:.1f} s CPU, {made:,} proposals")
    print(f"goal: opening under {GOAL_OPEN_S:.0f} s: {verdict}")
    return review


def page_paths(review: Any, seed: int) -> dict[str, list[str]]:
    """The pages timed, each a list of paths requested in turn."""
    from django.urls import reverse

    url = review.get_absolute_url()
    ids = list(review.proposals.order_by().values_list("pk", flat=True))
    sample = random.Random(seed).sample(ids, min(200, len(ids)))
    return {
        BASELINE: ["/login/"],
        "review list": [reverse("governance:reviews")],
        "review": [url, f"{url}?page=5", f"{url}?status=proposed&tier=key", f"{url}?sort=-current"],
        "proposal evidence": [reverse("governance:proposal", args=[pk]) for pk in sample],
    }


def in_process(paths: dict[str, list[str]], renders: int) -> dict[tuple[str, str], dict]:
    """Queries, CPU ms and wall ms per render through Django's test client."""
    from django.contrib.auth import user_logged_in
    from django.contrib.auth.models import update_last_login
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from openkam.team.models import User

    user_logged_in.disconnect(update_last_login)  # force_login writes nothing
    figures: dict[tuple[str, str], dict] = {}
    for persona in PERSONAS:
        client = Client()
        client.force_login(User.objects.get(username=persona))
        for page, urls in paths.items():
            for url in urls[:3]:  # warm: templates compiled, catalogues loaded
                assert client.get(url).status_code == 200, (page, url)
            with CaptureQueriesContext(connection) as captured:
                client.get(urls[0])
            queries = len(captured)  # now: every request clears the connection's log
            walls, cpus = [], []
            for n in range(renders):
                wall, cpu = time.perf_counter(), time.process_time()
                client.get(urls[n % len(urls)])
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
            figures[(page, persona)] = {
                "queries": queries, "cpu": statistics.median(cpus),
                "p50": load.percentile(walls, 50), "p95": load.percentile(walls, 95),
            }  # fmt: skip
    return figures


def print_in_process(figures: dict[tuple[str, str], dict], renders: int) -> None:
    print(f"\nIn process (Django's test client, one at a time, {renders} renders per page)")
    print(f"{'page':<19}{'persona':<11}{'queries':>8}{'CPU ms':>8}{'p50':>8}{'p95':>8}"
          f"  CPU budget {CPU_BUDGET_MS:.0f} ms")  # fmt: skip
    for (page, persona), f in figures.items():
        verdict = "within" if f["cpu"] <= CPU_BUDGET_MS else "OVER"
        print(f"{page:<19}{persona:<11}{f['queries']:>8}{f['cpu']:>8.1f}{f['p50']:>6.1f}ms"
              f"{f['p95']:>6.1f}ms  {verdict}")  # fmt: skip


def over_http(options: argparse.Namespace, paths: dict[str, list[str]]) -> list[dict]:
    plan = [
        {"page": page, "persona": persona, "paths": urls}
        for persona in PERSONAS
        for page, urls in paths.items()
    ]
    from django.db import connections

    connections.close_all()
    options.accounts = 0  # pages.start_server reads only the port and workers
    server = load.start_server(options, options.database_url)
    try:
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        client = context.Process(
            target=load.client,
            args=(options.port, plan, options.users, options.requests, options.think, queue),
        )
        client.start()
        results = []
        while (item := queue.get()) is not None:
            results.append(item)
        client.join()
    finally:
        load.stop_server(server)
    return results


def print_http(results: list[dict], options: argparse.Namespace) -> None:
    engine = "PostgreSQL" if options.database_url.startswith("postgres") else "SQLite"
    print(f"\nOver HTTP: {engine}, {options.workers} gunicorn workers, DEBUG off, "
          f"{options.users} concurrent users, {options.requests} requests per page and persona, "
          f"think time {options.think:g} s")  # fmt: skip
    floor = {r["persona"]: r for r in results if r["page"] == BASELINE}
    print(f"{'page':<19}{'persona':<11}{'p50':>8}{'p95':>8}{'req/s':>8}{'errors':>7}"
          f"{'baseline p50':>14}{'p95':>7}{'goal p95':>10}")  # fmt: skip
    for item in results:
        times, base = item["times"], floor[item["persona"]]["times"]
        p95 = load.percentile(times, 95)
        verdict = "" if item["page"] == BASELINE else ("met" if p95 < GOAL_P95_MS else "NOT MET")
        print(f"{item['page']:<19}{item['persona']:<11}{load.percentile(times, 50):>6.0f}ms"
              f"{p95:>6.0f}ms{len(times) / item['wall']:>8.1f}{item['errors']:>7}"
              f"{load.percentile(base, 50):>12.0f}ms{load.percentile(base, 95):>5.0f}ms"
              f"   < {GOAL_P95_MS:.0f}ms {verdict}")  # fmt: skip


def main() -> int:
    options = parse_args()
    load.django_setup(options.database_url)
    from django.conf import settings

    from openkam.governance.selectors import current_review

    settings.ALLOWED_HOSTS = ["*"]
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    from openkam.accounts.models import Account

    print(f"{Account.objects.count():,} accounts, database {options.database_url}")
    review = open_review(options.year) if options.open else current_review()
    if review is None:
        raise SystemExit("no review is open: give --open (on a copy of the database)")
    print(f"review {review.year} ({review.get_status_display()}), "
          f"{review.proposals.count():,} proposals")  # fmt: skip
    paths = page_paths(review, options.seed)
    print_in_process(in_process(paths, options.renders), options.renders)
    if not options.in_process_only:
        print_http(over_http(options, paths), options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
