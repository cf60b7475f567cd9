"""Pieces every router uses: strict input schemas, lookups that answer 404/403 the same way
everywhere, and model validation turned into field errors. They raise domain errors
(openkam.common.errors); openkam.api.errors answers them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import Enum
from typing import Annotated, Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from pydantic import AfterValidator, ConfigDict, WithJsonSchema
from pydantic_core import PydanticCustomError

from openkam.accounts.selectors import accounts_visible_to
from openkam.api.errors import Loc, django_errors
from openkam.api.permissions import require_writable
from openkam.common.errors import NotFound
from openkam.team.models import User

M = TypeVar("M", bound=models.Model)

LIST_PAGE_SIZE = 50
LIST_MAX_PAGE_SIZE = 500
BULK_MAX_ITEMS = 1000

# Row IDs are 64-bit in both databases; a larger number in a filter or a body must be the
# field's error, not the driver's overflow (a 500 schemathesis found, issue 17).
ID_MAX = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
# Decimal inputs bounded by the columns they end in (money: 18 digits, 2 places; quantities:
# 14 digits, 3 places), so derived amounts (quantity × unit price) stay within Decimal's
# precision: a quantity of 1e30 made quantize() raise (a 500, issue 17).
Money = Annotated[Decimal, Field(gt=-(10**16), lt=10**16)]
Quantity = Annotated[Decimal, Field(gt=-(10**11), lt=10**11)]
# The last page anyone can ask for: its offset must stay a 64-bit number at any page size.
PAGE_MAX = 10**9


class Pages(PageNumberPagination):
    """Page-number pagination whose page number is bounded (a huge one overflowed the
    database's OFFSET: a 500)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=PAGE_MAX)
        page_size: int | None = Field(None, ge=1)


def _storable(value: dt.datetime) -> dt.datetime:
    """A moment the database can store and the local calendar can show: a naive one is read
    in the local time zone, as the pages read it, and year-1 or year-9999 moments that leave
    the calendar once moved to UTC or local time are the field's error, not a 500."""
    try:
        aware = timezone.make_aware(value) if timezone.is_naive(value) else value
        aware.astimezone(dt.UTC)
        timezone.localtime(aware)
    except (OverflowError, ValueError) as exc:
        raise PydanticCustomError("datetime_range", "datetime out of range") from exc
    return aware


# Every date-time the API accepts, in bodies and filters.
DateTimeIn = Annotated[dt.datetime, AfterValidator(_storable)]


def inline_enum(choices: type[Enum]) -> WithJsonSchema:
    """The enum written into the field's schema instead of a shared component: components
    are named after the class, and Order.Status and Interaction's Status are both "Status"."""
    values = [choice.value for choice in choices]
    kind = "integer" if all(isinstance(value, int) for value in values) else "string"
    return WithJsonSchema({"type": kind, "enum": values})


class InputSchema(Schema):
    """Unknown fields are refused, not dropped: a misspelt field must not be silently lost."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def of_visible_accounts(rows: models.QuerySet[M], user: User) -> models.QuerySet[M]:
    """The rows whose account the user sees; no subquery for those who see every account
    (a semi-join over a large ledger costs more than it filters)."""
    if user.is_active and user.sees_all_accounts:
        return rows
    return rows.filter(account__in=accounts_visible_to(user))


def visible_or_404(queryset: models.QuerySet[M], pk: int) -> M:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise NotFound
    return found


def writable_or_404(model: type[M], pk: int, *, user: User, account_field: str) -> M:
    """For unsafe methods: NotFound (404) when the row does not exist or its account is not
    one the user sees, so a write tells no more than a read (issue 17); a refusal (403) when
    they see it but their role may not change it."""
    found = model._default_manager.filter(pk=pk).first()
    if found is None:
        raise NotFound
    account_id = found.pk if account_field == "pk" else getattr(found, account_field)
    require_writable(user, account_id)
    return found


# The former name, kept while other routers move to the one above (it answers 404 too now).
writable_or_403 = writable_or_404


def apply(instance: models.Model, data: dict[str, Any]) -> bool:
    """Set the values on the instance; True when any differs from what it held."""
    changed = False
    for name, value in data.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def model_errors(
    instance: models.Model, *, prefix: Loc = (), exclude: list[str] | None = None
) -> list[dict[str, Any]]:
    """full_clean()'s errors as field errors; a foreign key is named as the API names it
    (`parent_id`, not `parent`). Uniqueness is checked by the callers in bulk."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except DjangoValidationError as exc:
        return django_errors(in_api_names(instance, exc), prefix)
    return []


def validate(instance: models.Model, *, exclude: list[str] | None = None) -> None:
    """full_clean() (uniqueness aside), its errors named as the API names the fields."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except DjangoValidationError as exc:
        raise in_api_names(instance, exc) from exc


def in_api_names(instance: models.Model, exc: DjangoValidationError) -> DjangoValidationError:
    """A model's or a service's field errors under the names the API gives the fields."""
    if not hasattr(exc, "error_dict"):
        return exc
    return DjangoValidationError(
        {_api_name(instance, name): errors for name, errors in exc.error_dict.items()}
    )


def _api_name(instance: models.Model, name: str) -> str:
    try:
        field = instance._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return str(getattr(field, "attname", name)) if field.many_to_one else name
