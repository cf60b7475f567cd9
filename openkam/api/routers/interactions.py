"""Interactions with the accounts (visits, calls, meetings ...): list, read, log, correct
(PATCH), and the same state changes as the timeline page (complete, cancel, close the next
step), through the interactions app's own services so the rules are the page's."""

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
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
    inline_enum,
    of_visible_accounts,
    user_of,
    visible_or_404,
    writable_or_404,
)
from openkam.api.errors import ErrorOut, django_errors, field_error, invalid
from openkam.api.permissions import require_writable
from openkam.api.routers.contacts import visible_contacts
from openkam.interactions import services
from openkam.interactions.models import Interaction, Kind
from openkam.interactions.models import Status as InteractionStatus
from openkam.team.models import User

router = Router(tags=["interactions"])
READ = {401: ErrorOut, 404: ErrorOut}
WRITE = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class InteractionOut(Schema):
    id: int
    account_id: int
    kind: str
    status: str
    starts_at: dt.datetime
    duration_minutes: int
    subject: str
    notes: str
    our_participant_ids: list[int]
    their_participant_ids: list[int]
    next_step: str
    next_step_due: dt.date | None
    next_step_owner_id: int | None
    next_step_done: bool
    created_by_id: int | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_our_participant_ids(obj: Interaction) -> list[int]:
        return [user.pk for user in obj.our_participants.all()]

    @staticmethod
    def resolve_their_participant_ids(obj: Interaction) -> list[int]:
        return [contact.pk for contact in obj.their_participants.all()]


class InteractionIn(InputSchema):
    account_id: Id
    kind: Annotated[Kind, inline_enum(Kind)] = Kind.VISIT
    status: Annotated[InteractionStatus, inline_enum(InteractionStatus)] = InteractionStatus.DONE
    starts_at: DateTimeIn
    duration_minutes: int = 60
    subject: str
    notes: str = ""
    our_participant_ids: list[Id] = Field(
        default_factory=list, description="Users of ours; the author when left empty."
    )
    their_participant_ids: list[Id] = Field(
        default_factory=list, description="Contacts of this account."
    )
    next_step: str = ""
    next_step_due: dt.date | None = None
    next_step_owner_id: Id | None = Field(None, description="The author when left out.")


class InteractionPatch(InputSchema):
    """The fields to change; those left out keep their value. The status changes only through
    complete and cancel. Only a due date and a next step's owner may be null (cleared): null
    for any other field is its error, not a 500 (issue 17), so the defaults below are never
    applied (fields not sent are not changed)."""

    kind: Annotated[Kind, inline_enum(Kind)] = Kind.VISIT
    starts_at: DateTimeIn = Field(None)  # type: ignore[assignment]
    duration_minutes: int = 60
    subject: str = ""
    notes: str = ""
    our_participant_ids: list[Id] = Field(default_factory=list, description="Replaces our people.")
    their_participant_ids: list[Id] = Field(
        default_factory=list, description="Replaces their people."
    )
    next_step: str = ""
    next_step_due: dt.date | None = None
    next_step_owner_id: Id | None = None


class CompleteIn(InputSchema):
    notes: str = ""


class InteractionFilters(Schema):
    account_id: Id | None = None
    kind: Annotated[Kind, inline_enum(Kind)] | None = None
    status: Annotated[InteractionStatus, inline_enum(InteractionStatus)] | None = None
    since: dt.date | None = Field(None, description="Starting on or after this day.")
    until: dt.date | None = Field(None, description="Starting on or before this day.")
    next_step_open: bool | None = None


def visible_interactions(user: User) -> QuerySet[Interaction]:
    return of_visible_accounts(Interaction.objects.all(), user).prefetch_related(
        "our_participants", "their_participants"
    )


def _refused(exc: DjangoValidationError) -> Any:
    """The service's validation errors, with the API's field names."""
    renamed = {
        "our_participants": "our_participant_ids",
        "their_participants": "their_participant_ids",
        "next_step_owner": "next_step_owner_id",
    }
    if hasattr(exc, "error_dict"):
        exc = DjangoValidationError(
            {renamed.get(name, name): errors for name, errors in exc.error_dict.items()}
        )
    return invalid(django_errors(exc))


def _people(payload: InteractionIn | InteractionPatch, user: User) -> dict[str, Any]:
    """The users and contacts the payload names, every unknown one a field error (lists
    left out of a patch are left out here too). Contacts are looked up among those the user
    sees: another team's contact reads as unknown, so no error names them (issue 17)."""
    ours = _sent(payload, "our_participant_ids")
    theirs = _sent(payload, "their_participant_ids")
    wanted_users = set(ours or [])
    if payload.next_step_owner_id is not None:
        wanted_users.add(payload.next_step_owner_id)
    users = User.objects.in_bulk(wanted_users)
    contacts = visible_contacts(user).in_bulk(set(theirs or []))
    errors = [
        field_error(["our_participant_ids", index], _unknown())
        for index, pk in enumerate(ours or [])
        if pk not in users
    ] + [
        field_error(["their_participant_ids", index], _unknown())
        for index, pk in enumerate(theirs or [])
        if pk not in contacts
    ]
    owner_id = payload.next_step_owner_id
    if owner_id is not None and owner_id not in users:
        errors.append(field_error(["next_step_owner_id"], _unknown()))
    if errors:
        raise invalid(errors)
    people: dict[str, Any] = {
        "next_step_owner": users.get(owner_id) if owner_id is not None else None
    }
    if ours is not None:
        people["our_participants"] = [users[pk] for pk in ours]
    if theirs is not None:
        people["their_participants"] = [contacts[pk] for pk in theirs]
    return people


def _sent(payload: InteractionIn | InteractionPatch, name: str) -> list[int] | None:
    """A list of people as sent; None for one a patch leaves out (its people stay)."""
    if isinstance(payload, InteractionPatch) and name not in payload.model_fields_set:
        return None
    value: list[int] = getattr(payload, name)
    return value


def _unknown() -> str:
    return _("No row with this ID.")


@router.get("/interactions", response={200: list[InteractionOut], 401: ErrorOut, 422: ErrorOut})
@paginate(Pages, page_size=LIST_PAGE_SIZE, max_page_size=LIST_MAX_PAGE_SIZE)
def list_interactions(
    request: HttpRequest, filters: Query[InteractionFilters]
) -> QuerySet[Interaction]:
    """Interactions at the accounts you may see, newest first."""
    interactions = visible_interactions(user_of(request))
    exact = filters.model_dump(include={"account_id", "kind", "status"}, exclude_none=True)
    interactions = interactions.filter(**exact)
    if filters.since is not None:
        interactions = interactions.filter(starts_at__date__gte=filters.since)
    if filters.until is not None:
        interactions = interactions.filter(starts_at__date__lte=filters.until)
    if filters.next_step_open is not None:
        open_steps = interactions.exclude(next_step="").filter(next_step_done=False)
        interactions = (
            open_steps
            if filters.next_step_open
            else interactions.exclude(pk__in=open_steps.values("pk"))
        )
    return interactions.order_by("-starts_at", "-pk")


@router.get("/interactions/{int:interaction_id}", response={200: InteractionOut, **READ})
def get_interaction(request: HttpRequest, interaction_id: int) -> Interaction:
    return visible_or_404(visible_interactions(user_of(request)), interaction_id)


@router.post("/interactions", response={201: InteractionOut, **WRITE})
def log_interaction(request: HttpRequest, payload: InteractionIn) -> Status:
    """Log an interaction (done, or planned) at an account you may change."""
    user = user_of(request)
    account = require_writable(user, payload.account_id, field="account_id")
    fields = payload.model_dump(
        exclude={"account_id", "our_participant_ids", "their_participant_ids", "next_step_owner_id"}
    )
    try:
        with transaction.atomic():
            interaction = services.interaction_log(
                account=account, author=user, **fields, **_people(payload, user)
            )
    except DjangoValidationError as exc:
        raise _refused(exc) from exc
    return Status(201, visible_interactions(user).get(pk=interaction.pk))


def _change(request: HttpRequest, interaction_id: int, action: Any, **kwargs: Any) -> Interaction:
    user = user_of(request)
    interaction = writable_or_404(
        Interaction, interaction_id, user=user, account_field="account_id"
    )
    try:
        action(interaction=interaction, by=user, **kwargs)
    except DjangoValidationError as exc:
        raise _refused(exc) from exc
    return visible_interactions(user).get(pk=interaction.pk)


@router.post("/interactions/{int:interaction_id}/complete", response={200: InteractionOut, **WRITE})
def complete_interaction(
    request: HttpRequest, interaction_id: int, payload: CompleteIn
) -> Interaction:
    """A planned interaction took place; notes are added to its notes."""
    return _change(request, interaction_id, services.interaction_complete, notes=payload.notes)


@router.post("/interactions/{int:interaction_id}/cancel", response={200: InteractionOut, **WRITE})
def cancel_interaction(request: HttpRequest, interaction_id: int) -> Interaction:
    return _change(request, interaction_id, services.interaction_cancel)


@router.post(
    "/interactions/{int:interaction_id}/next-step-done", response={200: InteractionOut, **WRITE}
)
def close_next_step(request: HttpRequest, interaction_id: int) -> Interaction:
    return _change(request, interaction_id, services.next_step_complete)


@router.patch("/interactions/{int:interaction_id}", response={200: InteractionOut, **WRITE})
def update_interaction(
    request: HttpRequest, interaction_id: int, payload: InteractionPatch
) -> Interaction:
    """Correct or reschedule an interaction at an account you may change: the fields sent
    replace theirs (participant lists whole); each change is kept in its history."""
    user = user_of(request)
    interaction = writable_or_404(
        Interaction, interaction_id, user=user, account_field="account_id"
    )
    current = visible_interactions(user).select_related("account").get(pk=interaction.pk)
    sent = payload.model_dump(
        exclude_unset=True,
        exclude={"our_participant_ids", "their_participant_ids", "next_step_owner_id"},
    )
    fields = {
        name: sent.get(name, getattr(current, name))
        for name in (
            "kind", "starts_at", "duration_minutes", "subject", "notes", "next_step",
            "next_step_due",
        )
    }  # fmt: skip
    people = {
        "our_participants": list(current.our_participants.all()),
        "their_participants": list(current.their_participants.all()),
        **_people(payload, user),
    }
    try:
        with transaction.atomic():
            services.interaction_update(interaction=current, by=user, **fields, **people)
    except DjangoValidationError as exc:
        raise _refused(exc) from exc
    return visible_interactions(user).get(pk=interaction.pk)
