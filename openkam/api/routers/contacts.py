"""Contacts at the accounts and their buying roles."""

import datetime as dt
from typing import Literal

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from openkam.api import services
from openkam.api.common import (
    LIST_MAX_PAGE_SIZE,
    LIST_PAGE_SIZE,
    DateTimeIn,
    Id,
    InputSchema,
    Pages,
    of_visible_accounts,
    user_of,
    visible_or_404,
    writable_or_404,
)
from openkam.api.errors import ErrorOut
from openkam.relationships.models import Channel, Contact, InfluenceType, Support, TheirFunction
from openkam.team.models import User

router = Router(tags=["contacts"])
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ContactOut(Schema):
    id: int
    account_id: Id
    name: str
    title: str
    department: str
    function: str
    reports_to_id: int | None
    phone: str
    email: str
    wechat: str
    influence_type: str
    influence_level: int
    participation: int
    support: int
    stage_needs: bool
    stage_options: bool
    stage_choice: bool
    stage_after_sale: bool
    motives: str
    need_1: str
    need_2: str
    need_3: str
    preferred_channel: str
    contact_every_days: int | None
    deepening_plan: str
    is_active: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class ContactPatch(InputSchema):
    """Only the fields sent are changed."""

    account_id: Id = 0
    name: str = ""
    title: str = ""
    department: str = ""
    function: TheirFunction | Literal[""] = ""
    reports_to_id: Id | None = None
    phone: str = ""
    email: str = ""
    wechat: str = ""
    influence_type: InfluenceType | Literal[""] = ""
    influence_level: int = 3
    participation: int = 3
    support: Support = Support.NEUTRAL
    stage_needs: bool = False
    stage_options: bool = False
    stage_choice: bool = False
    stage_after_sale: bool = False
    motives: str = ""
    need_1: str = ""
    need_2: str = ""
    need_3: str = ""
    preferred_channel: Channel | Literal[""] = ""
    contact_every_days: int | None = None
    deepening_plan: str = ""
    is_active: bool = True


class ContactIn(ContactPatch):
    account_id: Id
    name: str


class ContactFilters(Schema):
    account_id: Id | None = None
    q: str = ""
    is_active: bool | None = None
    updated_since: DateTimeIn | None = None
    ordering: Literal[
        "name",
        "-name",
        "id",
        "-id",
        "updated_at",
        "-updated_at",
        "influence_level",
        "-influence_level",
    ] = "name"


def visible_contacts(user: User) -> QuerySet[Contact]:
    return of_visible_accounts(Contact.objects.all(), user)


@router.get("/contacts", response={200: list[ContactOut], 401: ErrorOut, 422: ErrorOut})
@paginate(Pages, page_size=LIST_PAGE_SIZE, max_page_size=LIST_MAX_PAGE_SIZE)
def list_contacts(request: HttpRequest, filters: Query[ContactFilters]) -> QuerySet[Contact]:
    """Contacts at the accounts you may see."""
    contacts = visible_contacts(user_of(request))
    if filters.account_id is not None:
        contacts = contacts.filter(account_id=filters.account_id)
    if filters.q.strip():
        q = filters.q.strip()
        contacts = contacts.filter(
            Q(name__icontains=q) | Q(title__icontains=q) | Q(department__icontains=q)
        )
    if filters.is_active is not None:
        contacts = contacts.filter(is_active=filters.is_active)
    if filters.updated_since is not None:
        contacts = contacts.filter(updated_at__gte=filters.updated_since)
    return contacts.order_by(filters.ordering, "name", "pk")


@router.get("/contacts/{int:contact_id}", response={200: ContactOut, **READ})
def get_contact(request: HttpRequest, contact_id: int) -> Contact:
    return visible_or_404(visible_contacts(user_of(request)), contact_id)


@router.post("/contacts", response={201: ContactOut, **WRITE})
def create_contact(request: HttpRequest, payload: ContactIn) -> Status:
    data = payload.model_dump(exclude_unset=True)
    return Status(201, services.contact_create(user=user_of(request), data=data))


@router.patch("/contacts/{int:contact_id}", response={200: ContactOut, **WRITE})
def update_contact(request: HttpRequest, contact_id: int, payload: ContactPatch) -> Contact:
    user = user_of(request)
    contact = writable_or_404(Contact, contact_id, user=user, account_field="account_id")
    data = payload.model_dump(exclude_unset=True)
    return services.contact_update(user=user, contact=contact, data=data)


@router.delete("/contacts/{int:contact_id}", response={204: None, **WRITE})
def delete_contact(request: HttpRequest, contact_id: int) -> Status:
    user = user_of(request)
    contact = writable_or_404(Contact, contact_id, user=user, account_field="account_id")
    services.contact_delete(user=user, contact=contact)
    return Status(204, None)
