"""Reads behind the web pages: the portfolio headline, the account list and the account page.

Every figure comes from the per-account monthly aggregates (ledger.AccountMonth) or from a
single aggregate over a ledger table, never from a loop over order lines, so a page runs the
same number of queries whatever the size of the ledger (ARCHITECTURE, performance).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DecimalField,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from openkam.accounts.models import (
    Account,
    CompetitorPresence,
    LifecycleStage,
    Need,
    Officer,
    Region,
    Tier,
    WalletEstimate,
)
from openkam.common.months import (
    MonthWindow,
    add_months,
    in_window,
    previous_window,
    trailing_months,
)
from openkam.common.queries import choice_rank
from openkam.ledger.models import AccountMonth, Invoice, Order, Payment
from openkam.portfolio.forecast import with_forecast
from openkam.portfolio.selectors import with_latest_figures
from openkam.relationships.models import Contact
from openkam.team.models import Team, User

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=18, decimal_places=2)
# Tiers whose revenue share the headline reports: the accounts the policy treats as key.
KEY_TIERS = (Tier.STRATEGIC, Tier.KEY)


# --- Annotations and ranks ----------------------------------------------------------------


def revenue_subquery(window: MonthWindow) -> Coalesce:
    """An account's revenue in `window`, from the monthly aggregates, as an annotation."""
    total = (
        AccountMonth.objects.filter(in_window(window), account_id=OuterRef("pk"))
        .values("account_id")
        .annotate(total=Sum("revenue"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=MONEY), Value(ZERO), output_field=MONEY)


# --- Portfolio headline (home page) -------------------------------------------------------


@dataclass(frozen=True)
class TierCount:
    tier: str
    label: str
    count: int


@dataclass(frozen=True)
class PortfolioHeadline:
    window: MonthWindow
    prior_window: MonthWindow
    tier_counts: list[TierCount]
    revenue: Decimal
    cost: Decimal
    prior_revenue: Decimal
    key_revenue: Decimal

    @property
    def account_count(self) -> int:
        return sum(item.count for item in self.tier_counts)

    @property
    def gross_margin(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def gross_margin_rate(self) -> Decimal | None:
        return self.gross_margin / self.revenue if self.revenue else None

    @property
    def growth(self) -> Decimal | None:
        return (
            (self.revenue - self.prior_revenue) / self.prior_revenue if self.prior_revenue else None
        )

    @property
    def key_share(self) -> Decimal | None:
        return self.key_revenue / self.revenue if self.revenue else None


def portfolio_headline(accounts: QuerySet[Account], *, today: dt.date) -> PortfolioHeadline:
    """Headline figures over `accounts`: two queries whatever their number."""
    window = trailing_months(today)
    prior = previous_window(window)
    counts = dict(accounts.order_by().values_list("tier").annotate(n=Count("id")))
    months = AccountMonth.objects.filter(account_id__in=accounts.values("id"))
    totals = months.filter(month__gte=prior.start, month__lt=window.end).aggregate(
        window_revenue=Sum("revenue", filter=in_window(window)),
        window_cost=Sum("cost", filter=in_window(window)),
        prior_revenue=Sum("revenue", filter=in_window(prior)),
        key_revenue=Sum("revenue", filter=in_window(window) & Q(account__tier__in=KEY_TIERS)),
    )
    return PortfolioHeadline(
        window=window,
        prior_window=prior,
        tier_counts=[
            TierCount(tier, str(label), counts.get(tier, 0)) for tier, label in Tier.choices
        ],
        revenue=totals["window_revenue"] or ZERO,
        cost=totals["window_cost"] or ZERO,
        prior_revenue=totals["prior_revenue"] or ZERO,
        key_revenue=totals["key_revenue"] or ZERO,
    )


def top_accounts(
    accounts: QuerySet[Account], *, window: MonthWindow, limit: int = 10
) -> list[Account]:
    """The accounts with the most revenue in `window` (annotated `revenue`), one query."""
    ranked = (
        accounts.select_related("owner")
        .annotate(revenue=revenue_subquery(window))
        .filter(revenue__gt=0)
        .order_by("-revenue", "legal_name", "pk")
    )
    return list(ranked[:limit])


# --- Monthly series (charts) --------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date
    revenue: Decimal
    cost: Decimal
    order_count: int

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost


def monthly_figures(months: QuerySet[AccountMonth], window: MonthWindow) -> list[MonthFigures]:
    """Revenue, cost and orders per month of `window`, months without business as zeros."""
    # Grouped by the stored month (a SQL function per row, as TruncMonth is on SQLite, costs
    # seconds over a large portfolio); a month not kept on its first day joins it here.
    totals: dict[dt.date, list[Decimal | int]] = {}
    for row in (
        months.filter(in_window(window))
        .values("month")
        .annotate(revenue=Sum("revenue"), cost=Sum("cost"), orders=Sum("order_count"))
        .order_by()
    ):
        total = totals.setdefault(row["month"].replace(day=1), [ZERO, ZERO, 0])
        total[0] += row["revenue"] or ZERO
        total[1] += row["cost"] or ZERO
        total[2] += row["orders"] or 0
    figures = []
    for month in window.months():
        revenue, cost, orders = totals.get(month, (ZERO, ZERO, 0))
        figures.append(
            MonthFigures(
                month=month, revenue=Decimal(revenue), cost=Decimal(cost), order_count=int(orders)
            )
        )
    return figures


def chart_series(
    figures: list[MonthFigures], *, keep: int = 12, today: dt.date | None = None
) -> dict[str, Any] | None:
    """The data of a monthly revenue chart, or None when there is nothing to draw. Months
    before the first business are left out, down to the last `keep` months. When the last
    month is the one `today` falls in and is not over yet, `partial` names it, so the chart
    draws it as month to date rather than as a month that fell short."""
    active = [index for index, item in enumerate(figures) if item.revenue or item.cost]
    if not active:
        return None
    figures = figures[min(active[0], max(len(figures) - keep, 0)) :]
    last = figures[-1].month
    running = (
        today is not None
        and (last.year, last.month) == (today.year, today.month)
        and add_months(last, 1) - dt.timedelta(days=1) > today
    )
    return {
        "months": [f"{item.month:%Y-%m}" for item in figures],
        "revenue": [round(float(item.revenue), 2) for item in figures],
        "margin": [round(float(item.margin), 2) for item in figures],
        "orders": [item.order_count for item in figures],
        "partial": f"{last:%Y-%m}" if running else None,
    }


def portfolio_monthly(
    accounts: QuerySet[Account], *, today: dt.date, count: int = 24, everything: bool = False
) -> list[MonthFigures]:
    """`everything`: the accounts are the whole portfolio (no need to filter by them)."""
    months = AccountMonth.objects.all()
    if not everything:
        months = months.filter(account_id__in=accounts.order_by().values("id"))
    return monthly_figures(months, trailing_months(today, count))


# --- Account list -------------------------------------------------------------------------

ACCOUNT_SORTS: dict[str, tuple[str, ...]] = {
    "name": ("legal_name",),
    "tier": ("tier_rank", "legal_name"),
    "revenue": ("revenue_12m", "legal_name"),
    "region": ("region_rank", "city", "legal_name"),
    "lifecycle": ("lifecycle_rank", "legal_name"),
    # From the latest portfolio refresh (accounts never analysed sort last either way).
    "abc": ("snapshot_abc", "legal_name"),
    "churn": ("snapshot_churn_rank", "legal_name"),
    "clv": ("snapshot_clv", "legal_name"),
}
DEFAULT_ACCOUNT_SORT = "tier"


def account_list(
    accounts: QuerySet[Account],
    *,
    window: MonthWindow,
    query: str = "",
    tier: str = "",
    lifecycle_stage: str = "",
    owner: User | None = None,
    team: Team | None = None,
    region: str = "",
    churn: str = "",
    abc: str = "",
    open_proposal: bool = False,
    sort: str = DEFAULT_ACCOUNT_SORT,
) -> QuerySet[Account]:
    """`accounts` searched, filtered and sorted, with their revenue in `window` and the
    figures of their latest portfolio snapshot."""
    if query:
        accounts = accounts.filter(
            Q(legal_name__icontains=query)
            | Q(short_name__icontains=query)
            | Q(credit_code__icontains=query)
        )
    filters = {"tier": tier, "lifecycle_stage": lifecycle_stage, "region": region}
    accounts = accounts.filter(**{field: value for field, value in filters.items() if value})
    if owner is not None:
        accounts = accounts.filter(owner=owner)
    if team is not None:
        accounts = accounts.filter(team=team)
    accounts = with_latest_figures(accounts, churn=churn, abc=abc, open_proposal=open_proposal)
    accounts = with_forecast(accounts)
    descending = sort.startswith("-")
    keys = ACCOUNT_SORTS.get(sort.removeprefix("-"), ACCOUNT_SORTS[DEFAULT_ACCOUNT_SORT])
    first = F(keys[0]).desc(nulls_last=True) if descending else F(keys[0]).asc(nulls_last=True)
    return (
        accounts.select_related("owner", "team")
        .annotate(
            revenue_12m=revenue_subquery(window),
            tier_rank=choice_rank("tier", Tier.values),
            lifecycle_rank=choice_rank("lifecycle_stage", LifecycleStage.values),
            region_rank=choice_rank("region", Region.values),
        )
        .order_by(first, *keys[1:], "pk")
    )


# --- Account page -------------------------------------------------------------------------


# What each tab of the account page reads with the account: the page itself shows the
# header, the figures and the overview; every other tab is fetched when first shown.
TAB_PREFETCHES: dict[str, tuple[str | Prefetch[Any], ...]] = {
    "profile": (
        "shareholders",
        Prefetch(
            "officers",
            queryset=Officer.objects.order_by(choice_rank("body", Officer.Body.values), "pk"),
        ),
        "business_units",
        "locations",
        "events",
    ),
    "finance": ("financials", "outlook_notes"),
    "needs": (
        Prefetch("needs", queryset=Need.objects.select_related("owner")),
        Prefetch("wallet_estimates", queryset=WalletEstimate.objects.order_by("-year")),
        Prefetch(
            "competitors",
            queryset=CompetitorPresence.objects.select_related("competitor").order_by(
                F("share_of_wallet").desc(nulls_last=True), "competitor__name"
            ),
        ),
    ),
    "contacts": (
        Prefetch(
            "contacts",
            queryset=Contact.objects.select_related("reports_to").order_by(
                "-is_active", "-influence_level"
            ),
        ),
    ),
    "analysis": (),
    "group": (),
    # The side cards of the overview (alerts, plan, contracts, opportunities, cases...): each
    # app's card makes its own queries, so they load after the page, beside it.
    "cards": (),
}


def account_header(accounts: QuerySet[Account]) -> QuerySet[Account]:
    """`accounts` with what the account page's header and tab bar show: owner, team,
    industry, budget cycle and the number of contacts, in one query."""
    contacts = (
        Contact.objects.filter(account_id=OuterRef("pk"))
        .order_by()
        .values("account_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return accounts.select_related("owner", "team", "industry", "budget_cycle").annotate(
        contact_count=Coalesce(Subquery(contacts), 0), below=_companies_below()
    )


def _companies_below() -> RawSQL:
    """How many companies sit below the account at any depth, as a scalar subquery of the
    account (a recursive walk down from it, as accounts.selectors walks the subtree)."""
    table = connection.ops.quote_name(Account._meta.db_table)
    return RawSQL(
        f"(WITH RECURSIVE below_tree(id, depth) AS ("
        f" SELECT top.id, 0 FROM {table} top WHERE top.id = {table}.id"
        f" UNION ALL SELECT child.id, below_tree.depth + 1 FROM {table} child"
        f" JOIN below_tree ON child.parent_id = below_tree.id WHERE below_tree.depth < 50"
        f") SELECT COUNT(*) - 1 FROM below_tree)",
        [],
        output_field=IntegerField(),
    )


def account_with_tab(accounts: QuerySet[Account], tab: str) -> QuerySet[Account]:
    """`accounts` with what one tab of the account page shows, in a fixed number of queries."""
    return accounts.select_related("owner", "team", "industry", "budget_cycle").prefetch_related(
        *TAB_PREFETCHES[tab]
    )


@dataclass(frozen=True)
class YearFigures:
    year: int
    revenue: Decimal
    cost: Decimal
    order_count: int

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def margin_rate(self) -> Decimal | None:
        return self.margin / self.revenue if self.revenue else None


@dataclass(frozen=True)
class LedgerSummary:
    window: MonthWindow
    years: list[YearFigures]
    monthly: list[MonthFigures]
    invoiced: Decimal
    paid: Decimal
    last_order_date: dt.date | None

    @property
    def last_12m(self) -> YearFigures:
        recent = [item for item in self.monthly if item.month >= self.window.start]
        return YearFigures(
            year=self.window.last_month.year,
            revenue=sum((item.revenue for item in recent), ZERO),
            cost=sum((item.cost for item in recent), ZERO),
            order_count=sum(item.order_count for item in recent),
        )

    @property
    def current_year(self) -> int:
        return self.window.last_month.year

    @property
    def order_count(self) -> int:
        return sum(item.order_count for item in self.years)

    @property
    def open_receivables(self) -> Decimal:
        return self.invoiced - self.paid

    def revenue_in(self, year: int) -> Decimal | None:
        return next((item.revenue for item in self.years if item.year == year), None)


def ledger_summary(account: Account, *, today: dt.date, chart_months: int = 36) -> LedgerSummary:
    """The account's business with us: two queries, whatever the size of its ledger (its
    monthly aggregates, a few rows a year; its receivables and last order as subqueries)."""
    by_year: dict[int, list[Decimal | int]] = {}
    by_month: dict[dt.date, list[Decimal | int]] = {}
    rows = AccountMonth.objects.filter(account_id=account.pk).values_list(
        "month", "revenue", "cost", "order_count"
    )
    for month, revenue, cost, orders in rows:
        for total in (
            by_year.setdefault(month.year, [ZERO, ZERO, 0]),
            by_month.setdefault(month.replace(day=1), [ZERO, ZERO, 0]),
        ):
            total[0] += revenue or ZERO
            total[1] += cost or ZERO
            total[2] += orders or 0
    chart = trailing_months(today, chart_months)
    own = {"account_id": OuterRef("pk")}
    ledger = (
        Account.objects.filter(pk=account.pk)
        .annotate(
            invoiced=_total(Invoice.objects.filter(**own), Sum("amount")),
            paid=_total(Payment.objects.filter(**own), Sum("amount")),
            last_order=_total(
                Order.objects.filter(**own).exclude(status=Order.Status.CANCELLED),
                Max("order_date"),
            ),
        )
        .values("invoiced", "paid", "last_order")
        .get()
    )
    return LedgerSummary(
        window=trailing_months(today),
        years=[
            YearFigures(year, Decimal(revenue), Decimal(cost), int(orders))
            for year, (revenue, cost, orders) in sorted(by_year.items(), reverse=True)
        ],
        monthly=[
            MonthFigures(month, Decimal(revenue), Decimal(cost), int(orders))
            for month in chart.months()
            for revenue, cost, orders in [by_month.get(month, [ZERO, ZERO, 0])]
        ],
        invoiced=ledger["invoiced"] or ZERO,
        paid=ledger["paid"] or ZERO,
        last_order_date=ledger["last_order"],
    )


def _total(rows: QuerySet[Any], aggregate: Sum | Max) -> Subquery:
    """One aggregate of an account's rows, as a subquery of the account."""
    return Subquery(
        rows.order_by().values("account_id").annotate(value=aggregate).values("value")[:1]
    )


@dataclass(frozen=True)
class WalletRow:
    estimate: WalletEstimate
    our_revenue: Decimal | None

    @property
    def share_of_wallet(self) -> Decimal | None:
        if self.our_revenue is None or not self.estimate.category_spend:
            return None
        return self.our_revenue / self.estimate.category_spend


def wallet_rows(account: Account, ledger: LedgerSummary) -> list[WalletRow]:
    """Each wallet estimate beside our revenue of that year (from the prefetched rows)."""
    return [
        WalletRow(estimate, ledger.revenue_in(estimate.year))
        for estimate in account.wallet_estimates.all()
    ]
