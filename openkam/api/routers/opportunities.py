"""Opportunities (商机): the list with its filters (stage, owner, account, close month), one
opportunity with its stage log, opening one, changing it, moving it to another stage with a
reason (won or lost too; lost needs the reason), linking the orders that fulfil a won one, and
deleting one opened by mistake.

Every route goes through openkam.pipeline's selectors and services, so the rules are the
pages' own: an opportunity whose account the user does not see is a 404; analysts and viewers
read only (403 on a write); an account named in the body that the user does not see is that
field's 422, word for word the answer for one that does not exist.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from openkam.api.common import (
    LIST_MAX_PAGE_SIZE,
    LIST_PAGE_SIZE,
    Id,
    InputSchema,
    Money,
    Pages,
    in_api_names,
    inline_enum,
    user_of,
)
from openkam.api.errors import ErrorOut
from openkam.api.permissions import require_writable
from openkam.pipeline import services
from openkam.pipeline.models import CLOSED_STAGES, Opportunity, Stage
from openkam.pipeline.selectors import opportunities_visible_to, opportunity_for, with_weighted

router = Router(tags=["opportunities"])
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PAGES = {"page_size": LIST_PAGE_SIZE, "max_page_size": LIST_MAX_PAGE_SIZE}
MONTH = r"^[1-9]\d{3}-(0[1-9]|1[0-2])$"  # year 0 has no dates


class StageChangeOut(Schema):
    from_stage: str = Field(description="Empty on the change that opened it.")
    to_stage: str
    at: dt.datetime
    user_id: int | None
    reason: str


class OpportunityOut(Schema):
    id: int
    account_id: int
    title: str
    families: str
    product_ids: list[int]
    amount: Decimal
    currency: str
    stage: str
    probability: int = Field(description="The stage's probability, percent.")
    weighted: Decimal = Field(description="Amount times the stage's probability.")
    expected_close: dt.date
    owner_id: int
    competitor_ids: list[int]
    next_step: str
    lost_reason: str
    closed_on: dt.date | None
    order_ids: list[int] = Field(description="The orders that fulfil it (won).")
    stage_changed_at: dt.datetime
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_product_ids(obj: Opportunity) -> list[int]:
        return [product.pk for product in obj.products.all()]

    @staticmethod
    def resolve_competitor_ids(obj: Opportunity) -> list[int]:
        return [competitor.pk for competitor in obj.competitors.all()]

    @staticmethod
    def resolve_order_ids(obj: Opportunity) -> list[int]:
        return [order.pk for order in obj.orders.all()]


class OpportunityDetailOut(OpportunityOut):
    stage_changes: list[StageChangeOut]

    @staticmethod
    def resolve_stage_changes(obj: Opportunity) -> list[StageChangeOut]:
        return [
            StageChangeOut.model_validate(change, from_attributes=True)
            for change in obj.stage_changes.order_by("at", "pk")
        ]


class OpportunityFilters(Schema):
    stage: Annotated[Stage, inline_enum(Stage)] | None = None
    open: bool | None = Field(None, description="Only open (true) or closed (false) ones.")
    owner_id: Id | None = None
    account_id: Id | None = None
    close_month: str | None = Field(None, pattern=MONTH, description="YYYY-MM")


class OpportunityIn(InputSchema):
    account_id: Id
    title: str = Field(max_length=200)
    amount: Money
    currency: str = Field("", description="The account's currency when left out.")
    expected_close: dt.date
    stage: Annotated[Stage, inline_enum(Stage)] | None = Field(
        None, description="The mode's first stage when left out (needs analysis, or lead)."
    )
    owner_id: Id | None = Field(None, description="You, when left out.")
    families: str = Field("", max_length=300)
    product_ids: list[Id] = []
    competitor_ids: list[Id] = []
    next_step: str = Field("", max_length=300)


class OpportunityPatch(InputSchema):
    title: str | None = Field(None, max_length=200)
    amount: Money | None = None
    currency: str | None = None
    expected_close: dt.date | None = None
    owner_id: Id | None = None
    families: str | None = Field(None, max_length=300)
    product_ids: list[Id] | None = None
    competitor_ids: list[Id] | None = None
    next_step: str | None = Field(None, max_length=300)


class StageIn(InputSchema):
    stage: Annotated[Stage, inline_enum(Stage)]
    reason: str = Field("", max_length=300, description="Needed when the stage is lost.")
    order_ids: list[Id] = Field([], description="Won: the account's orders that fulfil it.")


@contextmanager
def api_names() -> Iterator[None]:
    """A service's field errors under the API's names (`owner_id`, not `owner`)."""
    try:
        yield
    except DjangoValidationError as exc:
        raise in_api_names(Opportunity(), exc) from exc


def _rows(request: HttpRequest) -> QuerySet[Opportunity]:
    return with_weighted(opportunities_visible_to(user_of(request))).prefetch_related(
        "products", "competitors", "orders"
    )


def _detail(request: HttpRequest, pk: int) -> Opportunity:
    opportunity_for(user_of(request), pk)
    return _rows(request).get(pk=pk)


@router.get(
    "/opportunities",
    response={200: list[OpportunityOut], 401: ErrorOut, 422: ErrorOut},
    summary="List opportunities",
)
@paginate(Pages, **PAGES)
def list_opportunities(
    request: HttpRequest, filters: Query[OpportunityFilters]
) -> QuerySet[Opportunity]:
    """Opportunities of the accounts you may see, by expected close date."""
    rows = _rows(request).order_by("expected_close", "pk")
    exact = filters.model_dump(include={"stage", "owner_id", "account_id"}, exclude_none=True)
    rows = rows.filter(**exact)
    if filters.open is not None:
        closed = CLOSED_STAGES
        rows = rows.exclude(stage__in=closed) if filters.open else rows.filter(stage__in=closed)
    if filters.close_month is not None:
        year, month = (int(part) for part in filters.close_month.split("-"))
        rows = rows.filter(expected_close__year=year, expected_close__month=month)
    return rows


@router.post(
    "/opportunities", response={201: OpportunityDetailOut, **WRITE}, summary="Open an opportunity"
)
def create_opportunity(request: HttpRequest, payload: OpportunityIn) -> Status:
    """At an open stage; the owner is you unless named."""
    user = user_of(request)
    require_writable(user, payload.account_id, field="account_id")
    with api_names():
        opportunity = services.opportunity_create(
            user=user, **payload.model_dump(exclude={"stage"}), stage=payload.stage or ""
        )
    return Status(201, _detail(request, opportunity.pk))


@router.get(
    "/opportunities/{int:opportunity_id}",
    response={200: OpportunityDetailOut, **READ},
    summary="Read an opportunity",
)
def get_opportunity(request: HttpRequest, opportunity_id: int) -> Opportunity:
    return _detail(request, opportunity_id)


@router.patch(
    "/opportunities/{int:opportunity_id}",
    response={200: OpportunityDetailOut, **WRITE},
    summary="Edit an opportunity",
)
def update_opportunity(
    request: HttpRequest, opportunity_id: int, payload: OpportunityPatch
) -> Opportunity:
    """Anything but the stage (see /stage)."""
    user = user_of(request)
    opportunity = opportunity_for(user, opportunity_id, write=True)
    with api_names():
        services.opportunity_update(
            user=user, opportunity=opportunity, changes=payload.model_dump(exclude_unset=True)
        )
    return _detail(request, opportunity_id)


@router.post(
    "/opportunities/{int:opportunity_id}/stage",
    response={200: OpportunityDetailOut, **WRITE},
    summary="Move an opportunity to a stage",
)
def move_opportunity(request: HttpRequest, opportunity_id: int, payload: StageIn) -> Opportunity:
    """Forward, back, won (with the orders that fulfil it) or lost (with the reason). Won
    again with order_ids links more orders."""
    user = user_of(request)
    opportunity = opportunity_for(user, opportunity_id, write=True)
    with api_names(), transaction.atomic():
        if payload.stage == Stage.WON:
            services.opportunity_win(
                user=user,
                opportunity=opportunity,
                order_ids=payload.order_ids,
                reason=payload.reason,
            )
        else:
            services.opportunity_move_stage(
                user=user, opportunity=opportunity, stage=payload.stage, reason=payload.reason
            )
    return _detail(request, opportunity_id)


@router.delete(
    "/opportunities/{int:opportunity_id}",
    response={204: None, **WRITE},
    summary="Delete an opportunity",
)
def delete_opportunity(request: HttpRequest, opportunity_id: int) -> Status:
    """One opened by mistake; its history keeps that it existed."""
    user = user_of(request)
    services.opportunity_delete(
        user=user, opportunity=opportunity_for(user, opportunity_id, write=True)
    )
    return Status(204, None)
