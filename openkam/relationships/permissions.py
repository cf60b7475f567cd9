"""Who may change what we record about an account's people and contacts with them.

Reading follows `accounts_visible_to`. Writing needs a role that works accounts (executive,
director, KAM; superusers too) on an account the user sees: analysts and viewers read only,
and a KAM of another team is refused (403) rather than silently ignored.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from openkam.accounts.models import Account
from openkam.accounts.selectors import accounts_visible_to
from openkam.team.models import Role, User

WRITING_ROLES = frozenset({Role.EXECUTIVE, Role.DIRECTOR, Role.KAM})


def user_writes(user: User) -> bool:
    """Whether the user's role may write at all (then only to the accounts they see)."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in WRITING_ROLES)
    )


def accounts_editable_by(user: User) -> QuerySet[Account]:
    if not user_writes(user):
        return Account.objects.none()
    return accounts_visible_to(user)


def can_edit_account(user: User, account_id: int) -> bool:
    return accounts_editable_by(user).filter(pk=account_id).exists()


def require_edit(user: User, account_id: int) -> None:
    """Raise PermissionDenied (403) unless the user may write to the account."""
    if not can_edit_account(user, account_id):
        raise PermissionDenied
