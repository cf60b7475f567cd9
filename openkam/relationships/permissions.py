"""Who may change what we record about an account's people and contacts with them.

The rule is the product's one, in `openkam.accounts.selectors` (`user_writes`,
`accounts_editable_by`, `can_edit_account`): reading follows `accounts_visible_to`; writing
needs a role that works accounts (executive, director, KAM; superusers too) on an account the
user sees. Analysts and viewers read only, and a KAM of another team is refused (403) rather
than silently ignored. This module adds only the refusal.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from openkam.accounts.selectors import can_edit_account
from openkam.team.models import User


def require_edit(user: User, account_id: int) -> None:
    """Raise PermissionDenied (403) unless the user may write to the account."""
    if not can_edit_account(user, account_id):
        raise PermissionDenied
