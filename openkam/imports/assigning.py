"""Giving accounts a team and an owner: the accounts an import created (no team, no owner)
and a director's own team's accounts, several at once. An executive assigns to any team; a
director to the teams they direct, and only accounts without a team or already in one of those
(any other is absent: 404). Every change is a version of the account (django-simple-history),
by the user who made it.

It lives with the imports (where accounts without a team come from) rather than in team: the
layers put team below accounts, which this reads and writes."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from openkam.accounts.models import Account
from openkam.common.errors import NotFound
from openkam.team.models import Role, Team, User

SORTS = {
    "name": ("legal_name", "pk"),
    "-name": ("-legal_name", "-pk"),
    "team": ("team__name", "legal_name", "pk"),
    "owner": ("owner__username", "legal_name", "pk"),
    "created": ("created_at", "pk"),
    "-created": ("-created_at", "-pk"),
}
DEFAULT_SORT = "-created"
# The versions' reason, stored in one language whoever assigns (the history page shows it).
CHANGE_REASON = "assigned to a team and an owner"


def assign_permitted(user: User) -> bool:
    """Executives (and administrators) and directors; KAMs, analysts and viewers may not."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in (Role.EXECUTIVE, Role.DIRECTOR))
    )


def _everywhere(user: User) -> bool:
    return bool(user.is_superuser or user.role == Role.EXECUTIVE)


def assign_teams(user: User) -> QuerySet[Team]:
    """The teams the user may assign accounts to: every team, or the teams they direct."""
    if not assign_permitted(user):
        return Team.objects.none()
    return Team.objects.all() if _everywhere(user) else Team.objects.filter(director=user)


def accounts_assignable(user: User) -> QuerySet[Account]:
    """The accounts the user may assign: an executive's, those without a team or without an
    owner; a director's, those without a team and those of the teams they direct."""
    if not assign_permitted(user):
        return Account.objects.none()
    if _everywhere(user):
        return Account.objects.filter(Q(team__isnull=True) | Q(owner__isnull=True))
    return Account.objects.filter(
        Q(team__isnull=True) | Q(team_id__in=assign_teams(user).values("pk"))
    )


def accounts_listed(user: User, *, query: str = "", sort: str = DEFAULT_SORT) -> QuerySet[Account]:
    accounts = accounts_assignable(user).select_related("team", "owner")
    if query:
        accounts = accounts.filter(
            Q(legal_name__icontains=query)
            | Q(short_name__icontains=query)
            | Q(credit_code__icontains=query)
        )
    return accounts.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def team_kams(team: Team | None = None) -> QuerySet[User]:
    """The active KAMs of a team (every team's when None): who may own its accounts."""
    kams = User.objects.filter(is_active=True, role=Role.KAM)
    if team is not None:
        kams = kams.filter(teammembership__team=team)
    return kams.distinct().order_by("display_name", "username")


@transaction.atomic
def accounts_assign(
    *, user: User, account_ids: Collection[int], team: Team, owner: User | None
) -> int:
    """Give the accounts the team and the owner (None: no owner), a version of each recorded
    by the user. Every id must be an account the user may assign (NotFound otherwise, nothing
    changed); the team one they may assign to and the owner a KAM of it (ValidationError
    naming the field)."""
    if not assign_teams(user).filter(pk=team.pk).exists():
        raise ValidationError({"team": _("You may not assign accounts to this team.")})
    if owner is not None and not team_kams(team).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("The owner must be a key account manager of the team.")})
    wanted = set(account_ids)
    accounts = list(accounts_assignable(user).filter(pk__in=wanted).select_for_update())
    if not wanted or len(accounts) != len(wanted):
        raise NotFound(_("No account with this ID."))
    now = timezone.now()
    for account in accounts:
        account.team, account.owner, account.updated_at = team, owner, now
    bulk_update_with_history(
        accounts,
        Account,
        ["team", "owner", "updated_at"],
        default_user=user,
        default_change_reason=CHANGE_REASON,
    )
    return len(accounts)
