"""Win-back cases (流失挽回): the list, one case with its actions, opening one (from a churn
alert of the account, or without), changing it, closing it with its outcome, deleting one
opened by mistake, and its actions.

Every route goes through openkam.retention's selectors and services, so the rules are the
pages' own: a case whose account the user does not see is a 404; analysts and viewers read
only (403 on a write); an account named in the body that the user does not see is that
field's 422, word for word the answer for one that does not exist.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from openkam.api.common import (
    LIST_MAX_PAGE_SIZE,
    LIST_PAGE_SIZE,
    Id,
    InputSchema,
    Pages,
    in_api_names,
    inline_enum,
    user_of,
)
from openkam.api.errors import ErrorOut
from openkam.api.permissions import require_writable
from openkam.retention import services
from openkam.retention.models import ActionStatus, Cause, Outcome, WinBackAction, WinBackCase
from openkam.retention.selectors import action_for, case_for, cases_visible_to

router = Router(tags=["win-back"])
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PAGES = {"page_size": LIST_PAGE_SIZE, "max_page_size": LIST_MAX_PAGE_SIZE}


class WinBackActionOut(Schema):
    id: int
    case_id: int
    title: str
    owner_id: int
    due_on: dt.date
    status: str
    done_on: dt.date | None


class WinBackOut(Schema):
    id: int
    account_id: int
    alert_id: int | None
    owner_id: int | None
    opened_on: dt.date
    cause: str
    notes: str
    offer: str
    revenue_at_stake: Decimal = Field(description="Revenue of the 12 months before opening.")
    outcome: str = Field(description="Empty while open; retained, recovered or lost.")
    outcome_on: dt.date | None
    outcome_note: str
    created_at: dt.datetime
    updated_at: dt.datetime


class WinBackDetailOut(WinBackOut):
    actions: list[WinBackActionOut]


class WinBackFilters(Schema):
    account_id: Id | None = None
    owner_id: Id | None = None
    team_id: Id | None = None
    cause: Annotated[Cause, inline_enum(Cause)] | None = None
    state: Literal["open", "retained", "recovered", "lost"] | None = None


class WinBackIn(InputSchema):
    account_id: Id
    alert_id: Id | None = Field(None, description="A churn alert of the account.")
    cause: Annotated[Cause, inline_enum(Cause)]
    notes: str = ""
    offer: str = ""
    owner_id: Id | None = Field(None, description="The account's KAM when left out.")


class WinBackPatch(InputSchema):
    cause: Annotated[Cause, inline_enum(Cause)] | None = None
    notes: str | None = None
    offer: str | None = None
    owner_id: Id | None = None


class OutcomeIn(InputSchema):
    outcome: Annotated[Outcome, inline_enum(Outcome)]
    outcome_on: dt.date = Field(description="Between the case's opening and today.")
    note: str = ""


class WinBackActionIn(InputSchema):
    title: str
    owner_id: Id | None = Field(None, description="You, when left out.")
    due_on: dt.date


class WinBackActionPatch(InputSchema):
    title: str | None = None
    owner_id: Id | None = None
    due_on: dt.date | None = None
    status: Annotated[ActionStatus, inline_enum(ActionStatus)] | None = None


@contextmanager
def api_names(model: type[models.Model]) -> Iterator[None]:
    """A service's field errors under the API's names (`owner_id`, not `owner`)."""
    try:
        yield
    except DjangoValidationError as exc:
        raise in_api_names(model(), exc) from exc


def _detail(request: HttpRequest, pk: int) -> WinBackCase:
    return case_for(user_of(request), pk)


@router.get(
    "/winbacks",
    response={200: list[WinBackOut], 401: ErrorOut, 422: ErrorOut},
    summary="List win-back cases",
)
@paginate(Pages, **PAGES)
def list_winbacks(request: HttpRequest, filters: Query[WinBackFilters]) -> QuerySet[WinBackCase]:
    """Cases of the accounts you may see, the newest first."""
    cases = cases_visible_to(user_of(request)).order_by("-opened_on", "-pk")
    exact = filters.model_dump(include={"account_id", "owner_id", "cause"}, exclude_none=True)
    cases = cases.filter(**exact)
    if filters.team_id is not None:
        cases = cases.filter(account__team_id=filters.team_id)
    if filters.state is not None:
        cases = cases.filter(outcome="" if filters.state == "open" else filters.state)
    return cases


@router.post("/winbacks", response={201: WinBackDetailOut, **WRITE}, summary="Open a win-back case")
def create_winback(request: HttpRequest, payload: WinBackIn) -> Status:
    """One open case per account; the account moves to the win-back stage."""
    user = user_of(request)
    require_writable(user, payload.account_id, field="account_id")
    with api_names(WinBackCase):
        case = services.winback_open(user=user, **payload.model_dump())
    return Status(201, _detail(request, case.pk))


@router.get(
    "/winbacks/{int:case_id}", response={200: WinBackDetailOut, **READ}, summary="Read a case"
)
def get_winback(request: HttpRequest, case_id: int) -> WinBackCase:
    return _detail(request, case_id)


@router.patch(
    "/winbacks/{int:case_id}", response={200: WinBackDetailOut, **WRITE}, summary="Edit a case"
)
def update_winback(request: HttpRequest, case_id: int, payload: WinBackPatch) -> WinBackCase:
    """Change the cause, notes, offer or owner of an open case."""
    user = user_of(request)
    case = case_for(user, case_id, write=True)
    with api_names(WinBackCase):
        services.winback_update(
            user=user, case=case, changes=payload.model_dump(exclude_unset=True)
        )
    return _detail(request, case_id)


@router.post(
    "/winbacks/{int:case_id}/outcome",
    response={200: WinBackDetailOut, **WRITE},
    summary="Close a case with its outcome",
)
def record_outcome(request: HttpRequest, case_id: int, payload: OutcomeIn) -> WinBackCase:
    user = user_of(request)
    case = case_for(user, case_id, write=True)
    with api_names(WinBackCase):
        services.winback_record_outcome(user=user, case=case, **payload.model_dump())
    return _detail(request, case_id)


@router.delete("/winbacks/{int:case_id}", response={204: None, **WRITE}, summary="Delete a case")
def delete_winback(request: HttpRequest, case_id: int) -> Status:
    """A case opened by mistake; its history keeps that it existed."""
    user = user_of(request)
    services.winback_delete(user=user, case=case_for(user, case_id, write=True))
    return Status(204, None)


@router.post(
    "/winbacks/{int:case_id}/actions",
    response={201: WinBackActionOut, **WRITE},
    summary="Add an action to a case",
)
def add_action(request: HttpRequest, case_id: int, payload: WinBackActionIn) -> Status:
    user = user_of(request)
    case = case_for(user, case_id, write=True)
    fields = payload.model_dump()
    fields["owner_id"] = fields["owner_id"] or user.pk
    with api_names(WinBackAction):
        action = services.winback_action_add(user=user, case=case, **fields)
    return Status(201, action)


@router.patch(
    "/winback-actions/{int:action_id}",
    response={200: WinBackActionOut, **WRITE},
    summary="Edit a win-back action",
)
def update_action(
    request: HttpRequest, action_id: int, payload: WinBackActionPatch
) -> WinBackAction:
    """Change an action; `done` records the day. Its owner may update it too."""
    user = user_of(request)
    action = action_for(user, action_id)
    with api_names(WinBackAction):
        return services.winback_action_update(
            user=user, action=action, changes=payload.model_dump(exclude_unset=True)
        )
