"""Writes about an account's contacts and its relationship stage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, RelationshipStage
from openkam.accounts.selectors import writable_account_for
from openkam.relationships.models import Contact, JointProject, JointProjectStatus
from openkam.relationships.selectors import writable_contact_for
from openkam.team.models import User

# The fields a KAM keeps current on the relationship map, one at a time.
EDITABLE_FIELDS = (
    "title",
    "department",
    "function",
    "reports_to",
    "influence_type",
    "influence_level",
    "participation",
    "support",
    "stage_needs",
    "stage_options",
    "stage_choice",
    "stage_after_sale",
    "preferred_channel",
    "contact_every_days",
    "motives",
    "need_1",
    "need_2",
    "need_3",
    "deepening_plan",
    "is_active",
)


def contact_reports_to_check(contact: Contact, boss: Contact | None) -> None:
    """The one rule for whom a contact reports to, on the map and over the API: a contact
    of the same account who is not below this one (no loop). The account's chain is read
    in one query, however deep it is."""
    if boss is None:
        return
    if boss.account_id != contact.account_id:
        raise ValidationError({"reports_to": _("Choose a contact of the same account.")})
    chain = dict(
        Contact.objects.filter(account_id=contact.account_id).values_list("pk", "reports_to_id")
    )
    seen = {contact.pk}
    current: int | None = boss.pk
    while current is not None:
        if current in seen:
            raise ValidationError(
                {
                    "reports_to": _("%(name)s already reports to this contact, directly or not.")
                    % {"name": boss.name}
                }
            )
        seen.add(current)
        current = chain.get(current)


# What the contact form of the account page writes: who they are, and their buying role.
FORM_FIELDS = ("name", "phone", "email", "wechat", *EDITABLE_FIELDS)


def contact_update(
    *,
    contact: Contact,
    changes: dict[str, Any],
    by: User,
    allowed: tuple[str, ...] = EDITABLE_FIELDS,
) -> Contact:
    """Change some buying-role fields of a contact; validated before anything is saved."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(
            _("These fields cannot be edited here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    with transaction.atomic():
        locked = Contact.objects.select_for_update().get(pk=contact.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        if "reports_to" in changes:
            contact_reports_to_check(locked, changes["reports_to"])
        locked.full_clean(exclude=[f for f in ("account",) if f not in changes])
        locked._history_user = by  # type: ignore[attr-defined]
        locked.save(update_fields=[*changes, "updated_at"])
    return locked


@transaction.atomic
def contact_create(*, user: User, account_id: int, fields: dict[str, Any]) -> Contact:
    """A new contact at the account, whom they report to checked by the one rule."""
    account = writable_account_for(user, account_id)
    unknown = set(fields) - set(FORM_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be edited here: %(fields)s")
            % {"fields": ", ".join(sorted(unknown))}
        )
    contact = Contact(account=account, **fields)
    contact_reports_to_check(contact, fields.get("reports_to"))
    contact.full_clean()
    contact._history_user = user  # type: ignore[attr-defined]
    contact.save()
    return contact


def contact_edit(*, user: User, contact_id: int, changes: dict[str, Any]) -> Contact:
    """The contact form's write: any of FORM_FIELDS, by whoever writes the account (and,
    through the API, its `account` when they write the new one too)."""
    contact = writable_contact_for(user, contact_id)
    if "account" in changes:
        writable_account_for(user, changes["account"].pk)
    return contact_update(
        contact=contact, changes=changes, by=user, allowed=(*FORM_FIELDS, "account")
    )


def contact_set_active(*, user: User, contact_id: int, active: bool) -> Contact:
    """Deactivate a contact who left (kept, with their history and interactions), or bring
    them back."""
    contact = writable_contact_for(user, contact_id)
    return contact_update(contact=contact, changes={"is_active": active}, by=user)


def account_relationship_stage_record(*, account: Account, stage: str, by: User) -> Account:
    """Record the relationship stage on the account (usually the one assessed from the
    coverage matrix)."""
    if stage not in RelationshipStage.values:
        raise ValidationError({"stage": _("Unknown relationship stage.")})
    with transaction.atomic():
        locked = Account.objects.select_for_update().get(pk=account.pk)
        locked.relationship_stage = stage
        locked._history_user = by  # type: ignore[attr-defined]
        locked.save(update_fields=["relationship_stage", "updated_at"])
    return locked


@transaction.atomic
def joint_project_record(
    *,
    user: User,
    account_id: int,
    kind: str,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    status: str = JointProjectStatus.ACTIVE,
    our_member_ids: Iterable[int] = (),
    their_member_ids: Iterable[int] = (),
    notes: str = "",
) -> JointProject:
    """A joint project team (or one joint board meeting) with the account, with members of
    both sides: ours active users, theirs the account's own contacts."""
    account = writable_account_for(user, account_id)
    ours, theirs = set(our_member_ids), set(their_member_ids)
    if len(User.objects.filter(pk__in=ours, is_active=True)) != len(ours):
        raise ValidationError({"our_member_ids": _("Choose active users.")})
    if Contact.objects.filter(pk__in=theirs, account=account).count() != len(theirs):
        raise ValidationError({"their_member_ids": _("Choose contacts of this account.")})
    project = JointProject(
        account=account,
        kind=kind,
        name=name.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        notes=notes.strip(),
    )
    project.full_clean()
    project.save()
    project.our_members.set(ours)
    project.their_members.set(theirs)
    return project
