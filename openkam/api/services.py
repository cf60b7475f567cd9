"""Writes made through the API: each checks permission and validates before it saves, inside
one transaction, so a refused or invalid request saves nothing. They raise domain errors
(openkam.common.errors), which openkam.api.errors answers as JSON."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from openkam.accounts import services as accounts_services
from openkam.accounts.models import Account
from openkam.accounts.selectors import accounts_visible_to
from openkam.api.common import in_api_names
from openkam.api.permissions import may_delete_accounts, require_writable
from openkam.common.errors import Conflict
from openkam.relationships import services as relationships_services
from openkam.relationships.models import Contact
from openkam.team.models import User


def account_create(*, user: User, data: dict[str, Any]) -> Account:
    """The account page's write (accounts.services.account_create): one rule for both."""
    return accounts_services.account_create(user=user, data=data)


def account_update(*, user: User, account: Account, data: dict[str, Any]) -> Account:
    return accounts_services.account_update(user=user, account=account, data=data)


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


def _boss(user: User, data: dict[str, Any]) -> dict[str, Any]:
    """`reports_to_id` as the contact it names, looked up among the contacts the user sees:
    another team's contact reads as one that does not exist (issue 17)."""
    if "reports_to_id" not in data:
        return data
    fields = dict(data)
    boss_id = fields.pop("reports_to_id")
    boss = None
    if boss_id is not None:
        visible = Contact.objects.filter(account__in=accounts_visible_to(user))
        boss = visible.filter(pk=boss_id).first()
        if boss is None:
            raise ValidationError({"reports_to_id": _("No contact with this ID.")})
    fields["reports_to"] = boss
    return fields


@transaction.atomic
def contact_create(*, user: User, data: dict[str, Any]) -> Contact:
    """The account page's write (relationships.services.contact_create), its errors named
    as the API names the fields (`reports_to_id`)."""
    account_id = data["account_id"]
    require_writable(user, account_id, field="account_id")
    fields = _boss(user, {k: v for k, v in data.items() if k != "account_id"})
    try:
        return relationships_services.contact_create(
            user=user, account_id=account_id, fields=fields
        )
    except ValidationError as exc:
        raise in_api_names(Contact(), exc) from exc


@transaction.atomic
def contact_update(*, user: User, contact: Contact, data: dict[str, Any]) -> Contact:
    """The account page's edit (relationships.services.contact_edit): only what differs is
    written; a move to another account needs that account writable too."""
    require_writable(user, contact.account_id)
    if "account_id" in data and data["account_id"] != contact.account_id:
        require_writable(user, data["account_id"], field="account_id")
    fields = _boss(user, {k: v for k, v in data.items() if getattr(contact, k) != v})
    if "account_id" in fields:
        # The boss must follow the contact: checked again against the new account.
        fields["account"] = Account.objects.get(pk=fields.pop("account_id"))
        fields.setdefault("reports_to", contact.reports_to)
    if not fields:
        return contact
    try:
        return relationships_services.contact_edit(user=user, contact_id=contact.pk, changes=fields)
    except ValidationError as exc:
        raise in_api_names(Contact(), exc) from exc


@transaction.atomic
def contact_delete(*, user: User, contact: Contact) -> None:
    require_writable(user, contact.account_id)
    contact.delete()
