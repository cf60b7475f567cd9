"""What only the API adds to the product's access rule (openkam.accounts.selectors: the team
rule in teams_visible_to, reads through account_for, writes through writable_account_for).

An API write names its account in the body as often as in the path. Neither way may tell
another team's account exists (issue 17): a row or account in the path that the user does not
see is NotFound (404), as a read is, and an account named in the body that they do not see is
that field's error "No account with this ID." (422), word for word the answer for an ID that
does not exist. Only a row the user sees but whose account their role may not change (an
analyst, a viewer) is a 403. Everything here raises domain errors; openkam.api.errors turns
them into JSON.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import (
    accounts_editable_by,
    user_writes,
    writable_account_for,
)
from openkam.common.errors import FieldPermissionDenied, NotFound
from openkam.team.models import Role, User

# Deleting an account is a management decision, not a KAM's.
ACCOUNT_DELETER_ROLES = frozenset({Role.EXECUTIVE, Role.DIRECTOR})


def writable_account_ids(user: User, account_ids: Iterable[int]) -> set[int]:
    """Of these accounts, those the user may change, in one query (bulk writes)."""
    ids = set(account_ids)
    if not ids:
        return set()
    return set(
        accounts_editable_by(user).filter(pk__in=ids).order_by().values_list("pk", flat=True)
    )


def require_writer(user: User) -> None:
    if not user_writes(user):
        raise PermissionDenied(_("You do not have permission to do this."))


def require_writable(user: User, account_id: int, *, field: str | None = None) -> Account:
    """The account `account_id`, which the user may change: NotFound when they do not see
    it (absent and invisible alike), a refusal when they see it but may not change it.
    `field` is the body field that named it: then an account they do not see is that
    field's error, with no hint whether it exists."""
    try:
        return writable_account_for(user, account_id)
    except NotFound as exc:
        if field is not None:
            raise ValidationError({field: _("No account with this ID.")}) from exc
        raise
    except PermissionDenied as exc:
        raise _refusal(field, _("You may not change data of this account.")) from exc


def _refusal(field: str | None, message: str) -> PermissionDenied:
    return FieldPermissionDenied(field, message) if field else PermissionDenied(message)


def may_delete_accounts(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role in ACCOUNT_DELETER_ROLES)
