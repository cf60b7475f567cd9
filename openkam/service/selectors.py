"""Reads about service cases. A case is visible exactly when its account is
(`accounts_visible_to`); `with_breach` computes in the database whether it missed its
first-response or resolution deadline, as of now for what is still pending."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, F, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.selectors import accounts_visible_to, user_writes
from openkam.common.errors import NotFound, PermissionDenied
from openkam.ledger.models import CostToServe
from openkam.service.models import OPEN_STATUSES, ServiceCase
from openkam.team.models import User


def response_breached(now: dt.datetime) -> Q:
    return Q(first_response_at__gt=F("response_due")) | Q(
        first_response_at__isnull=True, response_due__lt=now
    )


def resolution_breached(now: dt.datetime) -> Q:
    return Q(resolved_at__gt=F("resolution_due")) | Q(
        resolved_at__isnull=True, resolution_due__lt=now
    )


def with_breach(
    cases: QuerySet[ServiceCase], *, now: dt.datetime | None = None
) -> QuerySet[ServiceCase]:
    """Annotate `response_breached`, `resolution_breached` and `breached` (either)."""
    now = now or timezone.now()
    response, resolution = response_breached(now), resolution_breached(now)
    flag = BooleanField()
    return cases.annotate(
        response_breached=Case(
            When(response, then=Value(True)), default=Value(False), output_field=flag
        ),
        resolution_breached=Case(
            When(resolution, then=Value(True)), default=Value(False), output_field=flag
        ),
        breached=Case(
            When(response | resolution, then=Value(True)), default=Value(False), output_field=flag
        ),
    )


def cases_visible_to(user: User) -> QuerySet[ServiceCase]:
    return ServiceCase.objects.filter(account__in=accounts_visible_to(user))


def case_list(
    user: User,
    *,
    status: str = "",
    kind: str = "",
    severity: str = "",
    breached: bool | None = None,
    search: str = "",
    order: tuple[str, ...] = ("-opened_at", "-pk"),
    now: dt.datetime | None = None,
) -> QuerySet[ServiceCase]:
    rows = with_breach(cases_visible_to(user), now=now).select_related("account", "owner")
    if status == "open":
        rows = rows.filter(status__in=OPEN_STATUSES)
    elif status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if severity:
        rows = rows.filter(severity=severity)
    if breached is not None:
        rows = rows.filter(breached=breached)  # type: ignore[misc]
    if search:
        rows = rows.filter(Q(account__legal_name__icontains=search) | Q(title__icontains=search))
    return rows.order_by(*order)


def case_for(user: User, pk: int) -> ServiceCase:
    """The case as `user` may read it, or NotFound (absent and invisible read alike)."""
    found = (
        with_breach(cases_visible_to(user))
        .select_related("account", "account__team", "owner", "contact", "product")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFound(_("No service case with this ID."))
    return found


def writable_case_for(user: User, pk: int) -> ServiceCase:
    case = case_for(user, pk)
    if not user_writes(user):
        raise PermissionDenied(_("You may not change this service case."))
    return case


# The cost-to-serve rows of booked case costs: this source, the case's ID as external ID.
COST_SOURCE = "service_case"


def booked_cost(case: ServiceCase) -> CostToServe | None:
    """The account's cost-to-serve row that holds the case's cost, if it was booked."""
    return CostToServe.objects.filter(source=COST_SOURCE, external_id=str(case.pk)).first()
