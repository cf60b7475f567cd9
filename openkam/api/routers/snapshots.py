"""Analytics snapshots: every figure the portfolio refresh computed for an account on a date
(ABC class, tier proposal, CLV, loyalty, matrices, churn risk, receivables)."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import paginate

from openkam.api.common import (
    LIST_MAX_PAGE_SIZE,
    LIST_PAGE_SIZE,
    Id,
    Pages,
    of_visible_accounts,
    user_of,
    visible_or_404,
)
from openkam.api.errors import ErrorOut
from openkam.portfolio.models import AccountSnapshot
from openkam.team.models import User

router = Router(tags=["analytics snapshots"])


class SnapshotOut(Schema):
    id: int
    run_id: int
    account_id: int
    as_of: dt.date
    revenue_12m: Decimal
    cost_12m: Decimal
    revenue_prev_12m: Decimal
    revenue_year_2: Decimal
    revenue_year_1: Decimal
    revenue_year_0: Decimal
    forecast_year_1: Decimal
    forecast_year_2: Decimal
    forecast_method: str
    direct_cost: Decimal
    indirect_cost: Decimal
    net_contribution: Decimal
    abc_revenue: str
    abc_profit: str
    revenue_rank: int | None
    revenue_cumulative_share: float | None
    tier: str
    tier_proposed: str
    purchase_days: int
    frequency: int
    recency_weeks: float | None
    age_weeks: float | None
    p_alive: float | None
    expected_purchases_12m: float | None
    expected_spend: Decimal | None
    clv: Decimal | None
    share_of_wallet: float | None
    mean_gap_days: float | None
    gap_cv: float | None
    loyalty_preference: float | None
    loyalty_repeat: float | None
    loyalty_type: str
    sales_profit_quadrant: str
    volume_loyalty_quadrant: str
    attractiveness: float | None
    attractiveness_coverage: float | None
    relative_strength: float | None
    portfolio_quadrant: str
    days_since_last_purchase: int | None
    churn_level: str
    churn_reasons: list[Any]
    ar_open: Decimal
    ar_overdue: Decimal
    ar_ageing: dict[str, Any]
    dso_days: float | None
    ar_turnover: float | None
    credit_limit_use: float | None


class SnapshotFilters(Schema):
    account_id: Id | None = None
    as_of: dt.date | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    latest: bool = False
    churn_level: str | None = None
    abc_revenue: str | None = None


def visible_snapshots(user: User) -> QuerySet[AccountSnapshot]:
    return of_visible_accounts(AccountSnapshot.objects.all(), user)


@router.get("/snapshots", response={200: list[SnapshotOut], 401: ErrorOut, 422: ErrorOut})
@paginate(Pages, page_size=LIST_PAGE_SIZE, max_page_size=LIST_MAX_PAGE_SIZE)
def list_snapshots(
    request: HttpRequest, filters: Query[SnapshotFilters]
) -> QuerySet[AccountSnapshot]:
    """Snapshots of the accounts you may see, newest first; `latest=true` keeps each
    account's most recent one only (the trend is the list for one account)."""
    snapshots = visible_snapshots(user_of(request))
    exact = filters.model_dump(
        include={"account_id", "as_of", "churn_level", "abc_revenue"}, exclude_none=True
    )
    snapshots = snapshots.filter(**exact)
    if filters.since is not None:
        snapshots = snapshots.filter(as_of__gte=filters.since)
    if filters.until is not None:
        snapshots = snapshots.filter(as_of__lte=filters.until)
    if filters.latest:
        newest = AccountSnapshot.objects.filter(account_id=OuterRef("account_id")).order_by(
            "-as_of"
        )
        snapshots = snapshots.filter(pk=Subquery(newest.values("pk")[:1]))
    return snapshots.order_by("-as_of", "account_id", "pk")


@router.get(
    "/snapshots/{int:snapshot_id}", response={200: SnapshotOut, 401: ErrorOut, 404: ErrorOut}
)
def get_snapshot(request: HttpRequest, snapshot_id: int) -> AccountSnapshot:
    return visible_or_404(visible_snapshots(user_of(request)), snapshot_id)
