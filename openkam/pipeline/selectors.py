"""Reads of the pipeline: what a user sees (the accounts' rule: accounts_visible_to), the
stage probabilities, the weighted pipeline per KAM, team and month, conversion rates and days
per stage read from the stage log, stale opportunities, and the prospects to screen.

A prospect becomes a customer at its first order: that is derived here at read time from the
ledger (an order of the account exists), which every import keeps current, so nothing stored
can disagree with the ledger; the account's lifecycle stage itself leaves identification at
the next refresh (retention's lifecycle rules, purchase days above zero).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, LifecycleStage
from openkam.accounts.selectors import accounts_visible_to, writable_account_for
from openkam.common.errors import NotFound
from openkam.ledger.models import Order
from openkam.pipeline.mode import stages
from openkam.pipeline.models import (
    DEFAULT_PROBABILITIES,
    OPEN_STAGES,
    Opportunity,
    ProspectScreening,
    Stage,
    StageChange,
    StageProbability,
    StageSet,
)
from openkam.team.models import User

STALE_DAYS = 30


def opportunities_visible_to(user: User) -> QuerySet[Opportunity]:
    """The opportunities of the accounts the user sees (never re-derived here)."""
    if user.is_active and user.sees_all_accounts:
        return Opportunity.objects.all()
    return Opportunity.objects.filter(account__in=accounts_visible_to(user).values("pk"))


def opportunity_for(user: User, pk: int, *, write: bool = False) -> Opportunity:
    """The opportunity `pk` as the user may read it (NotFound otherwise); `write`: also
    PermissionDenied for a role that reads only."""
    try:
        opportunity = opportunities_visible_to(user).select_related("account", "owner").get(pk=pk)
    except Opportunity.DoesNotExist as exc:
        raise NotFound(_("No opportunity with this ID.")) from exc
    if write:
        writable_account_for(user, opportunity.account_id)
    return opportunity


def probabilities() -> dict[str, int]:
    """Each stage's probability in percent: the stored ones over the defaults."""
    stored = dict(StageProbability.objects.values_list("stage", "probability"))
    return {stage: stored.get(stage, default) for stage, default in DEFAULT_PROBABILITIES.items()}


def with_weighted(
    rows: QuerySet[Opportunity], chances: dict[str, int] | None = None
) -> QuerySet[Opportunity]:
    """Each opportunity with `probability` (percent) and `weighted` (amount x probability)."""
    chances = chances if chances is not None else probabilities()
    probability = Case(
        *[When(stage=stage, then=Value(value)) for stage, value in chances.items()],
        default=Value(0),
    )
    weighted = ExpressionWrapper(
        F("amount") * probability / Value(Decimal(100)),
        output_field=DecimalField(max_digits=20, decimal_places=2),
    )
    return rows.annotate(probability=probability, weighted=weighted)


@dataclass(frozen=True)
class WeightedRow:
    key: Any
    label: str
    amount: Decimal
    weighted: Decimal
    count: int


def _grouped(rows: QuerySet[Opportunity], key: str, label: str) -> list[WeightedRow]:
    grouped = (
        rows.order_by()
        .values(key, label)
        .annotate(total=Sum("amount"), total_weighted=Sum("weighted"), n=Sum(Value(1)))
        .order_by("-total_weighted", key)
    )
    return [
        WeightedRow(
            key=row[key],
            label=str(row[label] or "—"),
            amount=row["total"] or Decimal(0),
            weighted=(row["total_weighted"] or Decimal(0)).quantize(Decimal("0.01")),
            count=row["n"],
        )
        for row in grouped
    ]


@dataclass(frozen=True)
class WeightedPipeline:
    by_owner: list[WeightedRow]
    by_team: list[WeightedRow]
    by_month: list[WeightedRow]
    total: Decimal
    weighted: Decimal
    other_currencies: int  # open opportunities not in the house currency, not summed


def weighted_pipeline(user: User) -> WeightedPipeline:
    """The open pipeline in the house currency, amount and weighted amount per KAM, team and
    expected close month (four queries: probabilities, three groupings, the rest counted)."""
    currency = str(settings.OPENKAM_CURRENCY)
    visible = opportunities_visible_to(user).filter(stage__in=OPEN_STAGES)
    rows = with_weighted(visible.filter(currency=currency))
    by_owner = _grouped(rows, "owner_id", "owner__username")
    names = dict(
        User.objects.filter(pk__in=[row.key for row in by_owner]).values_list("pk", "display_name")
    )
    by_owner = [
        WeightedRow(row.key, names.get(row.key) or row.label, row.amount, row.weighted, row.count)
        for row in by_owner
    ]
    by_month = sorted(
        _grouped(rows.annotate(month=TruncMonth("expected_close")), "month", "month"),
        key=lambda row: row.key,
    )
    by_month = [
        WeightedRow(row.key, row.key.strftime("%Y-%m"), row.amount, row.weighted, row.count)
        for row in by_month
    ]
    by_team = _grouped(rows, "account__team_id", "account__team__name")
    return WeightedPipeline(
        by_owner=by_owner,
        by_team=by_team,
        by_month=by_month,
        total=sum((row.amount for row in by_owner), Decimal(0)),
        weighted=sum((row.weighted for row in by_owner), Decimal(0)),
        other_currencies=visible.exclude(currency=currency).count(),
    )


@dataclass(frozen=True)
class StageFlow:
    stage: str
    label: str
    reached: int  # opportunities that ever reached this stage (or a later one)
    converted: int  # of those, how many reached the next step
    rate: float | None  # converted / reached
    average_days: float | None  # mean days spent in the stage, over completed stays
    stays: int


def stage_flow(
    changes: list[tuple[int, str, dt.datetime]], stage_set: StageSet | None = None
) -> list[StageFlow]:
    """Conversion and days per stage from a stage log: (opportunity, to_stage, at) rows.

    An opportunity reached a step when its furthest step in the log is that far (stages may
    be skipped: one entered at quotation has also passed needs analysis for the count).
    A stay is the time from entering a stage to the next move; open stays are not counted.
    The steps are the mode's (`stage_set`): its open stages, then won (a promotion project's
    signed, landed and in production); a row for each step that has a next one."""
    steps = (stage_set or stages()).steps

    def _rank(stage: str) -> int:
        return steps.index(Stage(stage)) if stage in steps else -1

    furthest: dict[int, int] = {}
    days: dict[str, list[float]] = defaultdict(list)
    previous: dict[int, tuple[str, dt.datetime]] = {}
    for opportunity, stage, at in sorted(changes, key=lambda row: (row[0], row[2])):
        furthest[opportunity] = max(furthest.get(opportunity, -1), _rank(stage))
        if opportunity in previous:
            held, since = previous[opportunity]
            days[held].append((at - since).total_seconds() / 86400)
        previous[opportunity] = (stage, at)
    flows = []
    for index, stage in enumerate(steps[:-1]):
        reached = sum(1 for rank in furthest.values() if rank >= index)
        converted = sum(1 for rank in furthest.values() if rank >= index + 1)
        stays = days.get(stage, [])
        flows.append(
            StageFlow(
                stage=stage,
                label=str(Stage(stage).label),
                reached=reached,
                converted=converted,
                rate=converted / reached if reached else None,
                average_days=sum(stays) / len(stays) if stays else None,
                stays=len(stays),
            )
        )
    return flows


def pipeline_flow(user: User) -> list[StageFlow]:
    """stage_flow over the log of the opportunities the user sees (one query)."""
    log = StageChange.objects.filter(
        opportunity__in=opportunities_visible_to(user).values("pk")
    ).values_list("opportunity_id", "to_stage", "at")
    return stage_flow(list(log))


def win_rate(user: User) -> float | None:
    """Won over closed (won or lost)."""
    stage_set = stages()
    closed = opportunities_visible_to(user).filter(stage__in=stage_set.closed)
    total = closed.count()
    return closed.filter(stage__in=stage_set.won).count() / total if total else None


def stale_before(days: int = STALE_DAYS, *, now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=days)


def prospects_visible_to(user: User, *, state: str = "") -> QuerySet[Account]:
    """Accounts in the identification stage with no order yet, each with its latest
    screening (outcome, reason, day, attractiveness then); `state`: only those whose latest
    screening is qualified or dropped, or that are not screened."""
    latest = ProspectScreening.objects.filter(account=OuterRef("pk")).order_by(
        "-screened_on", "-pk"
    )
    rows = (
        accounts_visible_to(user)
        .filter(lifecycle_stage=LifecycleStage.IDENTIFICATION)
        .exclude(Exists(Order.objects.filter(account=OuterRef("pk"))))
        .annotate(
            screening=Subquery(latest.values("outcome")[:1]),
            screening_reason=Subquery(latest.values("reason")[:1]),
            screened_on=Subquery(latest.values("screened_on")[:1]),
            attractiveness_at_screening=Subquery(latest.values("attractiveness")[:1]),
        )
        .select_related("owner", "team")
    )
    if state in {"qualified", "dropped"}:
        rows = rows.filter(screening=state)
    elif state == "unscreened":
        rows = rows.exclude(Exists(ProspectScreening.objects.filter(account=OuterRef("pk"))))
    return rows


def is_customer(account: Account) -> bool:
    """Converted to a customer at its first order (read from the ledger)."""
    return Order.objects.filter(account_id=account.pk).exists()
