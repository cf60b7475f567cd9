"""Writes to service cases. The account's writers (executive, director, KAM of the account's
team) open, edit, move, resolve and close cases; analysts and viewers read. Every write
validates before it saves, inside one transaction, and raises ValidationError naming the
field; simple-history keeps every version.

Opening a case sets its deadlines from the SLA of the account's tier and the case's severity
(`sla_hours`); a change of severity moves them, counted from the opening again.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import writable_account_for
from openkam.common.errors import ValidationError
from openkam.common.models import default_currency
from openkam.ledger.models import CostToServe
from openkam.portfolio.models import TierServiceLevel
from openkam.service.models import (
    DEFAULT_SLA,
    OPEN_STATUSES,
    TRANSITIONS,
    CaseKind,
    CaseStatus,
    Channel,
    ServiceCase,
    Severity,
    SlaPolicy,
)
from openkam.service.selectors import COST_SOURCE, booked_cost, writable_case_for
from openkam.team.models import User

CASE_FIELDS = (
    "kind",
    "severity",
    "channel",
    "title",
    "description",
    "contact",
    "product",
    "family",
    "owner",
    "opened_at",
    "first_response_at",
    "containment",
    "root_cause",
    "corrective_action",
    "prevention",
    "cost",
)
# A complaint or a quality claim is resolved only with its cause and what was done about it.
NEEDS_CAUSE = (CaseKind.COMPLAINT, CaseKind.QUALITY_CLAIM)


def sla_hours(tier: str, severity: str, kind: str = "") -> tuple[int, int]:
    """(first response, resolution) hours promised to the tier for the severity: the back
    office's policy of the tier and severity; else the severity's default, a technical-support
    case answered no later than the tier's technical-support response time (the tier's service
    level, set on the company settings page)."""
    policy = SlaPolicy.objects.filter(tier=tier, severity=severity).first()
    if policy is not None:
        return policy.response_hours, policy.resolution_hours
    response, resolution = DEFAULT_SLA[severity]
    if kind == CaseKind.TECHNICAL_SUPPORT:
        response = min(response, TierServiceLevel.of(tier).support_response_hours)
    return response, resolution


def _set_deadlines(case: ServiceCase, account: Account) -> None:
    response, resolution = sla_hours(account.tier, case.severity, case.kind)
    case.response_due = case.opened_at + dt.timedelta(hours=response)
    case.resolution_due = case.opened_at + dt.timedelta(hours=resolution)


def _validate(case: ServiceCase, account: Account) -> None:
    errors: dict[str, str] = {}
    if case.kind not in CaseKind.values:
        errors["kind"] = _("Choose a kind of case.")
    if case.severity not in Severity.values:
        errors["severity"] = _("Choose a severity.")
    if case.channel not in Channel.values:
        errors["channel"] = _("Choose a channel.")
    if not case.title.strip():
        errors["title"] = _("Give the case a title.")
    if case.contact is not None and case.contact.account_id != account.pk:
        errors["contact"] = _("The contact does not work for this account.")
    if case.first_response_at is not None and case.first_response_at < case.opened_at:
        errors["first_response_at"] = _("The first response cannot come before the opening.")
    if case.opened_at > timezone.now() + dt.timedelta(minutes=5):
        errors["opened_at"] = _("A case cannot be opened in the future.")
    if case.cost is None or case.cost < 0:
        errors["cost"] = _("The cost of a case cannot be negative.")
    if case.product is not None and not case.family:
        case.family = case.product.family
    if errors:
        raise ValidationError(errors)


def _apply(case: ServiceCase, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    for name, value in fields.items():
        if name in ("contact", "product", "owner"):
            setattr(case, f"{name}_id", value.pk if value is not None else None)
            if value is not None:
                setattr(case, name, value)
        elif name == "cost":
            case.cost = Decimal(0) if value is None else value
        else:
            setattr(case, name, "" if value is None and name not in _DATES else value)


_DATES = ("opened_at", "first_response_at")


@transaction.atomic
def case_open(*, user: User, account_id: int, **fields: Any) -> ServiceCase:
    """Open a case for an account the user may change; owner defaults to the user."""
    account = writable_account_for(user, account_id)
    if fields.get("owner") is None:
        fields.pop("owner", None)
    case = ServiceCase(account=account, owner=user, opened_at=timezone.now())
    _apply(case, fields)
    if case.opened_at is None:
        case.opened_at = timezone.now()
    _validate(case, account)
    if case.first_response_at is not None:
        case.status = CaseStatus.IN_PROGRESS
    _set_deadlines(case, account)
    case._change_reason = "open"  # type: ignore[attr-defined]
    case.save()
    return case


@transaction.atomic
def case_update(*, user: User, case_id: int, **fields: Any) -> ServiceCase:
    case = writable_case_for(user, case_id)
    case = ServiceCase.objects.select_for_update().get(pk=case.pk)
    severity, opened = case.severity, case.opened_at
    _apply(case, fields)
    _validate(case, case.account)
    if case.first_response_at is not None and case.status == CaseStatus.NEW:
        case.status = CaseStatus.IN_PROGRESS
    if (case.severity, case.opened_at) != (severity, opened):
        _set_deadlines(case, case.account)
    case.save()
    case_cost_sync(case)
    return case


@transaction.atomic
def case_move(
    *, user: User, case_id: int, status: str, at: dt.datetime | None = None
) -> ServiceCase:
    """Move a case along TRANSITIONS (in progress, waiting, closed, reopened). Starting work
    on a new case counts as its first response."""
    case = writable_case_for(user, case_id)
    case = ServiceCase.objects.select_for_update().get(pk=case.pk)
    if status not in TRANSITIONS.get(case.status, ()):
        raise ValidationError(
            {"status": _("A case that is %(now)s cannot become %(to)s.") % {
                "now": case.get_status_display(),
                "to": CaseStatus(status).label if status in CaseStatus.values else status,
            }}
        )  # fmt: skip
    at = at or timezone.now()
    if case.first_response_at is None and status in (CaseStatus.IN_PROGRESS, CaseStatus.WAITING):
        case.first_response_at = max(at, case.opened_at)
    if status == CaseStatus.CLOSED:
        case.closed_at = at
    if status == CaseStatus.REOPENED:
        case.resolved_at = None
        case.closed_at = None
    case.status = status
    case.save()
    case_cost_sync(case)
    return case


@transaction.atomic
def case_resolve(
    *,
    user: User,
    case_id: int,
    root_cause: str = "",
    corrective_action: str = "",
    resolved_at: dt.datetime | None = None,
    cost: Decimal | None = None,
) -> ServiceCase:
    """Resolve an open case: a complaint or quality claim needs its root cause and corrective
    action; the resolution time cannot precede the opening or lie in the future. Its cost
    (given here, or entered before) is booked to the account's cost to serve."""
    case = writable_case_for(user, case_id)
    case = ServiceCase.objects.select_for_update().get(pk=case.pk)
    if case.status not in OPEN_STATUSES:
        raise ValidationError({"status": _("Only an open case can be resolved.")})
    now = timezone.now()
    resolved_at = resolved_at or now
    root_cause = (root_cause or case.root_cause).strip()
    corrective_action = (corrective_action or case.corrective_action).strip()
    errors: dict[str, str] = {}
    if case.kind in NEEDS_CAUSE and not root_cause:
        errors["root_cause"] = _("Name the root cause before resolving a complaint or claim.")
    if case.kind in NEEDS_CAUSE and not corrective_action:
        errors["corrective_action"] = _("Say what was done before resolving a complaint or claim.")
    if resolved_at < case.opened_at:
        errors["resolved_at"] = _("A case cannot be resolved before it was opened.")
    elif resolved_at > now + dt.timedelta(minutes=5):
        errors["resolved_at"] = _("A case cannot be resolved in the future.")
    if cost is not None and cost < 0:
        errors["cost"] = _("The cost of a case cannot be negative.")
    if errors:
        raise ValidationError(errors)
    case.root_cause, case.corrective_action = root_cause, corrective_action
    if cost is not None:
        case.cost = cost
    case.resolved_at = resolved_at
    if case.first_response_at is None:
        case.first_response_at = resolved_at
    case.status = CaseStatus.RESOLVED
    case.save()
    case_cost_sync(case)
    return case


BOOKED_STATUSES = (CaseStatus.RESOLVED, CaseStatus.CLOSED)


def case_cost_sync(case: ServiceCase) -> CostToServe | None:
    """Book the case's cost to the account's cost to serve, once: when the case is resolved
    or closed, a row (indirect, after-sales service, or customer training for a training
    request) for the account and the year of its resolution, keyed by the case's ID, so
    resolving again after a reopening or closing does not add it twice; a change of the cost
    later changes the row (a cost of nought removes it). Called inside the writes that lock
    the case."""
    row = booked_cost(case)
    if row is None:
        if case.status not in BOOKED_STATUSES or case.cost <= 0:
            return None
    elif case.cost <= 0:
        row.delete()
        return None
    # The year it was resolved (or closed); a reopened case keeps the year it was booked in.
    when = case.resolved_at or case.closed_at
    if when is not None:
        year = timezone.localtime(when).year
    else:
        year = row.year if row is not None else timezone.localtime(case.opened_at).year
    values = {
        "account_id": case.account_id,
        "year": year,
        "kind": CostToServe.Kind.INDIRECT,
        "category": CostToServe.Category.TRAINING
        if case.kind == CaseKind.TRAINING_REQUEST
        else CostToServe.Category.SERVICE,
        "amount": case.cost,
        "currency": row.currency if row is not None else default_currency(),
        "note": (_("Service case #%(id)s: %(title)s") % {"id": case.pk, "title": case.title})[:200],
    }
    if row is None:
        return CostToServe.objects.create(source=COST_SOURCE, external_id=str(case.pk), **values)
    if any(getattr(row, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
    return row
