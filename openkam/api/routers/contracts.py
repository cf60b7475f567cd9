"""Contracts: the register with its status read from the dates, a contract with its items,
its execution against the ledger, its amendments; create and edit drafts, sign, amend, renew,
terminate, delete drafts.

Every route goes through openkam.contracts' selectors and services, so the rules (a draft is
edited, a signed contract amended with an executive's or the team director's approval) are the
pages' own. A contract whose account the user does not see is a 404; a read-only role (analyst,
viewer) is refused writes with a 403. An account named by `account_id` in the body follows the
API's body rule: one the user does not see is a 422 on that field, one they may not change a
403. Files are uploaded and downloaded on the contract page only.
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from openkam.api.common import (
    LIST_MAX_PAGE_SIZE,
    LIST_PAGE_SIZE,
    Id,
    InputSchema,
    Money,
    Pages,
    Quantity,
    in_api_names,
    inline_enum,
    user_of,
)
from openkam.api.errors import ErrorOut
from openkam.api.permissions import require_writable
from openkam.contracts import services
from openkam.contracts.execution import DeliveryMonth, Execution
from openkam.contracts.models import (
    MAX_NOTICE_DAYS,
    Amendment,
    CommitmentPeriod,
    Contract,
    ContractKind,
    ContractStatus,
)
from openkam.contracts.selectors import (
    contract_for,
    contracts_visible_to,
    deliveries_for,
    execution_for,
    with_status,
    writable_contract_for,
)
from openkam.ledger.models import Product
from openkam.team.models import User

router = Router(tags=["contracts"])
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PAGES = {"page_size": LIST_PAGE_SIZE, "max_page_size": LIST_MAX_PAGE_SIZE}
Days = Annotated[int, Field(ge=0, le=MAX_NOTICE_DAYS)]


# --- Output ------------------------------------------------------------------------------


class ContractOut(Schema):
    id: int
    account_id: int
    covers_group: bool = Field(description="Purchases of the companies below it count too.")
    kind: str
    number: str
    title: str
    state: str = Field(description="draft, signed or terminated: what was done by hand.")
    status: str = Field(description="draft, active, expiring, expired, terminated, renewed.")
    signed_on: dt.date | None
    starts_on: dt.date
    ends_on: dt.date
    notice_days: int
    notice_by: dt.date = Field(description="The notice deadline: the end less the notice.")
    auto_renew: bool
    currency: str
    commitment_period: str = Field(description="What the contracted volumes are per.")
    committed_value: Decimal | None
    delivery_terms: str
    price_terms: str
    payment_terms: str
    payment_days: int | None
    quality_terms: str
    breach_liability: str
    dispute_resolution: str
    owner_id: int | None
    renews_id: int | None
    terminated_on: dt.date | None
    termination_reason: str
    created_at: dt.datetime
    updated_at: dt.datetime


class ItemOut(Schema):
    id: int
    family: str
    product_id: int | None
    specification: str
    quality_terms: str
    unit: str
    unit_price: Decimal | None
    quantity: Decimal | None = Field(description="Contracted volume per period.")
    amount: Decimal | None = Field(description="Contracted value per period.")


class ContractDetailOut(ContractOut):
    items: list[ItemOut]


class AmendmentOut(Schema):
    id: int
    contract_id: int
    sequence: int
    summary: str
    reason: str
    approved_by_id: int
    effective_on: dt.date
    changes: dict[str, Any] = Field(description="Each changed field: [before, after].")
    recorded_by_id: int | None
    recorded_at: dt.datetime


class MeasureOut(Schema):
    contracted: Decimal | None
    due: Decimal | None = Field(description="Contracted, pro rata to the elapsed share.")
    actual: Decimal
    gap: Decimal | None = Field(description="actual - due: negative is a shortfall.")


class ItemExecutionOut(Schema):
    item_id: int
    family: str
    product_id: int | None
    value: MeasureOut
    volume: MeasureOut
    unit_price: Decimal | None
    price_paid: Decimal | None


class DeliveryOut(Schema):
    month: dt.date
    dated: int = Field(description="Order lines with a promised and a delivered date.")
    on_time: int = Field(description="Of those, delivered on or before the promise.")
    counted: int = Field(description="Order lines with a delivered quantity.")
    accurate: int = Field(description="Of those, delivered exactly as ordered.")


class ExecutionOut(Schema):
    period_start: dt.date | None
    period_end: dt.date | None
    elapsed_share: Decimal
    total: MeasureOut
    items: list[ItemExecutionOut]
    hidden_members: int = Field(description="Covered companies you may not see, left out.")
    deliveries: list[DeliveryOut] = Field(description="Per month of the period.")


# --- Input -------------------------------------------------------------------------------


class ItemIn(InputSchema):
    family: str = Field("", max_length=100, description="A product family, or")
    product_id: Id | None = Field(None, description="one product.")
    specification: str = ""
    quality_terms: str = ""
    unit: str = Field("", max_length=20)
    unit_price: Money | None = None
    quantity: Quantity | None = None
    amount: Money | None = None


class ContractFields(InputSchema):
    kind: Annotated[ContractKind, inline_enum(ContractKind)] | None = None
    number: str | None = Field(None, max_length=60)
    title: str | None = Field(None, max_length=200)
    covers_group: bool | None = None
    signed_on: dt.date | None = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    notice_days: Days | None = None
    auto_renew: bool | None = None
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    commitment_period: Annotated[CommitmentPeriod, inline_enum(CommitmentPeriod)] | None = None
    committed_value: Money | None = None
    delivery_terms: str | None = None
    price_terms: str | None = None
    payment_terms: str | None = None
    payment_days: Days | None = None
    quality_terms: str | None = None
    breach_liability: str | None = None
    dispute_resolution: str | None = None
    owner_id: Id | None = None
    items: list[ItemIn] | None = Field(None, description="Replace the items.", max_length=50)


class ContractIn(ContractFields):
    account_id: Id
    kind: Annotated[ContractKind, inline_enum(ContractKind)]
    number: str = Field(max_length=60)
    title: str = Field(max_length=200)
    starts_on: dt.date
    ends_on: dt.date


class AmendmentIn(ContractFields):
    summary: str = Field(max_length=300, description="What changes.")
    reason: str = Field(description="Why.")
    approved_by_id: Id = Field(description="An executive or the director of the team.")
    effective_on: dt.date


class SignIn(InputSchema):
    signed_on: dt.date | None = Field(None, description="Today when left out.")


class TerminateIn(InputSchema):
    terminated_on: dt.date
    reason: str


class RenewIn(InputSchema):
    number: str = Field(max_length=60, description="The new contract's number.")


class ContractFilters(Schema):
    account_id: Id | None = None
    status: Annotated[ContractStatus, inline_enum(ContractStatus)] | None = None
    ending_before: dt.date | None = Field(None, description="Ends on or before this day.")


# --- Helpers -----------------------------------------------------------------------------


@contextmanager
def api_names() -> Iterator[None]:
    """A service's field errors under the API's names (`owner_id`, `approved_by_id`)."""
    try:
        yield
    except DjangoValidationError as exc:
        raise in_api_names(Amendment(), in_api_names(Contract(), exc)) from exc


def _split(payload: ContractFields) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
    """The service's fields (owner and products as rows) and items from the body."""
    drop = {"items", "account_id", "summary", "reason", "approved_by_id", "effective_on"}
    fields = payload.model_dump(exclude_unset=True, exclude=drop)
    if "owner_id" in fields:
        fields["owner"] = _row(User, fields.pop("owner_id"), "owner_id", active=True)
    items = None
    if payload.items is not None:
        items = []
        for index, item in enumerate(payload.items):
            data = item.model_dump()
            data["product"] = _row(Product, data.pop("product_id"), f"items.{index}.product_id")
            items.append(data)
    return fields, items


def _row(model: Any, pk: int | None, field: str, *, active: bool = False) -> Any:
    if pk is None:
        return None
    rows = model.objects.filter(pk=pk)
    found = (rows.filter(is_active=True) if active else rows).first()
    if found is None:
        raise DjangoValidationError({field: _("No row with this ID.")})
    return found


def _detail(user: User, pk: int) -> Contract:
    return contract_for(user, pk)


def _measure(measure: Any) -> MeasureOut:
    return MeasureOut(
        contracted=measure.contracted, due=measure.due, actual=measure.actual, gap=measure.gap
    )


def _execution_out(run: Execution, deliveries: list[DeliveryMonth]) -> ExecutionOut:
    items = [
        ItemExecutionOut(
            item_id=line.item.pk,
            family=line.item.family,
            product_id=line.item.product_id,
            value=_measure(line.value),
            volume=_measure(line.volume),
            unit_price=line.item.unit_price,
            price_paid=line.price_paid,
        )
        for line in run.items
    ]
    return ExecutionOut(
        period_start=run.period.starts_on if run.period else None,
        period_end=run.period.ends_on if run.period else None,
        elapsed_share=run.share,
        total=_measure(run.total),
        items=items,
        hidden_members=run.hidden_members,
        deliveries=[
            DeliveryOut(
                month=row.month,
                dated=row.dated,
                on_time=row.on_time,
                counted=row.counted,
                accurate=row.accurate,
            )
            for row in deliveries
        ],
    )


# --- Contracts ---------------------------------------------------------------------------


@router.get(
    "/contracts",
    response={200: list[ContractOut], 401: ErrorOut, 422: ErrorOut},
    summary="List contracts",
)
@paginate(Pages, **PAGES)
def list_contracts(request: HttpRequest, filters: Query[ContractFilters]) -> QuerySet[Contract]:
    """Contracts of the accounts you may see, the soonest notice deadline first."""
    rows = with_status(contracts_visible_to(user_of(request)), today=timezone.localdate())
    if filters.account_id is not None:
        rows = rows.filter(account_id=filters.account_id)
    if filters.status is not None:
        rows = rows.filter(status=filters.status)  # type: ignore[misc]
    if filters.ending_before is not None:
        rows = rows.filter(ends_on__lte=filters.ending_before)
    return rows.order_by("notice_by", "pk")


@router.post("/contracts", response={201: ContractDetailOut, **WRITE}, summary="Record a draft")
def create_contract(request: HttpRequest, payload: ContractIn) -> Status:
    """A draft contract with its items; it is signed with `/sign`."""
    user = user_of(request)
    require_writable(user, payload.account_id, field="account_id")
    with api_names():
        fields, items = _split(payload)
        contract = services.contract_create(
            user=user, account_id=payload.account_id, fields=fields, items=items or []
        )
    return Status(201, _detail(user, contract.pk))


@router.get(
    "/contracts/{int:contract_id}",
    response={200: ContractDetailOut, **READ},
    summary="Read a contract",
)
def get_contract(request: HttpRequest, contract_id: int) -> Contract:
    return _detail(user_of(request), contract_id)


@router.patch(
    "/contracts/{int:contract_id}",
    response={200: ContractDetailOut, **WRITE},
    summary="Edit a draft",
)
def update_contract(request: HttpRequest, contract_id: int, payload: ContractFields) -> Contract:
    """Change a draft's fields (and replace its items when `items` is sent); a signed
    contract is amended instead."""
    user = user_of(request)
    contract = writable_contract_for(user, contract_id)
    with api_names():
        fields, items = _split(payload)
        services.contract_update(user=user, contract=contract, fields=fields, items=items)
    return _detail(user, contract_id)


@router.delete(
    "/contracts/{int:contract_id}", response={204: None, **WRITE}, summary="Delete a draft"
)
def delete_contract(request: HttpRequest, contract_id: int) -> Status:
    """Only a draft: a signed contract is terminated, never deleted."""
    user = user_of(request)
    services.contract_delete(user=user, contract=writable_contract_for(user, contract_id))
    return Status(204, None)


@router.post(
    "/contracts/{int:contract_id}/sign",
    response={200: ContractDetailOut, **WRITE},
    summary="Sign a draft",
)
def sign_contract(request: HttpRequest, contract_id: int, payload: SignIn) -> Contract:
    user = user_of(request)
    with api_names():
        services.contract_sign(
            user=user,
            contract=writable_contract_for(user, contract_id),
            signed_on=payload.signed_on,
        )
    return _detail(user, contract_id)


@router.post(
    "/contracts/{int:contract_id}/terminate",
    response={200: ContractDetailOut, **WRITE},
    summary="Terminate a signed contract",
)
def terminate_contract(request: HttpRequest, contract_id: int, payload: TerminateIn) -> Contract:
    user = user_of(request)
    with api_names():
        services.contract_terminate(
            user=user, contract=writable_contract_for(user, contract_id), **payload.model_dump()
        )
    return _detail(user, contract_id)


@router.post(
    "/contracts/{int:contract_id}/renew",
    response={201: ContractDetailOut, **WRITE},
    summary="Renew a signed contract",
)
def renew_contract(request: HttpRequest, contract_id: int, payload: RenewIn) -> Status:
    """The next term as a draft with the same terms; once signed, this one reads renewed."""
    user = user_of(request)
    with api_names():
        successor = services.contract_renew(
            user=user, contract=writable_contract_for(user, contract_id), number=payload.number
        )
    return Status(201, _detail(user, successor.pk))


@router.get(
    "/contracts/{int:contract_id}/execution",
    response={200: ExecutionOut, **READ},
    summary="A contract's execution against the ledger",
)
def contract_execution(request: HttpRequest, contract_id: int) -> ExecutionOut:
    """Contracted against bought in the current commitment period, pro rata to its elapsed
    share (by calendar month), per item with the price paid; on-time and accurate delivery
    per month of the period."""
    user = user_of(request)
    today = timezone.localdate()
    run = execution_for(contract_for(user, contract_id), user=user, as_of=today)
    return _execution_out(run, deliveries_for(run, as_of=today))


# --- Amendments --------------------------------------------------------------------------


@router.get(
    "/contracts/{int:contract_id}/amendments",
    response={200: list[AmendmentOut], **READ},
    summary="List a contract's amendments",
)
@paginate(Pages, **PAGES)
def list_amendments(request: HttpRequest, contract_id: int) -> QuerySet[Amendment]:
    return contract_for(user_of(request), contract_id).amendments.order_by("sequence")


@router.post(
    "/contracts/{int:contract_id}/amendments",
    response={201: AmendmentOut, **WRITE},
    summary="Amend a signed contract",
)
def amend_contract(request: HttpRequest, contract_id: int, payload: AmendmentIn) -> Status:
    """The changed fields (and items, when sent), what and why, the approver (an executive or
    the director of the account's team) and the effective date; the version before is kept."""
    user = user_of(request)
    contract = writable_contract_for(user, contract_id)
    with api_names():
        fields, items = _split(payload)
        approver = _row(User, payload.approved_by_id, "approved_by_id", active=True)
        amendment = services.contract_amend(
            user=user,
            contract=contract,
            fields=fields,
            items=items,
            summary=payload.summary,
            reason=payload.reason,
            approved_by=approver,
            effective_on=payload.effective_on,
        )
    return Status(201, amendment)
