"""`demo_generate`: the whole demo company, planned with numpy and bulk-written.

Steps: plan the customer base (arrays) -> catalogue, teams and users (ORM, a few rows) ->
accounts, contacts and profile facts -> the ledger, slice of accounts by slice of accounts,
each slice in its own transaction -> what follows from the revenue (tiers, teams and owners,
share of wallet, competitors, costs to serve). The same seed and options give the same rows.
"""

from __future__ import annotations

import datetime as dt
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

import numpy as np
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from numpy.typing import NDArray

from openkam.accounts.models import Account, Competitor, Industry
from openkam.analytics.tiers import assign_tiers
from openkam.common.bulk import (
    BulkWriter,
    Column,
    Const,
    bulk_load,
    next_id,
    nullable,
    reset_sequences,
)
from openkam.common.months import add_months
from openkam.demo import market, profile
from openkam.demo.account_plans import demo_plan_reviews, write_account_plans
from openkam.demo.account_teams import write_account_teams
from openkam.demo.catalogue import CITIES, COMPETITORS, FAMILIES, SEGMENTS, TEAMS
from openkam.demo.companies import credit_limits, make_companies
from openkam.demo.contracts import write_contracts
from openkam.demo.dates import Window, make_window
from openkam.demo.interactions import write_interactions
from openkam.demo.joint_projects import write_joint_projects
from openkam.demo.ledger import SOURCE, LedgerSlice, NextIds, ProductTable, generate_slice
from openkam.demo.people import make_contacts
from openkam.demo.plan import AccountPlan, allocate_lines, make_plan, monthly_revenue
from openkam.demo.scores import Criteria, ScoredAccounts, score_columns
from openkam.demo.service import write_service_cases
from openkam.demo.surveys import write_surveys
from openkam.demo.texts import STRATEGIC_REASONS
from openkam.demo.users import DemoLogin, Organisation, create_organisation
from openkam.ledger.models import Order, Product
from openkam.ledger.services import deliveries_rebuild
from openkam.plans.figures import plan_figures_refresh
from openkam.portfolio.models import AccountScore, ScoringCriterion
from openkam.portfolio.services import portfolio_refresh
from openkam.team.models import Team, User

DEFAULT_ACCOUNTS = 300
DEFAULT_YEARS = 4
DEFAULT_SEED = 20240501
DEFAULT_LINES_PER_ACCOUNT_YEAR = 25.0
# A slice holds about this many order lines: big enough for numpy to pay off, small enough
# that 10 million lines never sit in memory at once. Fixed, so slices and their random
# streams do not depend on the database or batch size.
SLICE_LINES = 250_000
SLICE_MAX_ACCOUNTS = 5_000
NO_OWNER_SHARE = 0.15  # general accounts nobody owns yet
LEDGER_TABLES = (
    "ledger_order",
    "ledger_orderline",
    "ledger_invoice",
    "ledger_payment",
    "ledger_accountmonth",
    "ledger_accountpurchaseday",
)


class Steps(Protocol):
    """Progress of the long steps (the command shows rich bars; tests pass nothing)."""

    def begin(self, name: str, total: int) -> None: ...

    def advance(self, rows: int) -> None: ...

    def end(self) -> None: ...


class QuietSteps:
    def begin(self, name: str, total: int) -> None:
        del name, total

    def advance(self, rows: int) -> None:
        del rows

    def end(self) -> None:
        return None


@dataclass(frozen=True)
class DemoOptions:
    accounts: int = DEFAULT_ACCOUNTS
    years: int = DEFAULT_YEARS
    seed: int = DEFAULT_SEED
    today: dt.date | None = None
    lines_per_account_year: float = DEFAULT_LINES_PER_ACCOUNT_YEAR
    total_lines: int | None = None  # overrides lines_per_account_year
    batch_rows: int = 50_000

    def line_target(self) -> int:
        if self.total_lines is not None:
            return self.total_lines
        return round(self.lines_per_account_year * self.accounts * self.years)


@dataclass
class DemoReport:
    rows: dict[str, int]
    seconds: float
    logins: list[DemoLogin]
    today: dt.date
    start: dt.date
    seconds_by_step: dict[str, float] = field(default_factory=dict)

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def rng_for(seed: int, purpose: str) -> np.random.Generator:
    """An independent, reproducible stream per purpose, so that drawing more in one part of
    the generator does not shift the numbers of another."""
    return np.random.default_rng([seed, zlib.crc32(purpose.encode())])


def business_rows() -> dict[str, int]:
    """Rows of the tables whose content the demo would collide with."""
    return {
        model.__name__: model.objects.count()
        for model in (Account, Order, Product, Team)
        if model.objects.exists()
    }


def domain_models() -> list[type[models.Model]]:
    """Every model of the OpenKAM apps except the users and their auth links."""
    found: list[type[models.Model]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("openkam."):
            continue
        for model in config.get_models(include_auto_created=True):
            if model is User or model._meta.db_table.startswith(User._meta.db_table + "_"):
                continue
            found.append(model)
    return found


def demo_wipe() -> None:
    """Delete all business data (accounts, ledger, teams, ... of every OpenKAM app); users
    stay. Uses the backend's flush SQL (TRUNCATE on PostgreSQL)."""
    tables = [model._meta.db_table for model in domain_models()]
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    if connection.vendor == "postgresql" and connection.in_atomic_block:
        # TRUNCATE refuses tables with deferred foreign-key checks still queued in the
        # transaction: run those checks first.
        statements = ["SET CONSTRAINTS ALL IMMEDIATE", *statements, "SET CONSTRAINTS ALL DEFERRED"]
    connection.ops.execute_sql_flush(statements)


def _stamp(today: dt.date) -> np.datetime64:
    """09:00 in Shanghai (01:00 UTC) on `today`: when the demo 'loaded' its data."""
    return np.datetime64(dt.datetime.combine(today, dt.time(1, 0)), "s")


def _slices(lines: NDArray[np.int32]) -> Iterator[slice]:
    per_account = lines.sum(axis=1, dtype=np.int64)
    start = 0
    while start < per_account.size:
        cumulative = np.cumsum(per_account[start : start + SLICE_MAX_ACCOUNTS])
        stop = start + max(int(np.searchsorted(cumulative, SLICE_LINES, side="right")), 1)
        yield slice(start, min(stop, per_account.size))
        start = stop


@dataclass
class _Context:
    options: DemoOptions
    window: Window
    plan: AccountPlan
    account_ids: NDArray[np.int64]
    writer: BulkWriter
    steps: Steps
    industry_ids: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    products: ProductTable | None = None
    competitor_ids: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    facts: profile.FactContext | None = None


def _catalogue(ctx: _Context) -> None:
    """Industries, products and competitors: a few dozen rows through the ORM."""
    for segment in SEGMENTS:
        Industry.objects.update_or_create(
            code=segment.industry_code,
            defaults={"name": segment.industry_name, "name_en": segment.industry_name_en},
        )
    codes = [segment.industry_code for segment in SEGMENTS]
    by_code = dict(Industry.objects.filter(code__in=codes).values_list("code", "id"))
    ctx.industry_ids = np.array([by_code[code] for code in codes], dtype=np.int64)
    first = next_id(connection, Product._meta.db_table)
    table = ProductTable.build(first)
    variants = [(f, v, spec) for f in FAMILIES for v, (spec, _) in enumerate(f.variants)]
    Product.objects.bulk_create(
        Product(
            id=int(table.ids[position]),
            sku=f"{family.code}-{variant + 1:03d}",
            name=spec,
            family=family.name,
            unit=family.unit_overrides.get(variant, family.unit),
            standard_cost=Decimal(int(table.cost_cents[position])) / 100,
            list_price=Decimal(int(table.list_cents[position])) / 100,
            source=SOURCE,
            external_id=f"{family.code}-{variant + 1:03d}",
        )
        for position, (family, variant, spec) in enumerate(variants)
    )
    ctx.products = table
    competitors = [
        Competitor(name=c.name, country=c.country, strengths=c.strengths, weaknesses=c.weaknesses)
        for c in COMPETITORS
    ]
    Competitor.objects.bulk_create(competitors, ignore_conflicts=True)
    by_name = dict(Competitor.objects.values_list("name", "id"))
    ctx.competitor_ids = np.array([by_name[c.name] for c in COMPETITORS], dtype=np.int64)


def _account_notes(plan: AccountPlan) -> NDArray[np.str_]:
    conditions = [
        plan.lifecycle == "lost",
        plan.lifecycle == "churn_warning",
        plan.lifecycle == "win_back",
        plan.late_payer,
    ]
    notes = [
        "已基本停止采购，转向竞争对手；保持联系，择机挽回",
        "采购量明显下降，需尽快制定挽回方案",
        "停购数月后恢复下单，重点跟进订单与满意度",
        "回款较慢，注意控制信用额度与发货节奏",
    ]
    return np.select(conditions, notes, default="")


def _accounts(ctx: _Context) -> None:
    plan, window = ctx.plan, ctx.window
    rng = rng_for(ctx.options.seed, "companies")
    companies = make_companies(rng, plan)
    stamp = _stamp(window.end)
    entered = stamp - rng.integers(0, 365 * ctx.options.years, plan.n).astype("timedelta64[D]")
    region = np.array([c.region for c in CITIES])[plan.city]
    ctx.writer.insert(
        Account._meta.db_table,
        {
            "id": ctx.account_ids,
            "created_at": entered,
            "updated_at": np.full(plan.n, stamp),
            "legal_name": companies.legal_name,
            "short_name": companies.short_name,
            "credit_code": companies.credit_code,
            "industry_id": ctx.industry_ids[plan.segment],
            "industry_position": plan.position,
            "region": region,
            "province": np.array([c.province for c in CITIES])[plan.city],
            "city": np.array([c.name for c in CITIES])[plan.city],
            "address": companies.address,
            "phone": companies.phone,
            "website": companies.website,
            "parent_id": nullable(ctx.account_ids[np.maximum(plan.parent, 0)], plan.parent >= 0),
            "lifecycle_stage": plan.lifecycle,
            "relationship_stage": plan.relationship,
            "tier": Const("general"),  # set from the realised revenue after the ledger
            "is_strategic": Const(False),
            "strategic_reason": Const(""),
            "credit_limit": credit_limits(rng, plan),
            "payment_terms_days": plan.payment_terms,
            "currency": Const("CNY"),
            "customer_since": plan.customer_since.astype("datetime64[D]"),
            "notes": _account_notes(plan),
        },
    )
    contacts = make_contacts(
        rng_for(ctx.options.seed, "contacts"),
        plan,
        companies.domain,
        next_id(connection, "relationships_contact"),
        ctx.account_ids,
    )
    contact_stamp = entered[contacts.account] + np.timedelta64(3600, "s")
    columns: dict[str, Column] = dict(contacts.columns)
    columns["created_at"] = contact_stamp
    columns["updated_at"] = np.full(contact_stamp.size, stamp)
    ctx.writer.insert("relationships_contact", columns)
    ctx.facts = profile.FactContext(
        plan=plan,
        window=window,
        account_ids=ctx.account_ids,
        legal_names=companies.legal_name,
        short_names=companies.short_name,
        addresses=companies.address,
        stamp=stamp,
    )


def _profiles(ctx: _Context) -> None:
    assert ctx.facts is not None
    for table, build in profile.FACT_TABLES.items():
        rng = rng_for(ctx.options.seed, table)
        ctx.writer.insert(table, build(rng, ctx.facts, next_id(connection, table)))


@dataclass
class _Totals:
    revenue_by_year: NDArray[np.int64]
    trailing_revenue: NDArray[np.int64]


def _ledger(ctx: _Context) -> _Totals:
    assert ctx.products is not None
    plan, window, options = ctx.plan, ctx.window, ctx.options
    revenue = monthly_revenue(rng_for(options.seed, "revenue"), plan, window)
    lines = allocate_lines(rng_for(options.seed, "lines"), revenue, options.line_target())
    ids = NextIds(*(next_id(connection, table) for table in LEDGER_TABLES))
    totals = _Totals(
        revenue_by_year=np.zeros((plan.n, len(window.years)), dtype=np.int64),
        trailing_revenue=np.zeros(plan.n, dtype=np.int64),
    )
    ctx.steps.begin("Ledger (order lines)", int(lines.sum()))
    for index, accounts in enumerate(_slices(lines)):
        part = generate_slice(
            np.random.default_rng([options.seed, zlib.crc32(b"ledger"), index]),
            window=window,
            plan=plan,
            products=ctx.products,
            accounts=accounts,
            lines_matrix=lines[accounts],
            revenue_matrix=revenue[accounts],
            account_ids=ctx.account_ids,
            ids=ids,
        )
        _write_slice(ctx, part)
        totals.revenue_by_year[accounts] = part.revenue_by_year
        totals.trailing_revenue[accounts] = part.trailing_revenue
    ctx.steps.end()
    return totals


def _write_slice(ctx: _Context, part: LedgerSlice) -> None:
    with transaction.atomic():
        for table in LEDGER_TABLES:
            ctx.writer.insert(table, part.tables[table])
    ctx.steps.advance(part.line_count)


def _strategic(
    rng: np.random.Generator, plan: AccountPlan, trailing: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Management's designation: a handful of big, healthy, well-placed accounts."""
    count = int(np.clip(round(plan.n * 0.015), 1, 60))
    healthy = ~np.isin(plan.lifecycle, ["lost", "churn_warning", "identification"])
    eligible = healthy & (trailing >= 5_000_000) & np.isin(plan.position, ["leader", "mid"])
    score = np.where(eligible, trailing * rng.uniform(0.7, 1.3, plan.n), -1.0)
    chosen = np.argsort(-score, kind="stable")[:count]
    strategic = np.zeros(plan.n, dtype=bool)
    strategic[chosen[score[chosen] > 0]] = True
    return strategic


def _owners(
    rng: np.random.Generator,
    org: Organisation,
    team_key: NDArray[np.str_],
    tier: NDArray[np.str_],
    trailing: NDArray[np.float64],
) -> NDArray[np.int64]:
    """Round-robin over each team's KAMs from the biggest account down, so every KAM has a
    mix; some general accounts have no owner yet (-1)."""
    owner = np.full(team_key.size, -1, dtype=np.int64)
    for key, kams in org.kam_ids.items():
        mine = np.flatnonzero(team_key == key)
        if not kams or mine.size == 0:
            continue
        ordered = mine[np.argsort(-trailing[mine], kind="stable")]
        owner[ordered] = np.array(kams)[np.arange(ordered.size) % len(kams)]
    unowned = (tier == "general") & (rng.random(team_key.size) < NO_OWNER_SHARE)
    owner[unowned] = -1
    return owner


def _classify(ctx: _Context, org: Organisation, totals: _Totals) -> None:
    """Tiers from the trailing twelve months' revenue with the default rules, then teams and
    owners (strategic accounts go to the strategic-accounts department)."""
    plan = ctx.plan
    rng = rng_for(ctx.options.seed, "classification")
    trailing = totals.trailing_revenue / 100.0
    strategic = _strategic(rng, plan, trailing)
    tier = assign_tiers(trailing, strategic=strategic, leader=plan.position == "leader")
    region_team = {region: info.key for info in TEAMS for region in info.regions}
    region = np.array([c.region for c in CITIES])[plan.city]
    team_key = np.array([region_team[str(r)] for r in region], dtype="<U16")
    team_key[strategic] = "strategic"
    owner = _owners(rng, org, team_key, tier, trailing)
    reasons = np.array(STRATEGIC_REASONS)[rng.integers(0, len(STRATEGIC_REASONS), plan.n)]
    ctx.writer.update(
        Account._meta.db_table,
        "id",
        {
            "tier": tier,
            "is_strategic": strategic,
            "strategic_reason": np.where(strategic, reasons, ""),
            "team_id": np.array([org.team_ids[str(k)] for k in team_key]),
            "owner_id": nullable(owner, owner >= 0),
            "id": ctx.account_ids,
        },
    )


def _market(ctx: _Context, totals: _Totals) -> None:
    assert ctx.facts is not None
    facts, seed = ctx.facts, ctx.options.seed
    share = market.our_share_of_wallet(rng_for(seed, "share"), facts)
    table = "accounts_walletestimate"
    rows = market.wallet_estimates(
        rng_for(seed, table), facts, totals.revenue_by_year, share, next_id(connection, table)
    )
    ctx.writer.insert(table, rows)
    table = "accounts_competitorpresence"
    rows = market.competitor_presence(
        rng_for(seed, table), facts, share, ctx.competitor_ids, next_id(connection, table)
    )
    ctx.writer.insert(table, rows)
    table = "ledger_costtoserve"
    rows = market.costs_to_serve(
        rng_for(seed, table), facts, totals.revenue_by_year, next_id(connection, table)
    )
    ctx.writer.insert(table, rows)


def _scores(ctx: _Context, totals: _Totals) -> None:
    """Scorecards as the KAMs filled them in, after tiers and owners are known."""
    criteria = list(
        ScoringCriterion.objects.filter(is_active=True)
        .order_by("scorecard", "position")
        .values_list("id", "key", "scorecard")
    )
    if not criteria:
        return
    ids, keys, cards = zip(*criteria, strict=True)
    owned = dict(
        Account.objects.filter(id__in=ctx.account_ids.tolist()).values_list("id", "owner_id")
    )
    tiers = dict(Account.objects.filter(id__in=ctx.account_ids.tolist()).values_list("id", "tier"))
    accounts = ScoredAccounts(
        account_ids=ctx.account_ids,
        tier=np.array([tiers[i] for i in ctx.account_ids.tolist()], dtype=str),
        position=ctx.plan.position,
        relationship=ctx.plan.relationship,
        trailing_revenue=totals.trailing_revenue / 100.0,
        owner=np.array(
            [owned[i] if owned[i] is not None else -1 for i in ctx.account_ids.tolist()],
            dtype=np.int64,
        ),
    )
    columns = score_columns(
        rng_for(ctx.options.seed, "scores"),
        accounts,
        Criteria(ids=np.array(ids, dtype=np.int64), keys=list(keys), scorecard=list(cards)),
        _stamp(ctx.window.end),
    )
    ctx.writer.insert(AccountScore._meta.db_table, columns)


def _analyze(writer: BulkWriter) -> None:
    """Planner statistics for every table the demo filled. PostgreSQL's autovacuum cannot see
    rows of a transaction still open (a test's, or a caller's), and without statistics the
    planner takes a freshly loaded table of 100,000 rows for an empty one: measured, the
    relationship map's coverage query then ran for over 9 minutes on a 300-account demo."""
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    tables = sorted({*writer.rows, Account._meta.db_table})
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {quote(table)}")


def demo_generate(options: DemoOptions, *, password: str, steps: Steps | None = None) -> DemoReport:
    """Generate the demo company into the (business-empty) database."""
    from django.utils import timezone

    started = time.perf_counter()
    today = options.today or timezone.localdate()
    window = make_window(today, options.years)
    plan = make_plan(rng_for(options.seed, "plan"), options.accounts, window)
    steps = steps or QuietSteps()
    timings: dict[str, float] = {}
    with bulk_load(connection):
        writer = BulkWriter(connection, batch_rows=options.batch_rows)
        ctx = _Context(
            options=options,
            window=window,
            plan=plan,
            account_ids=next_id(connection, Account._meta.db_table)
            + np.arange(plan.n, dtype=np.int64),
            writer=writer,
            steps=steps,
        )
        mark = time.perf_counter()
        with transaction.atomic():
            _catalogue(ctx)
            org = create_organisation(
                rng=rng_for(options.seed, "users"), n_accounts=plan.n, password=password
            )
            steps.begin("Accounts, contacts and profiles", plan.n)
            _accounts(ctx)
            _profiles(ctx)
            steps.advance(plan.n)
            steps.end()
        timings["accounts and profiles"] = time.perf_counter() - mark
        mark = time.perf_counter()
        totals = _ledger(ctx)
        deliveries_rebuild()  # the on-time counts per account and promised month
        timings["ledger"] = time.perf_counter() - mark
        mark = time.perf_counter()
        with transaction.atomic():
            _classify(ctx, org, totals)
            _market(ctx, totals)
            _scores(ctx, totals)
            reset_sequences(connection, domain_models())
        timings["classification and market"] = time.perf_counter() - mark
        mark = time.perf_counter()
        with transaction.atomic():
            write_interactions(
                writer=writer,
                seed=options.seed,
                today=today,
                account_ids=ctx.account_ids,
                relationship=plan.relationship,
                lifecycle=plan.lifecycle,
            )
        timings["interactions"] = time.perf_counter() - mark
        mark = time.perf_counter()
        with transaction.atomic():
            write_account_plans(seed=options.seed, today=today)
            plan_figures_refresh()  # the plans' parts were bulk-written, not through services
            write_joint_projects(seed=options.seed, today=today)
            write_account_teams(seed=options.seed, today=today)
            write_contracts(seed=options.seed, today=today)
            write_service_cases(seed=options.seed, today=today)
            write_surveys(seed=options.seed, today=today)
        timings["account plans"] = time.perf_counter() - mark
    _analyze(writer)
    return DemoReport(
        rows=dict(writer.rows),
        seconds=time.perf_counter() - started,
        logins=org.logins,
        today=today,
        start=window.start,
        seconds_by_step=timings,
    )


@dataclass
class DemoHistory:
    refreshed: list[dt.date]
    reviews: int


def demo_history(
    today: dt.date, *, say: Callable[[str], object] = lambda _step: None
) -> DemoHistory:
    """The last two quarterly reviews, as a company running OpenKAM would have them: the
    portfolio refreshed six and three months ago and today, and every active plan reviewed
    three months ago and today (each review compares the snapshots on either side)."""
    half_year, quarter = add_months(today, -6), add_months(today, -3)
    for day in (half_year, quarter, today):
        say(f"refresh as of {day}")
        portfolio_refresh(as_of=day)
    say("plan reviews")
    reviews = demo_plan_reviews(today=today, first=quarter, second=today)
    return DemoHistory(refreshed=[half_year, quarter, today], reviews=reviews)
