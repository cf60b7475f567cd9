"""Accounts, with their group hierarchy (parent and subsidiaries, revenue rolled up)."""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from openkam.accounts.models import (
    Account,
    IndustryPosition,
    LifecycleStage,
    Region,
    RelationshipStage,
    Tier,
)
from openkam.accounts.selectors import account_for, accounts_visible_to, descendant_ids
from openkam.api import services
from openkam.api.common import (
    LIST_MAX_PAGE_SIZE,
    LIST_PAGE_SIZE,
    DateTimeIn,
    Id,
    InputSchema,
    Money,
    Pages,
    user_of,
    writable_or_404,
)
from openkam.api.errors import ErrorOut
from openkam.common.queries import choice_rank
from openkam.governance.services import governed_change_check
from openkam.ledger.hierarchy import group_structure

router = Router(tags=["accounts"])
CENT = Decimal("0.01")
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class AccountOut(Schema):
    id: int
    legal_name: str
    short_name: str
    credit_code: str
    industry_id: int | None
    industry_position: str
    region: str
    province: str
    city: str
    address: str
    phone: str
    website: str
    parent_id: int | None
    lifecycle_stage: str
    relationship_stage: str
    tier: str
    is_strategic: bool
    strategic_reason: str
    owner_id: int | None
    team_id: int | None
    credit_limit: Decimal
    payment_terms_days: int
    currency: str
    customer_since: dt.date | None
    notes: str
    created_at: dt.datetime
    updated_at: dt.datetime


class AccountPatch(InputSchema):
    """Only the fields sent are changed."""

    legal_name: str = ""
    short_name: str = ""
    credit_code: str = ""
    industry_id: Id | None = None
    industry_position: IndustryPosition = IndustryPosition.UNKNOWN
    region: Region | Literal[""] = ""
    province: str = ""
    city: str = ""
    address: str = ""
    phone: str = ""
    website: str = ""
    parent_id: Id | None = None
    lifecycle_stage: LifecycleStage = LifecycleStage.IDENTIFICATION
    relationship_stage: RelationshipStage = RelationshipStage.PRE
    tier: Tier = Field(
        Tier.GENERAL,
        description="Changed by the yearly tier review; only an executive may set it here "
        "(with `change_reason`), anyone else gets 403 on this field.",
    )
    is_strategic: bool = Field(
        False,
        description="The strategic designation: an executive's decision (with "
        "`change_reason`); anyone else gets 403 on this field.",
    )
    strategic_reason: str = ""
    change_reason: str = Field(
        "", description="Why an executive changes `tier` or `is_strategic` (kept in history)."
    )
    owner_id: Id | None = None
    team_id: Id | None = None
    credit_limit: Money = Decimal("0")
    payment_terms_days: int = 30
    currency: str = ""
    customer_since: dt.date | None = None
    notes: str = ""


class AccountIn(AccountPatch):
    legal_name: str


ACCOUNT_ORDERING = Literal[
    "legal_name", "-legal_name", "id", "-id", "updated_at", "-updated_at", "tier", "-tier"
]
TIER_RANK = choice_rank("tier", Tier.values)


class AccountFilters(Schema):
    q: str = ""
    tier: Tier | None = None
    lifecycle_stage: LifecycleStage | None = None
    region: Region | None = None
    team_id: Id | None = None
    owner_id: Id | None = None
    parent_id: Id | None = None
    descendants_of: Id | None = None
    updated_since: DateTimeIn | None = None
    ordering: ACCOUNT_ORDERING = "legal_name"


class LinkedAccountOut(Schema):
    id: int
    legal_name: str
    visible: bool


class GroupMemberOut(LinkedAccountOut):
    short_name: str
    parent_id: int | None
    depth: int
    own_revenue: Decimal
    rolled_up_revenue: Decimal


class HierarchyOut(Schema):
    revenue_from: dt.date
    revenue_until: dt.date
    ancestors: list[LinkedAccountOut]
    members: list[GroupMemberOut]


def filtered(accounts: QuerySet[Account], filters: AccountFilters) -> QuerySet[Account]:
    if filters.q.strip():
        q = filters.q.strip()
        accounts = accounts.filter(
            Q(legal_name__icontains=q) | Q(short_name__icontains=q) | Q(credit_code__icontains=q)
        )
    exact = filters.model_dump(
        include={"tier", "lifecycle_stage", "region", "team_id", "owner_id", "parent_id"},
        exclude_none=True,
    )
    accounts = accounts.filter(**exact)
    if filters.descendants_of is not None:
        below = [
            pk for pk in descendant_ids(filters.descendants_of) if pk != filters.descendants_of
        ]
        accounts = accounts.filter(pk__in=below)
    if filters.updated_since is not None:
        accounts = accounts.filter(updated_at__gte=filters.updated_since)
    key = filters.ordering.removeprefix("-")
    descending = filters.ordering.startswith("-")
    if key == "tier":  # the tier order (strategic first), not the codes' alphabet
        accounts = accounts.alias(tier_rank=TIER_RANK)
        key = "tier_rank"
    return accounts.order_by(f"-{key}" if descending else key, "legal_name", "pk")


@router.get("/accounts", response={200: list[AccountOut], 401: ErrorOut, 422: ErrorOut})
@paginate(Pages, page_size=LIST_PAGE_SIZE, max_page_size=LIST_MAX_PAGE_SIZE)
def list_accounts(request: HttpRequest, filters: Query[AccountFilters]) -> QuerySet[Account]:
    """The accounts you may see, filtered, by legal name."""
    return filtered(accounts_visible_to(user_of(request)), filters)


@router.get("/accounts/{int:account_id}", response={200: AccountOut, **READ})
def get_account(request: HttpRequest, account_id: int) -> Account:
    return account_for(user_of(request), account_id)


@router.get("/accounts/{int:account_id}/hierarchy", response={200: HierarchyOut, **READ})
def get_account_hierarchy(request: HttpRequest, account_id: int) -> dict[str, object]:
    """Parents (nearest first) and the whole group below the account, with revenue of the
    last 12 months rolled up through every level; `visible` says which you may open."""
    user = user_of(request)
    account = account_for(user, account_id)
    group = group_structure(account, user=user, today=timezone.localdate())
    return {
        "revenue_from": group.window.start,
        "revenue_until": group.window.last_month,
        "ancestors": [
            {"id": link.account.pk, "legal_name": link.account.legal_name, "visible": link.visible}
            for link in group.ancestors
        ],
        "members": [
            {
                "id": row.account.pk,
                "legal_name": row.account.legal_name,
                "short_name": row.account.short_name,
                "parent_id": row.parent_id,
                "visible": row.visible,
                "depth": row.depth,
                "own_revenue": row.own_revenue.quantize(CENT),
                "rolled_up_revenue": row.rolled_up_revenue.quantize(CENT),
            }
            for row in group.rows
        ],
    }


@router.post("/accounts", response={201: AccountOut, **WRITE})
def create_account(request: HttpRequest, payload: AccountIn) -> Status:
    user = user_of(request)
    data = payload.model_dump(exclude_unset=True)
    governed_change_check(user=user, account=None, data=data)
    return Status(201, services.account_create(user=user, data=data))


@router.patch("/accounts/{int:account_id}", response={200: AccountOut, **WRITE})
def update_account(request: HttpRequest, account_id: int, payload: AccountPatch) -> Account:
    user = user_of(request)
    account = writable_or_404(Account, account_id, user=user, account_field="pk")
    data = payload.model_dump(exclude_unset=True)
    reason = governed_change_check(user=user, account=account, data=data)
    if reason:
        account._change_reason = reason  # type: ignore[attr-defined]  # the history keeps it
    return services.account_update(user=user, account=account, data=data)


@router.delete("/accounts/{int:account_id}", response={204: None, **WRITE, 409: ErrorOut})
def delete_account(request: HttpRequest, account_id: int) -> Status:
    user = user_of(request)
    account = writable_or_404(Account, account_id, user=user, account_field="pk")
    services.account_delete(user=user, account=account)
    return Status(204, None)
