"""`openkam demo`: generate the demo company (an elevator-components maker and its customers)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from openkam.demo.performance import demo_targets
from openkam.demo.pipeline import demo_pipeline, demo_promotion
from openkam.demo.services import (
    DEFAULT_ACCOUNTS,
    DEFAULT_LINES_PER_ACCOUNT_YEAR,
    DEFAULT_SEED,
    DEFAULT_YEARS,
    DemoOptions,
    DemoReport,
    business_rows,
    demo_generate,
    demo_history,
    demo_wipe,
)
from openkam.demo.tier_review import demo_tier_review
from openkam.demo.winbacks import demo_winbacks
from openkam.env import env_bool


class _Stream:
    """Lets rich write through Django's OutputWrapper without it adding line endings."""

    def __init__(self, out: OutputWrapper) -> None:
        self.out = out

    def write(self, text: str) -> int:
        self.out.write(text, ending="")
        return len(text)

    def flush(self) -> None:
        self.out.flush()

    def isatty(self) -> bool:
        return bool(self.out.isatty())


class RowsPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f} rows/s", style="cyan")


class RichSteps:
    """services.Steps on a rich progress display."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None

    def begin(self, name: str, total: int) -> None:
        self.task = self.progress.add_task(name, total=max(total, 1))

    def advance(self, rows: int) -> None:
        if self.task is not None:
            self.progress.advance(self.task, rows)

    def end(self) -> None:
        if self.task is not None:
            task = self.progress.tasks[self.task]
            self.progress.update(self.task, completed=task.total)
        self.task = None


def positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise ValueError(text)
    return value


def refuse_outside_a_demo() -> None:
    """The demo gives every role a login with one public password: on a production database
    (DEBUG off) it runs only when the operator says OPENKAM_DEMO=1, as `make run` does."""
    if settings.DEBUG or env_bool("OPENKAM_DEMO", False):
        return
    raise CommandError(
        "openkam demo creates logins with a public password, so it does not run with DEBUG "
        "off. For a demo or a trial, set OPENKAM_DEMO=1 (make run does); for production, "
        "create real users with `openkam createsuperuser` and the admin (README, production)."
    )


class Command(BaseCommand):
    help = (
        "Generate a demo company: an elevator-components maker with its customers, contacts, "
        "profiles and several years of ERP ledger, plus a login for every role."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--accounts",
            type=positive_int,
            default=DEFAULT_ACCOUNTS,
            help="customer accounts (default %(default)s)",
        )
        parser.add_argument(
            "--years",
            type=positive_int,
            default=DEFAULT_YEARS,
            help="years of ledger up to --today (default %(default)s)",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="random seed: the same seed and options give the same data (default %(default)s)",
        )
        lines = parser.add_mutually_exclusive_group()
        lines.add_argument(
            "--lines-per-account-year",
            type=float,
            default=DEFAULT_LINES_PER_ACCOUNT_YEAR,
            help="average order lines per account and year (default %(default)s)",
        )
        lines.add_argument(
            "--lines", type=positive_int, help="total order lines (overrides the average)"
        )
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="last day of the ledger, YYYY-MM-DD (default: today in TIME_ZONE)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if accounts already exist"
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete ALL business data (accounts, ledger, teams ...; users stay) first",
        )
        parser.add_argument(
            "--no-history",
            action="store_true",
            help="skip the two past quarterly refreshes and the plan reviews held on them",
        )
        parser.add_argument(
            "--mode",
            choices=("sales", "promotion"),
            default=settings.OPENKAM_MODE,
            help="promotion: a park's investment-promotion office (default: OPENKAM_MODE)",
        )
        parser.add_argument(
            "--batch-size",
            type=positive_int,
            default=50_000,
            help="rows per executemany / COPY batch (default %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_outside_a_demo()
        console = Console(file=_Stream(self.stdout), highlight=False, soft_wrap=True)  # type: ignore[arg-type]
        quiet = options["verbosity"] == 0
        existing = business_rows()
        if existing and options["if_empty"] and existing.get("Account"):
            console.print(
                f"Demo skipped: the database already holds {existing['Account']:,} accounts."
            )
            return
        if existing and not options["replace"]:
            found = ", ".join(f"{count:,} {name}" for name, count in existing.items())
            raise CommandError(
                f"The database already holds business data ({found}). Use --replace to delete "
                "it and generate the demo, or --if-empty to leave it alone."
            )
        if existing:
            demo_wipe()
            console.print("Deleted the existing business data (users kept).")
        demo = DemoOptions(
            accounts=options["accounts"],
            years=options["years"],
            seed=options["seed"],
            today=options["today"],
            lines_per_account_year=options["lines_per_account_year"],
            total_lines=options["lines"],
            batch_rows=options["batch_size"],
        )
        password = str(settings.OPENKAM_DEMO_PASSWORD)
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            RowsPerSecond(),
            TimeElapsedColumn(),
            console=console,
            disable=quiet,
        )
        with progress:
            report = demo_generate(demo, password=password, steps=RichSteps(progress))
        if not options["no_history"]:
            with console.status("quarterly refreshes and plan reviews") as status:
                reviews = demo_history(report.today, say=status.update)
            console.print(
                f"Past refreshes on {', '.join(map(str, reviews.refreshed))}; "
                f"{reviews.reviews:,} plan reviews held on them."
            )
            cases = demo_winbacks(report.today)
            console.print(f"{cases:,} win-back cases opened from churn alerts.")
            if options["mode"] != "promotion":
                deals = demo_pipeline(report.today)
                console.print(f"{deals:,} opportunities in every stage for the key accounts.")
            targets = demo_targets(report.today)
            console.print(f"{targets:,} sales targets set, decomposed and approved this year.")
            tier_review = demo_tier_review(report.today)
            if tier_review is not None:
                console.print(
                    f"{tier_review} open with {tier_review.proposals.count():,} tier proposals."
                )
        if options["mode"] == "promotion":
            projects = demo_promotion(report.today)
            console.print(f"{projects:,} target enterprises with a project in every stage.")
        if not quiet:
            self._summary(console, demo, report, password)

    def _summary(
        self, console: Console, demo: DemoOptions, report: DemoReport, password: str
    ) -> None:
        rows = Table(title="Rows written", show_footer=True)
        rows.add_column("table", footer="total")
        rows.add_column("rows", justify="right", footer=f"{report.total_rows:,}")
        for table, count in sorted(report.rows.items()):
            rows.add_row(table, f"{count:,}")
        console.print(rows)
        console.print(
            f"{demo.accounts:,} accounts, ledger {report.start} to {report.today}, seed "
            f"{demo.seed}: {report.total_rows:,} rows in {report.seconds:.1f} s "
            f"({report.total_rows / max(report.seconds, 1e-9):,.0f} rows/s)."
        )
        users = Table(title="Demo logins")
        for column in ("username", "name", "role", "team", "password"):
            users.add_column(column)
        for login in report.logins:
            shown = password if login.created else "(unchanged: user existed)"
            users.add_row(login.username, login.display_name, login.role, login.team, shown)
        console.print(users)
