"""Writes made through the API: each checks permission and validates before it saves, inside
one transaction, so a refused or invalid request saves nothing. They raise domain errors
(openkam.common.errors), which openkam.api.errors answers as JSON."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import accounts_visible_to
from openkam.api.common import apply, in_api_names, validate
from openkam.api.permissions import may_delete_accounts, require_in_scope, require_writable
from openkam.common.errors import Conflict
from openkam.relationships.models import Contact
from openkam.relationships.services import contact_reports_to_check
from openkam.team.models import User


def _check_parent(user: User, parent_id: int | None) -> None:
    """A parent must be an account the user sees (linking into a group is not writing it)."""
    if parent_id is not None and not accounts_visible_to(user).filter(pk=parent_id).exists():
        raise ValidationError({"parent_id": _("No account with this ID.")})


def _check_credit_code(account: Account) -> None:
    """Credit codes are unique across all accounts. A clash is the field's error, not the
    database's (a 500), and names no account: the holder may be another team's (issue 17)."""
    code = account.credit_code
    if code and Account.objects.filter(credit_code=code).exclude(pk=account.pk).exists():
        raise ValidationError({"credit_code": _("Another account already has this credit code.")})


@transaction.atomic
def account_create(*, user: User, data: dict[str, Any]) -> Account:
    require_in_scope(user, team_id=data.get("team_id"), owner_id=data.get("owner_id"))
    _check_parent(user, data.get("parent_id"))
    account = Account(**data)
    validate(account)
    _check_credit_code(account)
    account.save()
    return account


@transaction.atomic
def account_update(*, user: User, account: Account, data: dict[str, Any]) -> Account:
    require_writable(user, account.pk)
    if "parent_id" in data and data["parent_id"] != account.parent_id:
        _check_parent(user, data["parent_id"])
    if not apply(account, data):
        return account
    require_in_scope(user, team_id=account.team_id, owner_id=account.owner_id)
    validate(account)
    _check_credit_code(account)
    account.save()
    return account


@transaction.atomic
def account_delete(*, user: User, account: Account) -> None:
    require_writable(user, account.pk)
    if not may_delete_accounts(user):
        raise PermissionDenied(_("Only executives and directors may delete accounts."))
    try:
        account.delete()
    except ProtectedError as exc:
        message = _("The account still has subsidiaries or ledger rows and cannot be deleted.")
        raise Conflict(message) from exc


def _check_reports_to(contact: Contact, user: User) -> None:
    """The relationship map's rule (one function for both), its field named as the API
    names it. The boss is looked up among the contacts the user sees: another team's
    contact reads as one that does not exist (issue 17)."""
    if contact.reports_to_id is None:
        return
    visible = Contact.objects.filter(account__in=accounts_visible_to(user))
    boss = visible.filter(pk=contact.reports_to_id).first()
    if boss is None:
        raise ValidationError({"reports_to_id": _("No contact with this ID.")})
    try:
        contact_reports_to_check(contact, boss)
    except ValidationError as exc:
        raise in_api_names(contact, exc) from exc


@transaction.atomic
def contact_create(*, user: User, data: dict[str, Any]) -> Contact:
    require_writable(user, data["account_id"], field="account_id")
    contact = Contact(**data)
    _check_reports_to(contact, user)
    validate(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, user: User, contact: Contact, data: dict[str, Any]) -> Contact:
    require_writable(user, contact.account_id)
    if "account_id" in data and data["account_id"] != contact.account_id:
        require_writable(user, data["account_id"], field="account_id")
    if not apply(contact, data):
        return contact
    _check_reports_to(contact, user)
    validate(contact)
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, user: User, contact: Contact) -> None:
    require_writable(user, contact.account_id)
    contact.delete()
