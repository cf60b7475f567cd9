"""Who may change what, the same rule as the pages: reading goes through accounts_visible_to;
writing needs a role that edits account data (executive, director, key account manager, or a
superuser) and an account the user sees. Analysts and viewers read only.

Over the API a row the user may not see reads as 404; a write to a row that exists but that the
user may not change (or to an account of another team) is a 403, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import accounts_editable_by, user_writes
from openkam.api.errors import field_error, forbidden, invalid
from openkam.team.models import Role, Team, TeamMembership, User

# Deleting an account is a management decision, not a KAM's.
ACCOUNT_DELETER_ROLES = frozenset({Role.EXECUTIVE, Role.DIRECTOR})


def writes_account_data(user: User) -> bool:
    """The pages' rule (openkam.relationships.permissions), one for the whole product."""
    return user_writes(user)


def accounts_writable_by(user: User) -> QuerySet[Account]:
    return accounts_editable_by(user)


def writable_account_ids(user: User, account_ids: Iterable[int]) -> set[int]:
    ids = set(account_ids)
    if not ids:
        return set()
    return set(
        accounts_writable_by(user).filter(pk__in=ids).order_by().values_list("pk", flat=True)
    )


def require_writer(user: User) -> None:
    if not writes_account_data(user):
        raise forbidden()


def require_writable(user: User, account_id: int, *, loc: list[str | int] | None = None) -> None:
    if account_id in writable_account_ids(user, [account_id]):
        return
    if loc is not None and not Account.objects.filter(pk=account_id).exists():
        raise invalid([field_error(loc, _("No account with this ID."))])
    message = _("You may not change data of this account.")
    raise forbidden(errors=[field_error(loc, message)] if loc is not None else [])


def require_in_scope(user: User, *, team_id: int | None, owner_id: int | None) -> None:
    """An account a non-executive creates or edits must stay one they see: in one of their
    teams (or a team they direct), or owned by them."""
    require_writer(user)
    if user.sees_all_accounts:
        return
    if owner_id == user.pk:
        return
    teams = set(TeamMembership.objects.filter(user=user).values_list("team_id", flat=True))
    if user.role == Role.DIRECTOR:
        teams |= set(Team.objects.filter(director=user).values_list("id", flat=True))
    if team_id is None or team_id not in teams:
        message = _("The account would be outside your teams: choose one of your teams or own it.")
        raise forbidden(errors=[field_error(["team_id"], message)])


def may_delete_accounts(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.role in ACCOUNT_DELETER_ROLES)
