"""Who may change what we record about an account's people and contacts with them.

The rule is the product's one, in `openkam.accounts.selectors` (`accounts_editable_by`):
reading follows `accounts_visible_to`; writing needs a role that works accounts (executive,
director, KAM; superusers too) on an account the user sees. Analysts and viewers read only,
and a KAM of another team is refused (403) rather than silently ignored. This module adds
only the refusal; the other names are the accounts selector's, kept importable from here for
the callers outside this app that still import them from here.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from openkam.accounts.selectors import WRITING_ROLES, accounts_editable_by, can_edit_account
from openkam.team.models import User

__all__ = ["accounts_editable_by", "can_edit_account", "require_edit", "user_writes"]


def user_writes(user: User) -> bool:
    """Whether the user's role may write at all (then only to the accounts they see)."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in WRITING_ROLES)
    )


def require_edit(user: User, account_id: int) -> None:
    """Raise PermissionDenied (403) unless the user may write to the account."""
    if not can_edit_account(user, account_id):
        raise PermissionDenied
