"""Writes about interactions: log one, complete or cancel it, close its next step, and set
the contact cadence of a tier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, Tier
from openkam.interactions.models import ContactCadence, Interaction, Status
from openkam.relationships.models import Contact
from openkam.team.models import User

# A "done" interaction may be logged a little ahead of its start (the meeting is running).
DONE_AHEAD = dt.timedelta(hours=12)


def _validate(
    *,
    account: Account,
    status: str,
    starts_at: dt.datetime,
    their_participants: Sequence[Contact],
    next_step: str,
    next_step_due: dt.date | None,
) -> None:
    errors: dict[str, list[str]] = {}
    strangers = [c.name for c in their_participants if c.account_id != account.pk]
    if strangers:
        errors["their_participants"] = [
            _("Not contacts of this account: %(names)s") % {"names": ", ".join(strangers)}
        ]
    if status == Status.DONE and starts_at > timezone.now() + DONE_AHEAD:
        errors["starts_at"] = [_("An interaction in the future cannot be done yet: plan it.")]
    if next_step_due and not next_step.strip():
        errors["next_step"] = [_("Say what the next step is, or leave its due date empty.")]
    if errors:
        raise ValidationError(errors)


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
        their_participants=their_participants,
        next_step=next_step,
        next_step_due=next_step_due,
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
    with transaction.atomic():
        interaction._history_user = author  # type: ignore[attr-defined]
        interaction.save()
        interaction.our_participants.set(list(our_participants) or [author])
        interaction.their_participants.set(list(their_participants))
    return interaction


def interaction_complete(*, interaction: Interaction, by: User, notes: str = "") -> Interaction:
    """A planned interaction took place."""
    if interaction.status == Status.DONE:
        return interaction
    if interaction.starts_at > timezone.now() + DONE_AHEAD:
        raise ValidationError(_("An interaction in the future cannot be done yet."))
    with transaction.atomic():
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
        interaction.status = Status.CANCELLED
        interaction._history_user = by  # type: ignore[attr-defined]
        interaction.save(update_fields=["status", "updated_at"])
    return interaction


def next_step_complete(*, interaction: Interaction, by: User) -> Interaction:
    if not interaction.next_step:
        raise ValidationError(_("This interaction has no next step."))
    with transaction.atomic():
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
