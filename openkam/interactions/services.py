"""Writes about interactions: log one, edit it, complete or cancel it, close its next step,
and set the contact cadence of a tier. Each write leaves exactly one history record, which
holds the fields and the participants of both sides as they are after the write."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, Tier
from openkam.interactions.models import (
    INTERACTION_HISTORY,
    ContactCadence,
    Interaction,
    Status,
)
from openkam.relationships.models import Contact
from openkam.team.models import User

# A "done" interaction may be logged a little ahead of its start (the meeting is running).
DONE_AHEAD = dt.timedelta(hours=12)


def _validate(
    *,
    account: Account,
    status: str,
    starts_at: dt.datetime,
    our_participants: Sequence[User],
    their_participants: Sequence[Contact],
    next_step: str,
    next_step_due: dt.date | None,
    next_step_owner: User | None,
    before: Interaction | None = None,
) -> None:
    """Check a write before it is made. People already on the interaction (`before`) may stay
    after they left (an old visit keeps its participants); anyone added must be active."""
    errors: dict[str, list[str]] = {}
    kept_users = {u.pk for u in before.our_participants.all()} if before else set()
    kept_contacts = {c.pk for c in before.their_participants.all()} if before else set()
    strangers = [c.name for c in their_participants if c.account_id != account.pk]
    if strangers:
        errors["their_participants"] = [
            _("Not contacts of this account: %(names)s") % {"names": ", ".join(strangers)}
        ]
    gone = [c.name for c in their_participants if not c.is_active and c.pk not in kept_contacts]
    if gone and not strangers:
        errors["their_participants"] = [
            _("No longer active contacts: %(names)s") % {"names": ", ".join(gone)}
        ]
    inactive = [str(u) for u in our_participants if not u.is_active and u.pk not in kept_users]
    if inactive:
        errors["our_participants"] = [
            _("Not active users: %(names)s") % {"names": ", ".join(inactive)}
        ]
    if before is not None and not our_participants:
        errors["our_participants"] = [_("Name at least one of our participants.")]
    kept_owner = before is not None and next_step_owner == before.next_step_owner
    if next_step_owner is not None and not next_step_owner.is_active and not kept_owner:
        errors["next_step_owner"] = [
            _("Not an active user: %(name)s") % {"name": str(next_step_owner)}
        ]
    if status == Status.DONE and starts_at > timezone.now() + DONE_AHEAD:
        errors["starts_at"] = [_("An interaction in the future cannot be done yet: plan it.")]
    if next_step_due and not next_step.strip():
        errors["next_step"] = [_("Say what the next step is, or leave its due date empty.")]
    if errors:
        raise ValidationError(errors)


@contextmanager
def _one_history_record(interaction: Interaction, *, by: User, history_type: str) -> Iterator[None]:
    """Write the interaction and its participants with history off, then one record of the
    result. (django-simple-history would otherwise add a record per participant change.)"""
    interaction.skip_history_when_saving = True  # type: ignore[attr-defined]
    try:
        yield
    finally:
        del interaction.skip_history_when_saving  # type: ignore[attr-defined]
    interaction._history_user = by  # type: ignore[attr-defined]
    INTERACTION_HISTORY.create_historical_record(interaction, history_type)


def interaction_log(
    *,
    account: Account,
    author: User,
    kind: str,
    status: str,
    starts_at: dt.datetime,
    subject: str,
    duration_minutes: int = 60,
    notes: str = "",
    our_participants: Sequence[User] = (),
    their_participants: Sequence[Contact] = (),
    next_step: str = "",
    next_step_due: dt.date | None = None,
    next_step_owner: User | None = None,
) -> Interaction:
    """Record an interaction (done, or planned) with the people of both sides. The author
    takes part unless other people of ours were named; an open next step without an owner
    goes to the author."""
    _validate(
        account=account,
        status=status,
        starts_at=starts_at,
        our_participants=our_participants,
        their_participants=their_participants,
        next_step=next_step,
        next_step_due=next_step_due,
        next_step_owner=next_step_owner,
    )
    interaction = Interaction(
        account=account,
        kind=kind,
        status=status,
        starts_at=starts_at,
        duration_minutes=duration_minutes,
        subject=subject.strip(),
        notes=notes.strip(),
        next_step=next_step.strip(),
        next_step_due=next_step_due,
        next_step_owner=(next_step_owner or author) if next_step.strip() else None,
        created_by=author,
    )
    interaction.full_clean()
    with (
        transaction.atomic(),
        _one_history_record(interaction, by=author, history_type="+"),
    ):
        interaction.save()
        interaction.our_participants.set(list(our_participants) or [author])
        interaction.their_participants.set(list(their_participants))
    return interaction


def _keep_baseline(interaction: Interaction) -> None:
    """An interaction written without history (bulk loads such as the demo) gets, before its
    first change, a record of its state as logged by its author when it was created, so that
    the change shows against what it changed."""
    if interaction.history.exists():
        return
    interaction._history_date = interaction.created_at  # type: ignore[attr-defined]
    interaction._history_user = interaction.created_by  # type: ignore[attr-defined]
    try:
        INTERACTION_HISTORY.create_historical_record(interaction, "+")
    finally:
        del interaction._history_date  # type: ignore[attr-defined]


EDITABLE_FIELDS = (
    "kind",
    "starts_at",
    "duration_minutes",
    "subject",
    "notes",
    "next_step",
    "next_step_due",
    "next_step_owner",
    "next_step_done",
)


def interaction_update(
    *,
    interaction: Interaction,
    by: User,
    kind: str,
    starts_at: dt.datetime,
    subject: str,
    duration_minutes: int,
    notes: str,
    our_participants: Sequence[User],
    their_participants: Sequence[Contact],
    next_step: str,
    next_step_due: dt.date | None,
    next_step_owner: User | None = None,
) -> Interaction:
    """Correct or reschedule an interaction (planned or done): when, what, who took part on
    both sides, the notes and the next step. Its status changes only through complete and
    cancel. A next step without an owner keeps its owner, else goes to the editor; removing
    the step reopens nothing. Returns the interaction; without a change nothing is written
    and no history record is added."""
    _validate(
        account=interaction.account,
        status=interaction.status,
        starts_at=starts_at,
        our_participants=our_participants,
        their_participants=their_participants,
        next_step=next_step,
        next_step_due=next_step_due,
        next_step_owner=next_step_owner,
        before=interaction,
    )
    step = next_step.strip()
    changes: dict[str, object] = {
        "kind": kind,
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "subject": subject.strip(),
        "notes": notes.strip(),
        "next_step": step,
        "next_step_due": next_step_due if step else None,
        "next_step_owner": (next_step_owner or interaction.next_step_owner or by) if step else None,
        "next_step_done": interaction.next_step_done and bool(step),
    }
    ours = {u.pk for u in our_participants}
    theirs = {c.pk for c in their_participants}
    changed = [name for name in EDITABLE_FIELDS if getattr(interaction, name) != changes[name]]
    ours_changed = ours != {u.pk for u in interaction.our_participants.all()}
    theirs_changed = theirs != {c.pk for c in interaction.their_participants.all()}
    if not (changed or ours_changed or theirs_changed):
        return interaction
    with transaction.atomic():
        _keep_baseline(interaction)
        for name in changed:
            setattr(interaction, name, changes[name])
        try:
            interaction.full_clean(exclude=["account"])
        except ValidationError:
            interaction.refresh_from_db()
            raise
        _save_with_participants(
            interaction,
            by=by,
            our_participants=our_participants if ours_changed else None,
            their_participants=their_participants if theirs_changed else None,
        )
    return interaction


def _save_with_participants(
    interaction: Interaction,
    *,
    by: User,
    our_participants: Sequence[User] | None,
    their_participants: Sequence[Contact] | None,
) -> None:
    with _one_history_record(interaction, by=by, history_type="~"):
        interaction.save()
        if our_participants is not None:
            interaction.our_participants.set(list(our_participants))
        if their_participants is not None:
            interaction.their_participants.set(list(their_participants))


def interaction_complete(*, interaction: Interaction, by: User, notes: str = "") -> Interaction:
    """A planned interaction took place."""
    if interaction.status == Status.DONE:
        return interaction
    if interaction.starts_at > timezone.now() + DONE_AHEAD:
        raise ValidationError(_("An interaction in the future cannot be done yet."))
    with transaction.atomic():
        _keep_baseline(interaction)
        interaction.status = Status.DONE
        if notes.strip():
            interaction.notes = "\n\n".join(filter(None, [interaction.notes, notes.strip()]))
        interaction._history_user = by  # type: ignore[attr-defined]
        interaction.save(update_fields=["status", "notes", "updated_at"])
    return interaction


def interaction_cancel(*, interaction: Interaction, by: User) -> Interaction:
    if interaction.status != Status.PLANNED:
        raise ValidationError(_("Only a planned interaction can be cancelled."))
    with transaction.atomic():
        _keep_baseline(interaction)
        interaction.status = Status.CANCELLED
        interaction._history_user = by  # type: ignore[attr-defined]
        interaction.save(update_fields=["status", "updated_at"])
    return interaction


def next_step_complete(*, interaction: Interaction, by: User) -> Interaction:
    if not interaction.next_step:
        raise ValidationError(_("This interaction has no next step."))
    with transaction.atomic():
        _keep_baseline(interaction)
        interaction.next_step_done = True
        interaction._history_user = by  # type: ignore[attr-defined]
        interaction.save(update_fields=["next_step_done", "updated_at"])
    return interaction


def cadence_set(*, days_by_tier: dict[str, int], by: User) -> list[ContactCadence]:
    """Set the days between two contacts owed to each tier (1 to 730)."""
    errors = {
        tier: [_("Enter a number of days between 1 and 730.")]
        for tier, days in days_by_tier.items()
        if not 1 <= int(days) <= 730
    }
    unknown = set(days_by_tier) - set(Tier.values)
    if unknown:
        errors["__all__"] = [_("Unknown tier: %(tiers)s") % {"tiers": ", ".join(sorted(unknown))}]
    if errors:
        raise ValidationError(errors)
    saved = []
    with transaction.atomic():
        for tier, days in days_by_tier.items():
            cadence, _created = ContactCadence.objects.get_or_create(
                tier=tier, defaults={"every_days": days}
            )
            if cadence.every_days != days:
                cadence.every_days = days
                cadence._history_user = by  # type: ignore[attr-defined]
                cadence.save(update_fields=["every_days", "updated_at"])
            saved.append(cadence)
    return saved
