"""Reusable reads about plans and risks. Every list starts from the accounts the user sees
(`accounts_visible_to`), so a plan or a risk is visible exactly when its account is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Count, F, Max, Model, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from openkam.accounts.models import Account, RelationshipStage
from openkam.accounts.selectors import (
    accounts_visible_to,
    can_edit_account,
    visible_through,
)
from openkam.common.errors import NotFound, PermissionDenied
from openkam.interactions.coverage import coverage_matrix
from openkam.ledger.models import AccountMonth, Order, OrderLine
from openkam.plans.figures import actions_overdue
from openkam.plans.models import (
    OPEN_ACTION_STATUSES,
    OPEN_RISK_STATUSES,
    PLAN_FIGURES,
    STALE_AFTER_DAYS,
    AccountPlan,
    Action,
    JointTeamMember,
    Metric,
    Objective,
    PlanReview,
    PlanStatus,
    ResourceRequest,
    Risk,
    Strategy,
    SwotItem,
    ValueItem,
    ValueSide,
)
from openkam.plans.risks import Level, Rating, risk_rating
from openkam.portfolio.models import AccountSnapshot
from openkam.team.models import Role, User

PartT = TypeVar("PartT", bound=Model)

RELATIONSHIP_RANK = {stage: rank for rank, stage in enumerate(RelationshipStage.values)}


# --- Access -------------------------------------------------------------------------------


def plans_visible_to(user: User) -> QuerySet[AccountPlan]:
    return AccountPlan.objects.filter(visible_through(user))


def risks_visible_to(user: User) -> QuerySet[Risk]:
    return Risk.objects.filter(account__in=accounts_visible_to(user))


def plan_for(user: User, pk: int) -> AccountPlan:
    """The plan as `user` may read it, or NotFound (absent and invisible read alike)."""
    plan = plans_visible_to(user).select_related("account", "owner", "decided_by").filter(pk=pk)
    found = plan.first()
    if found is None:
        raise NotFound(_("No plan with this ID."))
    return found


def writable_plan_for(user: User, pk: int) -> AccountPlan:
    """The plan for a write: NotFound when invisible, PermissionDenied unless its account is
    one the user may change (accounts_editable_by: a reading role or a mere seat on the
    account's team is refused)."""
    plan = plan_for(user, pk)
    if not can_edit_account(user, plan.account_id):
        raise PermissionDenied(_("You may not change this plan."))
    return plan


def risk_for(user: User, pk: int, *, write: bool = False) -> Risk:
    risk = risks_visible_to(user).select_related("account", "owner", "plan").filter(pk=pk).first()
    if risk is None:
        raise NotFound(_("No risk with this ID."))
    if write and not can_edit_account(user, risk.account_id):
        raise PermissionDenied(_("You may not change this risk."))
    return risk


def may_decide(user: User, account: Account) -> bool:
    """Approving or returning a plan and deciding its resources is for an executive, or the
    director of the account's team (DOMAIN §1: directors own a team, top management approves
    resources)."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.role == Role.EXECUTIVE:
        return True
    if user.role != Role.DIRECTOR or account.team_id is None:
        return False
    return bool(account.team and account.team.director_id == user.pk)


# --- Figures an objective is measured on ----------------------------------------------------


def latest_snapshot_on(account_id: int, day: dt.date) -> AccountSnapshot | None:
    return (
        AccountSnapshot.objects.filter(account_id=account_id, as_of__lte=day)
        .order_by("-as_of")
        .first()
    )


def _percent(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value * 100, 2)))


def margin_rate(revenue: Decimal, cost: Decimal) -> Decimal | None:
    """Gross margin rate in percent, to the cent; None without revenue. The one rule for
    objectives' baselines and actuals, reviews and the demo's plans."""
    if not revenue:
        return None
    return ((revenue - cost) / revenue * 100).quantize(Decimal("0.01"))


def baseline_for(account: Account, metric: str, *, as_of: dt.date) -> Decimal | None:
    """Where the account stands on `metric` now: the figure an objective starts from."""
    if metric == Metric.RELATIONSHIP_STAGE:
        return Decimal(RELATIONSHIP_RANK.get(account.relationship_stage, 0))
    if metric == Metric.FUNCTIONS_MEETING:
        return Decimal(_functions_meeting(account, as_of))
    snapshot = latest_snapshot_on(account.pk, as_of)
    if snapshot is None:
        return None
    if metric == Metric.REVENUE:
        return snapshot.revenue_12m
    if metric == Metric.GROSS_MARGIN:
        return margin_rate(snapshot.revenue_12m, snapshot.cost_12m)
    if metric == Metric.SHARE_OF_WALLET:
        return _percent(snapshot.share_of_wallet)
    return None


def _functions_meeting(account: Account, as_of: dt.date) -> int:
    """How many of our functions met someone of theirs in the last twelve months (the rows of
    the relationship map's coverage matrix)."""
    return len(coverage_matrix(account, today=as_of).coverage.our_functions())


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def period_ledger(account_id: int, start: dt.date, end: dt.date) -> tuple[Decimal, Decimal]:
    """Revenue and cost booked in the calendar months from `start` to `end` (inclusive)."""
    totals = AccountMonth.objects.filter(
        account_id=account_id, month__gte=_month_start(start), month__lte=_month_start(end)
    ).aggregate(revenue=Sum("revenue"), cost=Sum("cost"))
    return totals["revenue"] or Decimal(0), totals["cost"] or Decimal(0)


def actual_for(objective: Objective, *, as_of: dt.date) -> Decimal | None:
    """The objective's figure on `as_of`, read from the ledger aggregates and the latest
    snapshot; None for free-text objectives and figures the data do not give yet."""
    plan = objective.plan
    account = plan.account
    metric = objective.metric
    if metric == Metric.REVENUE:
        end = min(as_of, objective.due_on)
        return period_ledger(account.pk, objective.starts_on, end)[0]
    if metric == Metric.GROSS_MARGIN:
        end = min(as_of, objective.due_on)
        return margin_rate(*period_ledger(account.pk, objective.starts_on, end))
    if metric in (Metric.SHARE_OF_WALLET, Metric.RELATIONSHIP_STAGE, Metric.FUNCTIONS_MEETING):
        return baseline_for(account, metric, as_of=as_of)
    return None


# --- Suggestions when a plan is created ------------------------------------------------------

# The portfolio matrix quadrant -> the default strategy of the sources (DOMAIN §2.7). Lazy:
# read in the language of the request that shows it, not the one active at import.
QUADRANT_STRATEGIES = {
    "key_account": gettext_lazy(
        "Invest to keep and grow: first claim on resources, joint projects."
    ),
    "key_development": gettext_lazy(
        "Build our strength selectively where the account is worth it."
    ),
    "maintenance": gettext_lazy("Serve efficiently and protect the margin."),
    "opportunistic": gettext_lazy("Serve at the minimum cost to serve."),
}
# Of the share-of-wallet headroom (what the customer buys elsewhere), the part a plan year
# can reasonably aim to win.
HEADROOM_CAPTURE = Decimal("0.10")
WHITESPACE_YEARS = 2
WHITESPACE_FAMILIES = 5


@dataclass(frozen=True)
class Whitespace:
    """A product family similar accounts buy from us and this account does not."""

    family: str
    accounts: int  # similar accounts buying it
    peers: int  # similar accounts in all
    spend: Decimal  # their spend on it in the window
    spend_per_account: Decimal


@dataclass(frozen=True)
class PlanSuggestions:
    revenue_target: Decimal | None
    forecast: Decimal | None
    forecast_method: str  # how the refresh made it (portfolio.forecast explains it in a line)
    headroom: Decimal | None
    share_of_wallet: float | None
    quadrant: str
    strategy: str
    whitespace: list[Whitespace]


def whitespace(account: Account, *, as_of: dt.date) -> list[Whitespace]:
    """Product families that similar accounts (same industry and same tier) bought from us in
    the last two years and this account did not, with what those accounts spent on them,
    largest first."""
    if account.industry_id is None:
        return []
    since = as_of - dt.timedelta(days=365 * WHITESPACE_YEARS)
    peers = Account.objects.filter(industry_id=account.industry_id, tier=account.tier).exclude(
        pk=account.pk
    )
    lines = OrderLine.objects.filter(
        order__order_date__gt=since, order__order_date__lte=as_of
    ).exclude(order__status=Order.Status.CANCELLED)
    own = set(
        lines.filter(account_id=account.pk)
        .exclude(product__family="")
        .values_list("product__family", flat=True)
        .distinct()
    )
    peer_count = peers.count()
    rows = (
        lines.filter(account__in=peers)
        .exclude(product__family="")
        .values("product__family")
        .annotate(spend=Sum("amount"), accounts=Count("account_id", distinct=True))
        .order_by("-spend")
    )
    found = []
    for row in rows:
        family = row["product__family"]
        if family in own or not row["spend"]:
            continue
        found.append(
            Whitespace(
                family=family,
                accounts=row["accounts"],
                peers=peer_count,
                spend=row["spend"],
                spend_per_account=(row["spend"] / row["accounts"]).quantize(Decimal("0.01")),
            )
        )
        if len(found) == WHITESPACE_FAMILIES:
            break
    return found


def plan_suggestions(account: Account, *, as_of: dt.date) -> PlanSuggestions:
    """What the data suggest for a new plan: a revenue target (next year's forecast, the same
    figure every page shows, plus a tenth of the share-of-wallet headroom), whitespace, and
    the strategy of the account's portfolio quadrant."""
    snapshot = latest_snapshot_on(account.pk, as_of)
    forecast = snapshot.forecast_year_1 if snapshot else None
    share = snapshot.share_of_wallet if snapshot else None
    headroom = None
    target = None
    if forecast is not None:
        target = forecast
        if share and 0 < share < 1:
            # What the customer spends with others, at our current share: forecast/share - forecast.
            headroom = (forecast / Decimal(str(share)) - forecast).quantize(Decimal("0.01"))
            target = forecast + headroom * HEADROOM_CAPTURE
        target = target.quantize(Decimal("1"))
    quadrant = snapshot.portfolio_quadrant if snapshot else ""
    return PlanSuggestions(
        revenue_target=target,
        forecast=forecast,
        forecast_method=snapshot.forecast_method if snapshot else "",
        headroom=headroom,
        share_of_wallet=share,
        quadrant=quadrant,
        strategy=str(QUADRANT_STRATEGIES.get(quadrant, "")),
        whitespace=whitespace(account, as_of=as_of),
    )


# --- Reviews -------------------------------------------------------------------------------


def review_since(plan: AccountPlan) -> dt.date:
    """The date a new review looks back to: the last review, else the plan's approval, else
    the start of its period."""
    last = plan.reviews.aggregate(last=Max("held_on"))["last"]
    if last is not None:
        return last
    if plan.approved_at is not None:
        return plan.approved_at.date()
    return plan.period_start


def _snapshot_figures(snapshot: AccountSnapshot | None) -> dict[str, object]:
    if snapshot is None:
        return {}
    margin = margin_rate(snapshot.revenue_12m, snapshot.cost_12m)
    return {
        "as_of": snapshot.as_of.isoformat(),
        "revenue_12m": str(snapshot.revenue_12m),
        "margin_rate": None if margin is None else str(margin),
        "share_of_wallet": snapshot.share_of_wallet,
        "clv": None if snapshot.clv is None else str(snapshot.clv),
        "churn_level": snapshot.churn_level,
        "p_alive": snapshot.p_alive,
    }


def _stage_on(account: Account, day: dt.date) -> str:
    """The account's relationship stage as recorded on `day` (its history), else today's."""
    record = account.history.filter(history_date__date__lte=day).order_by("-history_date").first()
    return record.relationship_stage if record is not None else account.relationship_stage


def review_figures(plan: AccountPlan, *, since: dt.date, until: dt.date) -> dict[str, object]:
    """What changed between two dates, computed: the account's figures from the snapshots on
    either side, its relationship stage, the objectives' progress now, actions done and
    overdue, risks opened and closed."""
    account = plan.account
    actions = Action.objects.filter(plan=plan)
    risks = Risk.objects.filter(account=account)
    return {
        "since": since.isoformat(),
        "until": until.isoformat(),
        "before": _snapshot_figures(latest_snapshot_on(account.pk, since)),
        "after": _snapshot_figures(latest_snapshot_on(account.pk, until)),
        "stage_before": _stage_on(account, since),
        "stage_after": account.relationship_stage,
        "objectives": [
            {
                "id": objective.pk,
                "description": objective.description,
                "metric": objective.metric,
                "target": None if objective.target is None else str(objective.target),
                "actual": None if objective.actual is None else str(objective.actual),
                "progress": objective.progress,
            }
            for objective in plan.objectives.all()
        ],
        "actions_done": actions.filter(done_on__gt=since, done_on__lte=until).count(),
        "actions_overdue": actions.filter(
            status__in=OPEN_ACTION_STATUSES, due_on__lt=until
        ).count(),
        "risks_opened": risks.filter(
            created_at__date__gt=since, created_at__date__lte=until
        ).count(),
        "risks_closed": risks.filter(closed_on__gt=since, closed_on__lte=until).count(),
    }


def is_stale(plan: AccountPlan, *, today: dt.date, last_review: dt.date | None) -> bool:
    """An approved or active plan without a review for more than STALE_AFTER_DAYS."""
    return stale_on(
        status=plan.status,
        approved_at=plan.approved_at,
        period_start=plan.period_start,
        last_review=last_review,
        today=today,
    )


def stale_on(
    *,
    status: str,
    approved_at: dt.datetime | None,
    period_start: dt.date,
    last_review: dt.date | None,
    today: dt.date,
) -> bool:
    """is_stale from the plan's fields (the overview reads values, not plans)."""
    if status not in (PlanStatus.APPROVED, PlanStatus.ACTIVE):
        return False
    reference = last_review or (approved_at.date() if approved_at else period_start)
    return (today - reference).days > STALE_AFTER_DAYS


# --- Worklists and overviews -----------------------------------------------------------------


def open_actions_for(user: User) -> QuerySet[Action]:
    """The user's open plan actions on accounts they still see, soonest due first."""
    return (
        Action.objects.filter(owner=user, status__in=OPEN_ACTION_STATUSES)
        .filter(plan__account__in=accounts_visible_to(user))
        .exclude(plan__status=PlanStatus.CLOSED)
        .select_related("plan", "plan__account")
        .order_by("due_on", "pk")
    )


# What the overview shows of each plan, read as values (no model instances: building a plan,
# its account, team and owner for each row cost the page more than its query). Its figures
# are the plan's own columns (kept by plans.figures); only overdue actions, which change as
# days pass, are counted when read.
OWNER_NAMES = ("username", "display_name", "first_name", "last_name")  # what User.__str__ reads
OVERVIEW_VALUES = (
    "pk",
    "account__legal_name",
    "account__short_name",
    "account__tier",
    "account__team__name",
    "owner_id",
    *(f"owner__{name}" for name in OWNER_NAMES),
    "period_start",
    "period_end",
    "status",
    "approved_at",
    "actions_overdue",
    *PLAN_FIGURES,
)


def plans_overview(user: User) -> QuerySet[AccountPlan]:
    """Every plan the user sees with what a director reads first: objectives behind, overdue
    actions, resources asked and granted, open show stoppers, last review. Filter and sort
    it, then read a page with `.values(*OVERVIEW_VALUES)`."""
    return plans_visible_to(user).annotate(actions_overdue=actions_overdue(dt.date.today()))


def plan_detail_queryset(user: User) -> QuerySet[AccountPlan]:
    """A plan with everything its page shows, prefetched (a fixed number of queries)."""
    return with_plan_parts(plans_visible_to(user))


def with_plan_parts(plans: QuerySet[AccountPlan]) -> QuerySet[AccountPlan]:
    """The plans with every part prefetched; for a reader without a user (the PDF command)
    as well as through plan_detail_queryset."""
    return plans.select_related("account", "owner", "decided_by").prefetch_related(
        "swot_items",
        Prefetch("objectives", queryset=Objective.objects.order_by("position", "pk")),
        "strategies__objectives",
        Prefetch(
            "actions", queryset=Action.objects.select_related("owner", "objective", "interaction")
        ),
        "resources__decided_by",
        "team_members__user",
        "team_members__contact",
        "value_items",
        Prefetch("risks", queryset=Risk.objects.select_related("owner")),
        Prefetch("reviews", queryset=PlanReview.objects.select_related("reviewed_by")),
    )


# --- Pages: customer delivered value, history, risk grids, overview -------------------------


@dataclass(frozen=True)
class DeliveredValue:
    """Customer delivered value (顾客让渡价值): total customer value minus total customer
    cost, once for the components given as amounts and once for those scored 1-5. A side
    with nothing given counts as nothing; a measure given on neither side has no difference."""

    value_amount: Decimal
    cost_amount: Decimal
    amount_difference: Decimal | None
    value_score: int
    cost_score: int
    score_difference: int | None


def delivered_value(items: Iterable[ValueItem]) -> DeliveredValue:
    """Sums the plan's value items (already fetched: no query here)."""
    sums = {"value_amount": Decimal(0), "cost_amount": Decimal(0)}
    scores = {"value": 0, "cost": 0}
    any_amount = any_score = False
    for item in items:
        side = "value" if item.side == ValueSide.VALUE else "cost"
        if item.amount is not None:
            sums[f"{side}_amount"] += item.amount
            any_amount = True
        if item.score is not None:
            scores[side] += item.score
            any_score = True
    return DeliveredValue(
        value_amount=sums["value_amount"],
        cost_amount=sums["cost_amount"],
        amount_difference=sums["value_amount"] - sums["cost_amount"] if any_amount else None,
        value_score=scores["value"],
        cost_score=scores["cost"],
        score_difference=scores["value"] - scores["cost"] if any_score else None,
    )


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    who: User | None
    kind: str  # "+", "~" or "-" (simple-history's history_type)
    what: str  # the part's verbose name
    label: str  # the part as it read then


PLAN_PARTS_WITH_HISTORY = (
    SwotItem,
    Objective,
    Strategy,
    Action,
    ResourceRequest,
    JointTeamMember,
    ValueItem,
    Risk,
    PlanReview,
)
HISTORY_ROWS = 40


# What names a part in the history; read from the historical row itself, since building
# `record.instance` re-reads excluded fields (one query per row).
def _history_label(record: Any) -> str:
    for name in ("title", "text", "description", "reason"):
        if hasattr(record, name):
            return str(getattr(record, name))
    for name in ("role", "component"):
        if hasattr(record, name):
            return str(getattr(record, f"get_{name}_display")())
    if hasattr(record, "held_on"):
        return str(record.held_on)
    return ""


def plan_history(plan: AccountPlan, *, limit: int = HISTORY_ROWS) -> list[HistoryEntry]:
    """Who changed the plan and its parts, and when, newest first: one query per kind of
    part (a fixed number), merged here."""
    entries: list[HistoryEntry] = []
    sources: list[tuple[Any, str]] = [
        (AccountPlan.history.filter(id=plan.pk), str(AccountPlan._meta.verbose_name))
    ]
    for model in PLAN_PARTS_WITH_HISTORY:
        records = model.history.filter(plan_id=plan.pk)
        sources.append((records, str(model._meta.verbose_name)))
    for records, what in sources:
        for record in records.select_related("history_user").order_by("-history_date")[:limit]:
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=record.history_user,
                    kind=record.history_type,
                    what=what,
                    label=_history_label(record),
                )
            )
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


@dataclass(frozen=True)
class GridCell:
    probability: str
    impact: str
    rating: str
    count: int


def risk_grid(risks: QuerySet[Risk]) -> list[list[GridCell]]:
    """The 3x3 heat map of the given risks in one query: rows from high impact down to low,
    columns from low probability up to high, each cell with its count and rating."""
    counts = {
        (row["probability"], row["impact"]): row["n"]
        for row in risks.order_by().values("probability", "impact").annotate(n=Count("pk"))
    }
    levels = list(Level.values)
    return [
        [
            GridCell(
                probability=probability,
                impact=impact,
                rating=risk_rating(probability, impact),
                count=counts.get((probability, impact), 0),
            )
            for probability in levels
        ]
        for impact in reversed(levels)
    ]


GRAVE_RATINGS = (Rating.SIGNIFICANT, Rating.SHOW_STOPPER)


def accounts_at_risk(user: User) -> QuerySet[Account]:
    """The visible accounts carrying open significant risks or show stoppers, with the
    counts and the revenue at stake (the latest snapshot's twelve-month revenue), gravest
    and largest first."""
    open_grave = Q(risks__status__in=OPEN_RISK_STATUSES, risks__rating__in=GRAVE_RATINGS)
    latest_revenue = (
        AccountSnapshot.objects.filter(account=OuterRef("pk"))
        .order_by("-as_of")
        .values("revenue_12m")[:1]
    )
    return (
        accounts_visible_to(user)
        .filter(open_grave)
        .select_related("owner", "team")
        .annotate(
            show_stoppers=Count(
                "risks",
                filter=Q(
                    risks__status__in=OPEN_RISK_STATUSES,
                    risks__rating=Rating.SHOW_STOPPER,
                ),
                distinct=True,
            ),
            significant=Count(
                "risks",
                filter=Q(risks__status__in=OPEN_RISK_STATUSES, risks__rating=Rating.SIGNIFICANT),
                distinct=True,
            ),
            revenue_at_stake=Subquery(latest_revenue),
        )
        .order_by("-show_stoppers", "-significant", F("revenue_at_stake").desc(nulls_last=True))
    )


def plan_status_counts(plans: QuerySet[AccountPlan]) -> dict[str, int]:
    """How many of the given plans are in each status (one query over the plans alone)."""
    counts = dict.fromkeys(PlanStatus.values, 0)
    for row in plans.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


@dataclass(frozen=True)
class AccountPlanSummary:
    """What an account page shows of its plans: the current plan, open actions and risks."""

    plan: AccountPlan | None
    open_actions: int
    overdue_actions: int
    open_risks: int
    grave_risks: int


def account_plan_summary(account: Account, *, today: dt.date) -> AccountPlanSummary:
    current = (
        account.plans.exclude(status=PlanStatus.CLOSED).order_by("-period_start").first()
        or account.plans.order_by("-period_start").first()
    )
    actions = Action.objects.filter(plan__account=account, status__in=OPEN_ACTION_STATUSES)
    action_counts = actions.aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=today))
    )
    risk_counts = Risk.objects.filter(account=account, status__in=OPEN_RISK_STATUSES).aggregate(
        open=Count("pk"), grave=Count("pk", filter=Q(rating__in=GRAVE_RATINGS))
    )
    return AccountPlanSummary(
        plan=current,
        open_actions=action_counts["open"],
        overdue_actions=action_counts["overdue"],
        open_risks=risk_counts["open"],
        grave_risks=risk_counts["grave"],
    )


# Which open plan an account works now: an active one first, a draft last.
WORKING_PLAN_ORDER = (
    PlanStatus.ACTIVE,
    PlanStatus.APPROVED,
    PlanStatus.SUBMITTED,
    PlanStatus.DRAFT,
)


def working_plan(account: Account) -> AccountPlan | None:
    """The plan a new action of the account goes to (an interaction's next step): its
    active plan, else approved, submitted, then draft; the latest period first. None when
    the account has no open plan."""
    plans = account.plans.filter(status__in=WORKING_PLAN_ORDER).order_by("-period_start", "-pk")
    found = list(plans)
    found.sort(key=lambda plan: WORKING_PLAN_ORDER.index(PlanStatus(plan.status)))
    return found[0] if found else None


def part_for(user: User, model: type[PartT], pk: int, *, write: bool = False) -> PartT:
    """One part of a plan (objective, action, resource request...) as `user` may reach it:
    NotFound when its account is invisible, PermissionDenied on a write to an account the user
    may not change (accounts_editable_by)."""
    found = (
        model._default_manager.filter(plan__account__in=accounts_visible_to(user))
        .select_related("plan", "plan__account", "plan__account__team")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("No such part of a plan."))
    plan: AccountPlan = found.plan  # type: ignore[attr-defined]  # every part has its plan
    if write and not can_edit_account(user, plan.account_id):
        raise PermissionDenied(_("You may not change this plan."))
    return found
