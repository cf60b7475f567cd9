"""Reads about service cases. A case is visible exactly when its account is
(`accounts_visible_to`); `with_breach` computes in the database whether it missed its
first-response or resolution deadline, as of now for what is still pending."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.selectors import accounts_visible_to, user_writes
from openkam.common.errors import NotFound, PermissionDenied
from openkam.ledger.models import CostToServe
from openkam.service.models import OPEN_STATUSES, ServiceCase, Training
from openkam.surveys.models import Response
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


def with_booking(cases: QuerySet[ServiceCase]) -> QuerySet[ServiceCase]:
    """Annotate `booked_year` and `booked_month`: where the case's cost sits in the account's
    cost to serve (None when it is not booked)."""
    row = CostToServe.objects.filter(
        source=COST_SOURCE, external_id=Cast(OuterRef("pk"), output_field=CharField())
    )
    return cases.annotate(
        booked_year=Subquery(row.values("year")[:1]),
        booked_month=Subquery(row.values("month")[:1]),
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


def trainings_visible_to(user: User) -> QuerySet[Training]:
    return Training.objects.filter(account__in=accounts_visible_to(user))


def training_for(user: User, pk: int) -> Training:
    found = trainings_visible_to(user).select_related("account").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("No training with this ID."))
    return found


def writable_training_for(user: User, pk: int) -> Training:
    training = training_for(user, pk)
    if not user_writes(user):
        raise PermissionDenied(_("You may not change this training."))
    return training


SATISFACTION_DAYS = 365


@dataclass(frozen=True)
class ServiceSatisfaction:
    """The account's service satisfaction over the last year: the contacts' ratings of their
    resolved cases and the service question (CSAT 1-5) of their survey answers, each answer
    counting once."""

    mean: float | None
    ratings: int
    survey_answers: int


def service_satisfaction(account_id: int, *, now: dt.datetime | None = None) -> ServiceSatisfaction:
    since = (now or timezone.now()) - dt.timedelta(days=SATISFACTION_DAYS)
    ratings = list(
        ServiceCase.objects.filter(
            account_id=account_id, rating__isnull=False, rated_at__gte=since
        ).values_list("rating", flat=True)
    )
    answers = list(
        Response.objects.filter(
            account_id=account_id, csat_service__isnull=False, answered_at__gte=since
        ).values_list("csat_service", flat=True)
    )
    scores = [int(score) for score in (*ratings, *answers) if score is not None]
    return ServiceSatisfaction(
        mean=sum(scores) / len(scores) if scores else None,
        ratings=len(ratings),
        survey_answers=len(answers),
    )
