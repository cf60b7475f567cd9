"""Alerts: the list (ranked by value at risk, then tier), one alert, and its work (acknowledge,
resolve, dismiss with a reason, snooze, reassign).

Every route goes through openkam.alerts' selectors and services, so the rules are the pages'
own: an alert whose account the user does not see is a 404; analysts and viewers read only
(403 on a write); only an executive or the director of the account's team reassigns.
"""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from openkam.accounts.models import Tier
from openkam.alerts import services
from openkam.alerts.models import Alert, AlertState
from openkam.alerts.rules import RULES, message_of, title_of
from openkam.alerts.selectors import alert_for, alerts_visible_to
from openkam.api.common import (
    LIST_MAX_PAGE_SIZE,
    LIST_PAGE_SIZE,
    Id,
    InputSchema,
    Pages,
    inline_enum,
    user_of,
)
from openkam.api.errors import ErrorOut
from openkam.team.models import User

router = Router(tags=["alerts"])
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
PAGES = {"page_size": LIST_PAGE_SIZE, "max_page_size": LIST_MAX_PAGE_SIZE}


class AlertOut(Schema):
    id: int
    rule: str
    title: str
    message: str
    account_id: int
    level: int
    state: str
    assignee_id: int | None
    value_at_risk: Decimal
    params: dict[str, Any]
    first_seen: dt.datetime
    last_seen: dt.datetime
    escalated_at: dt.datetime | None
    snoozed_until: dt.date | None
    acknowledged_at: dt.datetime | None
    dismissed_at: dt.datetime | None
    dismiss_reason: str
    resolved_at: dt.datetime | None
    resolution: str

    @staticmethod
    def resolve_title(obj: Alert) -> str:
        return title_of(obj.rule)

    @staticmethod
    def resolve_message(obj: Alert) -> str:
        return message_of(obj.rule, obj.params)


class AlertFilters(Schema):
    rule: str | None = Field(None, description=f"One of: {', '.join(RULES)}.")
    state: Annotated[AlertState, inline_enum(AlertState)] | None = None
    account_id: Id | None = None
    assignee_id: Id | None = None
    tier: Annotated[Tier, inline_enum(Tier)] | None = None


class AlertPatch(InputSchema):
    assignee_id: Id | None = Field(None, description="Reassign (executive or team director).")
    snoozed_until: dt.date | None = Field(None, description="Hide until this date; null wakes.")


class ResolveIn(InputSchema):
    note: str = ""


class DismissIn(InputSchema):
    reason: str


@router.get(
    "/alerts", response={200: list[AlertOut], 401: ErrorOut, 422: ErrorOut}, summary="List alerts"
)
@paginate(Pages, **PAGES)
def list_alerts(request: HttpRequest, filters: Query[AlertFilters]) -> QuerySet[Alert]:
    """Alerts of the accounts you may see, the largest value at risk first, then by tier."""
    alerts = alerts_visible_to(user_of(request))
    exact = filters.model_dump(
        include={"rule", "state", "account_id", "assignee_id"}, exclude_none=True
    )
    alerts = alerts.filter(**exact)
    if filters.tier is not None:
        alerts = alerts.filter(account__tier=filters.tier)
    return alerts


@router.get("/alerts/{int:alert_id}", response={200: AlertOut, **READ}, summary="Read an alert")
def get_alert(request: HttpRequest, alert_id: int) -> Alert:
    return alert_for(user_of(request), alert_id)


def _assignee(pk: int | None) -> User | None:
    if pk is None:
        return None
    found = User.objects.filter(pk=pk, is_active=True).first()
    if found is None:
        raise DjangoValidationError({"assignee_id": _("Choose an active user.")})
    return found


@router.patch("/alerts/{int:alert_id}", response={200: AlertOut, **WRITE}, summary="Edit an alert")
def update_alert(request: HttpRequest, alert_id: int, payload: AlertPatch) -> Alert:
    """Reassign it (`assignee_id`) or snooze it until a date (`snoozed_until`, null wakes it);
    both or neither is saved."""
    user = user_of(request)
    alert = alert_for(user, alert_id)
    changes = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        if "assignee_id" in changes:
            assignee = _assignee(changes["assignee_id"])
            alert = services.alert_assign(user=user, alert=alert, assignee=assignee)
        if "snoozed_until" in changes:
            alert = services.alert_snooze(user=user, alert=alert, until=changes["snoozed_until"])
    return alert_for(user, alert_id)


@router.post(
    "/alerts/{int:alert_id}/acknowledge",
    response={200: AlertOut, **WRITE},
    summary="Acknowledge an alert",
)
def acknowledge_alert(request: HttpRequest, alert_id: int) -> Alert:
    user = user_of(request)
    services.alert_acknowledge(user=user, alert=alert_for(user, alert_id))
    return alert_for(user, alert_id)


@router.post(
    "/alerts/{int:alert_id}/resolve", response={200: AlertOut, **WRITE}, summary="Resolve an alert"
)
def resolve_alert(request: HttpRequest, alert_id: int, payload: ResolveIn) -> Alert:
    """Closed by hand; a condition that still holds raises a new alert at the next evaluation."""
    user = user_of(request)
    services.alert_resolve(user=user, alert=alert_for(user, alert_id), note=payload.note)
    return alert_for(user, alert_id)


@router.post(
    "/alerts/{int:alert_id}/dismiss", response={200: AlertOut, **WRITE}, summary="Dismiss an alert"
)
def dismiss_alert(request: HttpRequest, alert_id: int, payload: DismissIn) -> Alert:
    """Dismissed with a reason: the rule stays silent for the account until its condition
    clears or its level rises."""
    user = user_of(request)
    services.alert_dismiss(user=user, alert=alert_for(user, alert_id), reason=payload.reason)
    return alert_for(user, alert_id)
