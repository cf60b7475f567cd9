"""The plans overview's figures kept on each plan (objectives behind, open show stoppers,
resources asked and granted, last review), so the overview reads plain columns instead of
seven correlated subqueries per plan: building and compiling those cost the page more than
the database did.

One rule computes them (`figure_expressions`): the services recompute a plan's figures in
the same transaction as every write to its objectives, risks, resources and reviews, the
refresh recomputes the plans it measured, and `openkam plan_figures --check` compares the
stored figures with freshly computed ones. Overdue actions are not kept: an action becomes
overdue as days pass without any write, so the overview counts them when it reads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from openkam.plans.models import (
    OPEN_ACTION_STATUSES,
    OPEN_RISK_STATUSES,
    PLAN_FIGURES,
    AccountPlan,
    Action,
    Decision,
    Objective,
    PlanReview,
    Progress,
    ResourceRequest,
    Risk,
)
from openkam.plans.risks import Rating


def count_of(parts: QuerySet[Any]) -> Coalesce:
    """How many of the plan's parts match, as a correlated subquery (one index search per
    plan) rather than a join, which would multiply the rows per plan."""
    counted = parts.filter(plan=OuterRef("pk")).order_by().values("plan")
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")[:1]), 0)


def resource_sum(field: str, *, granted: bool) -> Subquery:
    """The plan's resources asked (every request) or granted (granted and partly granted);
    None when no request gives the figure."""
    rows = ResourceRequest.objects.filter(plan=OuterRef("pk"))
    if granted:
        rows = rows.filter(decision__in=(Decision.GRANTED, Decision.PARTLY))
    return Subquery(rows.order_by().values("plan").annotate(total=Sum(field)).values("total")[:1])


def figure_expressions() -> dict[str, Any]:
    """Each stored figure (models.PLAN_FIGURES) as computed from the plan's parts."""
    last_review = PlanReview.objects.filter(plan=OuterRef("pk")).order_by().values("plan")
    return {
        "objectives_behind": count_of(Objective.objects.filter(progress=Progress.BEHIND)),
        "show_stoppers": count_of(
            Risk.objects.filter(rating=Rating.SHOW_STOPPER, status__in=OPEN_RISK_STATUSES)
        ),
        "days_asked": resource_sum("person_days", granted=False),
        "days_granted": resource_sum("granted_person_days", granted=True),
        "money_asked": resource_sum("amount", granted=False),
        "money_granted": resource_sum("granted_amount", granted=True),
        "last_review_on": Subquery(last_review.annotate(last=Max("held_on")).values("last")[:1]),
    }


def actions_overdue(today: dt.date) -> Coalesce:
    """The plan's open actions due before `today` (read, not kept: see the module's note)."""
    return count_of(Action.objects.filter(status__in=OPEN_ACTION_STATUSES, due_on__lt=today))


@transaction.atomic
def plan_figures_refresh(plan_ids: Iterable[int | None] | None = None) -> int:
    """Recompute the stored figures of the given plans (every plan when None) in one UPDATE;
    ids that are None (a risk without a plan) are skipped. Returns the plans updated.

    The plans' rows are locked first: on PostgreSQL an UPDATE that waited for another
    writer's lock still computes its subqueries from the snapshot taken before it waited, so
    two parts added at once would each count without the other; after the lock, the UPDATE's
    snapshot sees what the other writer committed."""
    plans = AccountPlan.objects.all()
    if plan_ids is not None:
        ids = {pk for pk in plan_ids if pk is not None}
        if not ids:
            return 0
        plans = plans.filter(pk__in=ids)
    list(plans.select_for_update().order_by("pk").values_list("pk", flat=True))
    return plans.update(**figure_expressions())


@dataclass(frozen=True)
class FigureMismatch:
    plan_id: int
    figure: str
    stored: object
    computed: object


def plan_figures_mismatches() -> list[FigureMismatch]:
    """Every stored figure that differs from the one computed now from the plan's parts."""
    computed = {f"computed_{name}": expr for name, expr in figure_expressions().items()}
    rows = AccountPlan.objects.annotate(**computed).values("pk", *PLAN_FIGURES, *computed)
    found = []
    for row in rows.order_by("pk").iterator(chunk_size=2000):
        for name in PLAN_FIGURES:
            stored, fresh = row[name], row[f"computed_{name}"]
            if not _same(stored, fresh):
                found.append(FigureMismatch(row["pk"], name, stored, fresh))
    return found


def _same(stored: object, computed: object) -> bool:
    """Equal as figures (10.0 person-days stored, 10 summed), to the cent."""
    if stored is None or computed is None:
        return stored is computed
    if isinstance(stored, dt.date):
        return str(stored) == str(computed)[:10]
    cent = Decimal("0.01")
    return Decimal(str(stored)).quantize(cent) == Decimal(str(computed)).quantize(cent)
