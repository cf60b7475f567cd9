"""Benchmark: page times of the portfolio dashboard, the account 360 page and the plans
overview on the 100,000-account demo, under a real HTTP load at 10 concurrent users.

    .venv/bin/python benchmarks/pages.py                                   # SQLite, 100,000
    .venv/bin/python benchmarks/pages.py --reuse                           # keep the database
    .venv/bin/python benchmarks/pages.py --accounts 2000 --requests 200    # quick check
    .venv/bin/python benchmarks/pages.py --reuse --think 1     # users pausing ~1 s per page
    .venv/bin/python benchmarks/pages.py --reuse \\
        --database-url postgres://openkam:openkam@127.0.0.1:54329/openkam_pages

1. Builds the demo database (`openkam migrate`, `openkam demo --accounts N --years 3`,
   `openkam refresh`) unless --reuse is given and it already holds the demo.
2. Starts gunicorn on loopback as in production: DEBUG off, --workers sync workers,
   WhiteNoise, the same settings module.
3. From a second process (a client of threads and http.client), logs every simulated user
   in through the login form, warms each page once (the dashboard's first visit after a
   refresh computes its figures and keeps them: that cold time is printed apart) and sends 60
   untimed requests so every worker has compiled its templates, then sends
   --requests requests per page from --users concurrent users and prints p50 / p95 / p99 and
   requests per second per page and persona. Account pages are drawn at random among the
   accounts the persona may see. The account page renders its header, figures and overview;
   its other tabs and its side cards load after it, so they are timed too ("account tab": the seven
   of the same accounts in turn).

The goal (issue 4): p95 under 150 ms for both pages at 10 concurrent users.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"
PASSWORD = os.environ.get("OPENKAM_DEMO_PASSWORD", "openkam-demo")
GOAL_P95_MS = 150.0
WARM_UP_REQUESTS = 60
TABS = ("analysis", "profile", "finance", "needs", "contacts", "group", "cards")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument(
        "--database-url", default="", help="default: a SQLite file under /tmp named by --accounts"
    )
    parser.add_argument("--reuse", action="store_true", help="keep a database that has the demo")
    parser.add_argument("--users", type=int, default=10, help="concurrent simulated users")
    parser.add_argument("--requests", type=int, default=1000, help="timed requests per page")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn sync workers")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a user waits between pages (uniform 0.5x-1.5x); 0 = none, which "
        "measures the server saturated by the users",
    )
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--personas", default="kam,executive", help="demo users to log in as, comma-separated"
    )
    parser.add_argument("--seed", type=int, default=4)
    return parser.parse_args()


def database_url(options: argparse.Namespace) -> str:
    return options.database_url or f"sqlite:////tmp/openkam-pages-{options.accounts}.sqlite3"


def environment(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "0",
        "OPENKAM_DEMO": "1",  # the benchmark builds the demo with DEBUG off
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key-" + "x" * 40),
        "LOG_LEVEL": "ERROR",
    }


def openkam(args: list[str], url: str) -> None:
    subprocess.run([str(BIN / "openkam"), *args], check=True, env=environment(url))


def django_setup(url: str) -> None:
    os.environ.update(environment(url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "openkam.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def demo_accounts() -> int:
    from openkam.accounts.models import Account
    from openkam.portfolio.models import PortfolioRun

    if not PortfolioRun.objects.filter(status=PortfolioRun.Status.DONE).exists():
        return 0
    return Account.objects.count()


def ensure_demo(options: argparse.Namespace, url: str) -> None:
    openkam(["migrate", "-v0"], url)
    openkam(["collectstatic", "--noinput", "-v0"], url)
    django_setup(url)
    present = demo_accounts()
    if options.reuse and present:
        print(f"reusing the demo in {url}: {present:,} accounts", flush=True)
        return
    print(f"building the demo ({options.accounts:,} accounts) in {url} ...", flush=True)
    started = time.perf_counter()
    openkam(
        ["demo", "--accounts", str(options.accounts), "--years", str(options.years), "--replace"],
        url,
    )
    openkam(["refresh"], url)
    print(f"demo and refresh built in {time.perf_counter() - started:.0f} s", flush=True)


def visible_accounts(username: str, limit: int, seed: int) -> list[int]:
    """A random sample of the accounts the persona may open (drawn before the load)."""
    from openkam.accounts.selectors import accounts_visible_to
    from openkam.team.models import User

    ids = list(
        accounts_visible_to(User.objects.get(username=username))
        .order_by()
        .values_list("pk", flat=True)
    )
    return random.Random(seed).sample(ids, min(limit, len(ids)))


# --- The server -----------------------------------------------------------------------------


def start_server(options: argparse.Namespace, url: str) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "gunicorn"),
        "openkam.wsgi:application",
        "--bind",
        f"127.0.0.1:{options.port}",
        "--workers",
        str(options.workers),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=environment(url), start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", options.port, timeout=2)
            connection.request("GET", "/login/")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    stop_server(server)
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


# --- The load (runs in a second process) ----------------------------------------------------


@dataclass
class Session:
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: str = "") -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response.status, content

    def login(self, username: str) -> None:
        status, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"no login form ({status})")
        form = {
            "username": username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": token.group(1).decode(),
        }
        status, _page = self.request("POST", "/login/", urllib.parse.urlencode(form))
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed ({status})")


def timed(session: Session, path: str) -> tuple[float, int]:
    started = time.perf_counter()
    status, _content = session.request("GET", path)
    return (time.perf_counter() - started) * 1000, status


def run_load(
    port: int, username: str, paths: list[str], users: int, total: int, think: float
) -> tuple[list[float], int, float]:
    """`total` requests over `paths` (cycled) from `users` threads; times in ms, errors,
    wall seconds."""
    sessions = [Session(port) for _ in range(users)]
    for session in sessions:
        session.login(username)
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(total))

    def user(session: Session) -> None:
        nonlocal errors
        pause = random.Random(id(session))
        for index in counter:
            if think:
                time.sleep(think * pause.uniform(0.5, 1.5))
            elapsed, status = timed(session, paths[index % len(paths)])
            with lock:
                times.append(elapsed)
                errors += status != 200

    threads = [threading.Thread(target=user, args=(session,)) for session in sessions]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times, errors, time.perf_counter() - started


def client(
    port: int, plan: list[dict[str, Any]], users: int, total: int, think: float, queue: Any
) -> None:
    for item in plan:
        warm = Session(port)
        warm.login(item["persona"])
        cold, status = timed(warm, item["paths"][0])
        # Every worker compiles its templates and loads its catalogues on its first pages:
        # warm them all with untimed requests at the same concurrency.
        run_load(port, item["persona"], item["paths"], users, WARM_UP_REQUESTS, 0.0)
        times, errors, wall = run_load(port, item["persona"], item["paths"], users, total, think)
        queue.put({**item, "paths": None, "cold": cold, "cold_status": status,
                   "times": times, "errors": errors, "wall": wall})  # fmt: skip
    queue.put(None)


# --- Report ---------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def report(results: list[dict[str, Any]], options: argparse.Namespace, url: str) -> None:
    engine = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print()
    print(
        f"{engine}, {options.workers} gunicorn workers, DEBUG off, {options.users} concurrent "
        f"users, {options.requests} requests per page and persona, think time "
        f"{options.think:g} s"
    )
    header = f"{'page':<13}{'persona':<11}{'first':>9}{'p50':>8}{'p95':>8}{'p99':>8}"
    print(header + f"{'mean':>8}{'req/s':>8}{'errors':>8}  goal p95 < {GOAL_P95_MS:.0f} ms")
    for item in results:
        times = item["times"]
        p95 = percentile(times, 95)
        print(
            f"{item['page']:<13}{item['persona']:<11}{item['cold']:>7.0f}ms"
            f"{percentile(times, 50):>6.0f}ms{p95:>6.0f}ms{percentile(times, 99):>6.0f}ms"
            f"{statistics.fmean(times):>6.0f}ms{len(times) / item['wall']:>8.1f}"
            f"{item['errors']:>8}  {'met' if p95 < GOAL_P95_MS else 'NOT MET'}"
        )
    print("first = the page's first visit, before the timed load (the dashboard computes and")
    print("keeps its figures then); times are whole HTML responses seen by the client.")


def main() -> None:
    options = parse_args()
    url = database_url(options)
    ensure_demo(options, url)
    plan: list[dict[str, Any]] = []
    for persona in options.personas.split(","):
        accounts = visible_accounts(persona, 500, options.seed)
        plan.append({"page": "dashboard", "persona": persona, "paths": ["/"]})
        # The plans overview (issue 10's goal), page by page as a director leafs through it.
        plan.append(
            {"page": "plans overview", "persona": persona,
             "paths": ["/plans/", "/plans/?page=2", "/plans/?sort=-behind"]}
        )  # fmt: skip
        plan.append(
            {"page": "account360", "persona": persona,
             "paths": [f"/accounts/{pk}/" for pk in accounts]}
        )  # fmt: skip
        # The account page's other tabs load when first shown: each is a request of its own.
        plan.append(
            {"page": "account tab", "persona": persona,
             "paths": [f"/accounts/{pk}/tab/{tab}/" for pk in accounts for tab in TABS]}
        )  # fmt: skip
    from django.db import connections

    connections.close_all()
    server = start_server(options, url)
    try:
        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        load = context.Process(
            target=client,
            args=(options.port, plan, options.users, options.requests, options.think, queue),
        )
        load.start()
        results = []
        while (item := queue.get()) is not None:
            results.append(item)
        load.join()
    finally:
        stop_server(server)
    report(results, options, url)


if __name__ == "__main__":
    main()
