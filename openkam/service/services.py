"""Writes to service cases. The account's writers (executive, director, KAM of the account's
team) open, edit, move, resolve and close cases; analysts and viewers read. Every write
validates before it saves, inside one transaction, and raises ValidationError naming the
field; simple-history keeps every version.

Opening a case sets its deadlines from the SLA of the account's tier and the case's severity
(`sla_hours`); a change of severity moves them, counted from the opening again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import writable_account_for
from openkam.common.errors import ValidationError
from openkam.common.models import default_currency
from openkam.ledger.models import CostToServe
from openkam.portfolio.models import TierServiceLevel
from openkam.relationships.models import Contact
from openkam.service.models import (
    DEFAULT_SLA,
    OPEN_STATUSES,
    RATING_MAX,
    RATING_MIN,
    TRANSITIONS,
    CaseKind,
    CaseRatingLink,
    CaseStatus,
    Channel,
    RatingLanguage,
    ServiceCase,
    Severity,
    SlaPolicy,
    Training,
)
from openkam.service.selectors import (
    COST_SOURCE,
    booked_cost,
    writable_case_for,
    writable_training_for,
)
from openkam.surveys.models import token_hash
from openkam.surveys.services import new_token
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
    case.rating_url = None  # type: ignore[attr-defined]
    issued = rating_link_issue(case)
    if issued is not None and not case.contact.email:  # type: ignore[union-attr]
        case.rating_url = issued.url  # type: ignore[attr-defined]  # handed over by the writer
    return case


BOOKED_STATUSES = (CaseStatus.RESOLVED, CaseStatus.CLOSED)


def case_cost_sync(case: ServiceCase) -> CostToServe | None:
    """Book the case's cost to the account's cost to serve, once: when the case is resolved
    or closed, a row (indirect, after-sales service, or customer training for a training
    request) for the account and the year and month of its resolution, keyed by the case's ID, so
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
    # The month it was resolved (or closed); a reopened case keeps the month it was booked in.
    when = case.resolved_at or case.closed_at
    month: int | None
    if when is not None:
        local = timezone.localtime(when)
        year, month = local.year, local.month
    elif row is not None:
        year, month = row.year, row.month
    else:
        local = timezone.localtime(case.opened_at)
        year, month = local.year, local.month
    values = {
        "account_id": case.account_id,
        "year": year,
        "month": month,
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


# --- the rating of a resolved case ------------------------------------------------------------

RATING_DAYS = 14  # a rating link works this many days


@dataclass(frozen=True)
class RatingLink:
    link: CaseRatingLink
    url: str


def rating_link_issue(case: ServiceCase) -> RatingLink | None:
    """When a case is resolved: a rating link for the contact who raised it (none without a
    contact, an active one, or once they have rated it). The token is the survey links' (192
    bits, only its hash kept): the URL is returned once, mailed where the contact has an
    address, else shown to the case's writer to hand over. Resolving again re-issues it."""
    contact = case.contact
    if contact is None or not contact.is_active or case.rating is not None:
        return None
    token = new_token()
    expires = timezone.now() + dt.timedelta(days=RATING_DAYS)
    language = RatingLanguage.ZH  # the contact's page offers English too
    link, _made = CaseRatingLink.objects.update_or_create(
        case=case,
        defaults={"contact": contact, "token_hash": token_hash(token), "expires_at": expires,
                  "language": language, "answered_at": None},
    )  # fmt: skip
    url = settings.OPENKAM_SITE_URL.rstrip("/") + reverse("case_rating", args=[token])
    if contact.email:
        with translation.override(language):
            subject = _("How did we handle your case: %(title)s?") % {"title": case.title}
            body = _(
                "Dear %(contact)s,\n\nyour case \"%(title)s\" has been resolved. One question: "
                "how satisfied are you with how we handled it?\n\n%(url)s\n\nThe link is yours "
                "alone and works until %(until)s.\n"
            ) % {"contact": contact.name, "title": case.title, "url": url,
                 "until": timezone.localtime(expires).strftime("%Y-%m-%d")}  # fmt: skip
        EmailMessage(subject[:200], body, to=[contact.email]).send()
        CaseRatingLink.objects.filter(pk=link.pk).update(sent_at=timezone.now())
    return RatingLink(link, url)


class RatingUnusable(Exception):
    """The token is unknown, used or expired: the page says only that it cannot be used."""


def rating_link_by_token(token: str) -> CaseRatingLink:
    if not token or len(token) > 100:
        raise RatingUnusable
    found = (
        CaseRatingLink.objects.select_related("case", "contact")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if found is None or not found.usable():
        raise RatingUnusable
    return found


@transaction.atomic
def rating_answer(*, token: str, rating: Any, comment: str = "") -> ServiceCase:
    """The contact's rating through their link (no login): stored on the case, the link spent.
    RatingUnusable for an unknown, used or expired token; ValidationError for a rating outside
    1-5 or a comment over 2,000 characters; nothing is stored on either."""
    link = rating_link_by_token(token)
    errors: dict[str, str] = {}
    try:
        score = int(rating)
    except (TypeError, ValueError):
        score = 0
    if not RATING_MIN <= score <= RATING_MAX:
        errors["rating"] = _("Choose a score from 1 to 5.")
    comment = (comment or "").strip()
    if len(comment) > 2000:
        errors["comment"] = _("At most 2,000 characters.")
    if errors:
        raise ValidationError(errors)
    locked = CaseRatingLink.objects.select_for_update().get(pk=link.pk)
    if not locked.usable() or locked.token_hash != token_hash(token):
        raise RatingUnusable
    now = timezone.now()
    case = ServiceCase.objects.select_for_update().get(pk=locked.case_id)
    case.rating, case.rating_comment, case.rated_at = score, comment, now
    case._change_reason = "rating"  # type: ignore[attr-defined]
    case.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    locked.answered_at, locked.token_hash = now, None
    locked.save(update_fields=["answered_at", "token_hash", "updated_at"])
    return case


# --- training given to the customer -----------------------------------------------------------


def _training_validate(
    account: Account, *, held_on: Any, topic: str, trainer: str, attendees: list[Contact],
    cases: list[ServiceCase],
) -> None:  # fmt: skip
    errors: dict[str, str] = {}
    if not isinstance(held_on, dt.date):
        errors["held_on"] = _("Give the date of the training.")
    elif held_on > timezone.localdate() + dt.timedelta(days=366):
        errors["held_on"] = _("A training cannot be recorded more than a year ahead.")
    if not (topic or "").strip():
        errors["topic"] = _("Say what the training was about.")
    if not (trainer or "").strip():
        errors["trainer"] = _("Name the trainer.")
    if any(contact.account_id != account.pk for contact in attendees):
        errors["attendees"] = _("Attendees must be contacts of this account.")
    if any(case.account_id != account.pk for case in cases):
        errors["cases"] = _("Only this account's cases can be linked.")
    if errors:
        raise ValidationError(errors)


TRAINING_FIELDS = ("held_on", "topic", "trainer", "other_attendees", "notes")


@transaction.atomic
def training_record(
    *, user: User, account_id: int, attendees: list[Contact] | None = None,
    cases: list[ServiceCase] | None = None, **fields: Any,
) -> Training:  # fmt: skip
    """Record a training given to an account the user may change."""
    account = writable_account_for(user, account_id)
    unknown = set(fields) - set(TRAINING_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    attendees, cases = list(attendees or []), list(cases or [])
    _training_validate(
        account, held_on=fields.get("held_on"), topic=fields.get("topic", ""),
        trainer=fields.get("trainer", ""), attendees=attendees, cases=cases,
    )  # fmt: skip
    training = Training(account=account, recorded_by=user)
    for name, value in fields.items():
        setattr(training, name, value.strip() if isinstance(value, str) else value)
    training.save()
    training.attendees.set(attendees)
    training.cases.set(cases)
    return training


@transaction.atomic
def training_update(
    *, user: User, training_id: int, attendees: list[Contact] | None = None,
    cases: list[ServiceCase] | None = None, **fields: Any,
) -> Training:  # fmt: skip
    training = writable_training_for(user, training_id)
    unknown = set(fields) - set(TRAINING_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    for name, value in fields.items():
        setattr(training, name, value.strip() if isinstance(value, str) else value)
    new_attendees = list(training.attendees.all()) if attendees is None else list(attendees)
    new_cases = list(training.cases.all()) if cases is None else list(cases)
    _training_validate(
        training.account, held_on=training.held_on, topic=training.topic,
        trainer=training.trainer, attendees=new_attendees, cases=new_cases,
    )  # fmt: skip
    training.save()
    training.attendees.set(new_attendees)
    training.cases.set(new_cases)
    return training
