"""Service cases: list (filters by account, status, kind, severity, breach), open, read,
edit, move along the case's states, resolve.

Every route goes through openkam.service's selectors and services, so the rules (deadlines
from the SLA of the account's tier and the severity, a complaint resolved only with its root
cause and corrective action) are the pages' own. A case whose account the user does not see is
a 404; a read-only role (analyst, viewer) is refused writes with a 403. An account named by
`account_id` in the body that the user does not see is a 422 on that field.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from openkam.api.common import (
    LIST_MAX_PAGE_SIZE,
    LIST_PAGE_SIZE,
    DateTimeIn,
    Id,
    InputSchema,
    Pages,
    in_api_names,
    inline_enum,
    user_of,
)
from openkam.api.errors import ErrorOut
from openkam.api.permissions import require_writable
from openkam.ledger.models import Product
from openkam.relationships.models import Contact
from openkam.service import services
from openkam.service.models import CaseKind, CaseStatus, Channel, ServiceCase, Severity
from openkam.service.selectors import booked_cost, case_for, case_list, with_booking
from openkam.team.models import User

router = Router(tags=["service"])
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PAGES = {"page_size": LIST_PAGE_SIZE, "max_page_size": LIST_MAX_PAGE_SIZE}
Text = Annotated[str, Field(max_length=5000)]
KindIn = Annotated[CaseKind, inline_enum(CaseKind)]
SeverityIn = Annotated[Severity, inline_enum(Severity)]
ChannelIn = Annotated[Channel, inline_enum(Channel)]
StatusIn = Annotated[CaseStatus, inline_enum(CaseStatus)]


class CaseOut(Schema):
    id: int
    account_id: int
    contact_id: int | None
    kind: str
    severity: str
    channel: str
    title: str
    description: str
    product_id: int | None
    family: str
    owner_id: int | None
    status: str
    opened_at: dt.datetime
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    response_due: dt.datetime = Field(description="From the SLA of the tier and severity.")
    resolution_due: dt.datetime
    response_breached: bool = Field(description="First response later than due (or none yet).")
    resolution_breached: bool
    breached: bool
    containment: str
    root_cause: str
    corrective_action: str
    prevention: str
    cost: Decimal = Field(description="What handling the case cost, in the company's currency.")
    cost_booked_year: int | None = Field(
        description="The year of the cost to serve the cost is booked to (None: not booked)."
    )
    cost_booked_month: int | None = Field(
        description="The month (1-12) it is booked to: the month the case was resolved."
    )

    @staticmethod
    def resolve_cost_booked_year(case: ServiceCase) -> int | None:
        return getattr(case, "booked_year", None)

    @staticmethod
    def resolve_cost_booked_month(case: ServiceCase) -> int | None:
        return getattr(case, "booked_month", None)


NonNegativeMoney = Annotated[Decimal, Field(ge=0, lt=10**16, decimal_places=2)]


class CaseFields(InputSchema):
    kind: KindIn | None = None
    severity: SeverityIn | None = None
    channel: ChannelIn | None = None
    title: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Text | None = None
    contact_id: Id | None = None
    product_id: Id | None = None
    family: Annotated[str, Field(max_length=100)] | None = None
    owner_id: Id | None = None
    opened_at: DateTimeIn | None = None
    first_response_at: DateTimeIn | None = None
    containment: Text | None = None
    root_cause: Text | None = None
    corrective_action: Text | None = None
    prevention: Text | None = None
    cost: NonNegativeMoney | None = None


class CaseIn(CaseFields):
    account_id: Id
    kind: KindIn
    title: Annotated[str, Field(min_length=1, max_length=200)]


class ResolveIn(InputSchema):
    root_cause: Text = ""
    corrective_action: Text = ""
    resolved_at: DateTimeIn | None = None
    cost: NonNegativeMoney | None = None


class MoveIn(InputSchema):
    status: StatusIn


class CaseFilters(Schema):
    account_id: Id | None = None
    status: (
        Annotated[str, Field(pattern="^(open|new|in_progress|waiting|resolved|closed|reopened)$")]
        | None
    ) = None
    kind: KindIn | None = None
    severity: SeverityIn | None = None
    breached: bool | None = None


@contextmanager
def api_names() -> Iterator[None]:
    """A service's field errors under the API's names (`contact_id`, `owner_id`)."""
    try:
        yield
    except DjangoValidationError as exc:
        raise in_api_names(ServiceCase(), exc) from exc


def _fields(payload: CaseFields, account_id: int) -> dict[str, Any]:
    """The service's fields from the body: contact, product and owner as rows."""
    fields = payload.model_dump(exclude_unset=True, exclude={"account_id"})
    if "contact_id" in fields:
        fields["contact"] = _row(
            Contact.objects.filter(account_id=account_id), fields.pop("contact_id"), "contact_id"
        )
    if "product_id" in fields:
        fields["product"] = _row(Product.objects.all(), fields.pop("product_id"), "product_id")
    if "owner_id" in fields:
        fields["owner"] = _row(
            User.objects.filter(is_active=True), fields.pop("owner_id"), "owner_id"
        )
    return {
        name: "" if value is None and name in _TEXTS else value for name, value in fields.items()
    }


_TEXTS = {"description", "family", "containment", "root_cause", "corrective_action", "prevention"}


def _row(rows: QuerySet[Any], pk: int | None, field: str) -> Any:
    if pk is None:
        return None
    found = rows.filter(pk=pk).first()
    if found is None:
        raise DjangoValidationError({field: _("No row with this ID.")})
    return found


@router.get(
    "/service-cases",
    response={200: list[CaseOut], 401: ErrorOut, 422: ErrorOut},
    summary="List service cases",
)
@paginate(Pages, **PAGES)
def list_cases(request: HttpRequest, filters: Query[CaseFilters]) -> QuerySet[ServiceCase]:
    """Cases of the accounts you may see, the newest first."""
    rows = case_list(
        user_of(request),
        status=filters.status or "",
        kind=filters.kind or "",
        severity=filters.severity or "",
        breached=filters.breached,
    )
    if filters.account_id is not None:
        rows = rows.filter(account_id=filters.account_id)
    return with_booking(rows)


def _read(user: User, case_id: int) -> ServiceCase:
    """The case as the user may read it, with where its cost is booked."""
    case = case_for(user, case_id)
    row = booked_cost(case)
    case.booked_year = row.year if row is not None else None  # type: ignore[attr-defined]
    case.booked_month = row.month if row is not None else None  # type: ignore[attr-defined]
    return case


@router.post("/service-cases", response={201: CaseOut, **WRITE}, summary="Open a case")
def create_case(request: HttpRequest, payload: CaseIn) -> Status:
    """Its deadlines follow from the SLA of the account's tier and the case's severity."""
    user = user_of(request)
    require_writable(user, payload.account_id, field="account_id")
    with api_names():
        case = services.case_open(
            user=user, account_id=payload.account_id, **_fields(payload, payload.account_id)
        )
    return Status(201, _read(user, case.pk))


@router.get("/service-cases/{int:case_id}", response={200: CaseOut, **READ}, summary="Read a case")
def get_case(request: HttpRequest, case_id: int) -> ServiceCase:
    return _read(user_of(request), case_id)


@router.patch(
    "/service-cases/{int:case_id}", response={200: CaseOut, **WRITE}, summary="Edit a case"
)
def update_case(request: HttpRequest, case_id: int, payload: CaseFields) -> ServiceCase:
    user = user_of(request)
    case = case_for(user, case_id)
    with api_names():
        services.case_update(user=user, case_id=case.pk, **_fields(payload, case.account_id))
    return _read(user, case_id)


@router.post(
    "/service-cases/{int:case_id}/move",
    response={200: CaseOut, **WRITE},
    summary="Move a case (in progress, waiting, closed, reopened)",
)
def move_case(request: HttpRequest, case_id: int, payload: MoveIn) -> ServiceCase:
    user = user_of(request)
    services.case_move(user=user, case_id=case_id, status=payload.status)
    return _read(user, case_id)


@router.post(
    "/service-cases/{int:case_id}/resolve",
    response={200: CaseOut, **WRITE},
    summary="Resolve a case",
)
def resolve_case(request: HttpRequest, case_id: int, payload: ResolveIn) -> ServiceCase:
    """A complaint or a quality claim needs its root cause and corrective action."""
    user = user_of(request)
    services.case_resolve(user=user, case_id=case_id, **payload.model_dump())
    return _read(user, case_id)
