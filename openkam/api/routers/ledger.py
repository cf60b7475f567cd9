"""The ledger from the ERP: orders (with their lines), invoices, payments and costs to serve.
Read with cursor pagination (the tables are large); written in bulk by external ID."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Model, Prefetch, QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import CursorPagination, paginate
from pydantic import StringConstraints

from openkam.api.common import (
    BULK_MAX_ITEMS,
    Id,
    InputSchema,
    Money,
    Quantity,
    inline_enum,
    of_visible_accounts,
    user_of,
    visible_or_404,
    writable_or_404,
)
from openkam.api.errors import ErrorOut
from openkam.api.ledger_upsert import UpsertResult, ledger_row_delete, ledger_upsert
from openkam.ledger.models import CostToServe, Invoice, Order, OrderLine, Payment
from openkam.team.models import User

router = Router(tags=["ledger"])
LEDGER_PAGE_SIZE = 100
LEDGER_MAX_PAGE_SIZE = 1000
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
BULK = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# --- Output -------------------------------------------------------------------------------


class LedgerRowOut(Schema):
    id: int
    source: str
    external_id: str
    account_id: int
    currency: str


class OrderLineOut(Schema):
    id: int
    line_no: int
    external_id: str
    product_id: int
    product_sku: str = Field(..., alias="product.sku")
    quantity: Decimal
    unit_price: Decimal
    unit_cost: Decimal
    amount: Decimal
    cost: Decimal
    promised_date: dt.date | None
    delivered_date: dt.date | None
    delivered_quantity: Decimal | None


class OrderOut(LedgerRowOut):
    order_no: str
    order_date: dt.date
    status: str
    lines: list[OrderLineOut]


class ConvertedOut(Schema):
    original_currency: str = Field(
        ..., description="The currency it was sent in, when converted; else empty."
    )
    original_amount: Decimal | None
    exchange_rate: Decimal | None = Field(
        ..., description="Company currency per unit of the original currency, as converted."
    )


class InvoiceOut(LedgerRowOut, ConvertedOut):
    order_id: int | None
    invoice_no: str
    invoice_date: dt.date
    due_date: dt.date | None = Field(
        None, description="The invoice date plus the account's payment terms if left out."
    )
    amount: Decimal


class PaymentOut(LedgerRowOut, ConvertedOut):
    invoice_id: int | None
    payment_date: dt.date
    amount: Decimal
    reference: str


class CostToServeOut(LedgerRowOut):
    year: int
    kind: str
    category: str
    amount: Decimal
    note: str


# --- Input --------------------------------------------------------------------------------


class LedgerRowIn(InputSchema):
    source: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)
    ] = Field(..., description="The system the row is from.")
    external_id: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)
    ] = Field(..., description="Its ID there.")
    account_id: Id | None = Field(None, description="The OpenKAM account ID ...")
    account_credit_code: str | None = Field(None, description="... or its credit code.")
    currency: str | None = Field(
        None, description="Three letters; the company currency if left out."
    )


class OrderLineIn(InputSchema):
    line_no: int = Field(..., ge=1)
    external_id: str = Field(
        "", max_length=80, description="<order external_id>/<line_no> if left out."
    )
    product_sku: str
    quantity: Quantity
    unit_price: Money | None = Field(
        None, description="amount ÷ quantity if left out (give one of the two)."
    )
    unit_cost: Money | None = Field(
        None, description="cost ÷ quantity if left out, else the product's standard cost."
    )
    amount: Money | None = Field(
        None, description="quantity × unit_price, rounded half up to cents, if left out."
    )
    cost: Money | None = Field(
        None, description="quantity × unit_cost, rounded half up to cents, if left out."
    )
    promised_date: dt.date | None = None
    delivered_date: dt.date | None = None
    delivered_quantity: Quantity | None = None


class OrderIn(LedgerRowIn):
    order_no: str
    order_date: dt.date
    status: Annotated[Order.Status, inline_enum(Order.Status)] = Order.Status.DELIVERED
    lines: list[OrderLineIn] = Field(
        default_factory=list,
        max_length=BULK_MAX_ITEMS,
        description="The whole order: stored lines not sent (by line_no) are deleted.",
    )


class ConvertedIn(InputSchema):
    """An invoice or a payment in another currency, stored in the company's as a file import
    stores it (ledger.currency)."""

    exchange_rate: Decimal | None = Field(
        None, description="Company currency per unit of `currency` (汇率): converts the amount."
    )
    local_amount: Money | None = Field(
        None, description="The amount in the company currency (本币金额), used as it is."
    )


class InvoiceIn(LedgerRowIn, ConvertedIn):
    order_external_id: str | None = Field(None, description="The order, in the same source.")
    invoice_no: str
    invoice_date: dt.date
    due_date: dt.date | None = Field(
        None, description="The invoice date plus the account's payment terms if left out."
    )
    amount: Money


class PaymentIn(LedgerRowIn, ConvertedIn):
    invoice_external_id: str | None = Field(None, description="The invoice, same source.")
    payment_date: dt.date
    amount: Money
    reference: str = ""


class CostToServeIn(LedgerRowIn):
    year: int
    kind: Annotated[CostToServe.Kind, inline_enum(CostToServe.Kind)]
    category: Annotated[CostToServe.Category, inline_enum(CostToServe.Category)]
    amount: Money
    note: str = ""


class OrderBulk(InputSchema):
    items: list[OrderIn] = Field(..., max_length=BULK_MAX_ITEMS)


class InvoiceBulk(InputSchema):
    items: list[InvoiceIn] = Field(..., max_length=BULK_MAX_ITEMS)


class PaymentBulk(InputSchema):
    items: list[PaymentIn] = Field(..., max_length=BULK_MAX_ITEMS)


class CostToServeBulk(InputSchema):
    items: list[CostToServeIn] = Field(..., max_length=BULK_MAX_ITEMS)


class ItemResultOut(Schema):
    index: int
    id: int | None
    source: str
    external_id: str
    result: str


class UpsertOut(Schema):
    inserted: int
    updated: int
    unchanged: int
    items: list[ItemResultOut]


class LedgerFilters(Schema):
    account_id: Id | None = None
    source: str | None = None
    external_id: str | None = None
    since: dt.date | None = Field(None, description="On or after this date.")
    until: dt.date | None = Field(None, description="On or before this date.")


# --- Endpoints ----------------------------------------------------------------------------


def _visible(model: type[Model], user: User) -> QuerySet[Any]:
    manager: Any = model._default_manager
    return of_visible_accounts(manager.all(), user)


def _filter(rows: QuerySet[Any], filters: LedgerFilters, date_field: str) -> QuerySet[Any]:
    exact = filters.model_dump(include={"account_id", "source", "external_id"}, exclude_none=True)
    rows = rows.filter(**exact)
    # Costs to serve are yearly: a date bound keeps the years it falls in.
    since = filters.since.year if filters.since and date_field == "year" else filters.since
    until = filters.until.year if filters.until and date_field == "year" else filters.until
    if since is not None:
        rows = rows.filter(**{f"{date_field}__gte": since})
    if until is not None:
        rows = rows.filter(**{f"{date_field}__lte": until})
    return rows


def _ledger_endpoints(
    *,
    model: type[Model],
    plural: str,
    kind: str,
    out: type[Schema],
    bulk: type[InputSchema],
    date_field: str,
    read: Callable[[QuerySet[Any]], QuerySet[Any]] = lambda rows: rows,
) -> None:
    """List, read, bulk upsert and delete for one ledger table."""
    name = plural.replace("-", " ")
    op = plural.replace("-", "_")

    @router.get(
        f"/{plural}",
        response={200: list[out], 401: ErrorOut, 422: ErrorOut},  # type: ignore[valid-type]
        operation_id=f"list_{op}",
        url_name=f"{plural}-list",
        summary=f"List {name}",
    )
    @paginate(
        CursorPagination,
        ordering=("id",),
        page_size=LEDGER_PAGE_SIZE,
        max_page_size=LEDGER_MAX_PAGE_SIZE,
    )
    def list_rows(request: HttpRequest, filters: Query[LedgerFilters]) -> QuerySet[Any]:
        rows = _filter(_visible(model, user_of(request)), filters, date_field)
        return read(rows)

    @router.get(
        f"/{plural}/{{int:row_id}}",
        response={200: out, **READ},
        operation_id=f"get_{kind}",
        url_name=f"{plural}-detail",
        summary=f"Read one of the {name}",
    )
    def get_row(request: HttpRequest, row_id: int) -> Any:
        return visible_or_404(read(_visible(model, user_of(request))), row_id)

    @router.post(
        f"/{plural}/bulk",
        response={200: UpsertOut, **BULK},
        operation_id=f"upsert_{op}",
        url_name=f"{plural}-bulk",
        summary=f"Insert or update {name} by external ID",
    )
    def upsert_rows(request: HttpRequest, payload: bulk) -> UpsertResult:  # type: ignore[valid-type]
        return ledger_upsert(user=user_of(request), kind=kind, items=payload.items)  # type: ignore[attr-defined]

    @router.delete(
        f"/{plural}/{{int:row_id}}",
        response={204: None, **WRITE},
        operation_id=f"delete_{kind}",
        url_name=f"{plural}-delete",
        summary=f"Delete one of the {name}",
    )
    def delete_row(request: HttpRequest, row_id: int) -> Status:
        row = writable_or_404(model, row_id, user=user_of(request), account_field="account_id")
        ledger_row_delete(row=row)
        return Status(204, None)


def _with_lines(rows: QuerySet[Any]) -> QuerySet[Any]:
    lines = OrderLine.objects.select_related("product").order_by("line_no")
    return rows.prefetch_related(Prefetch("lines", queryset=lines))


_ledger_endpoints(
    model=Order,
    plural="orders",
    kind="order",
    out=OrderOut,
    bulk=OrderBulk,
    date_field="order_date",
    read=_with_lines,
)
_ledger_endpoints(
    model=Invoice,
    plural="invoices",
    kind="invoice",
    out=InvoiceOut,
    bulk=InvoiceBulk,
    date_field="invoice_date",
)
_ledger_endpoints(
    model=Payment,
    plural="payments",
    kind="payment",
    out=PaymentOut,
    bulk=PaymentBulk,
    date_field="payment_date",
)
_ledger_endpoints(
    model=CostToServe,
    plural="costs-to-serve",
    kind="cost_to_serve",
    out=CostToServeOut,
    bulk=CostToServeBulk,
    date_field="year",
)
