"""Reusable reads about accounts. Every view and API goes through accounts_visible_to, and
fetches one account through account_for (read) or writable_account_for (write)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    When,
)
from django.utils.translation import gettext as _

from openkam.accounts.models import (
    Account,
    AccountTeamMember,
    AccountTeamRole,
    Competitor,
    CompetitorPresence,
)
from openkam.common.errors import NotFound
from openkam.team.models import Role, Team, TeamMembership, User


def teams_visible_to(user: User) -> QuerySet[Team]:
    """The team rule, written once: executives, analysts and superusers see every team; a
    director sees the teams they direct or belong to; a KAM or a viewer the teams they
    belong to. Everything that filters by team (accounts, form choices, the API's scope
    check) starts here."""
    if not user.is_authenticated or not user.is_active:
        return Team.objects.none()
    if user.sees_all_accounts:
        return Team.objects.all()
    member_of = Q(pk__in=TeamMembership.objects.filter(user=user).values("team_id"))
    if user.role == Role.DIRECTOR:
        member_of |= Q(director=user)
    return Team.objects.filter(member_of)


def _by_team(user: User, path: str = "") -> Q:
    """The accounts of the teams the user sees. `path` reaches the account from another
    model ("account__"), as visible_through does."""
    return Q(**{f"{path}team_id__in": teams_visible_to(user).values("pk")})


def _owned_by(user: User, path: str = "") -> Q:
    """The accounts the user owns, wherever they sit."""
    return Q(**{f"{path}owner": user})


def _worked_by(user: User, path: str = "") -> Q:
    """The sales scope: the accounts of the teams the user sees and those they own."""
    return _by_team(user, path) | _owned_by(user, path)


def _on_account_team(user: User, path: str = "") -> Q:
    """The accounts whose standing team the user is on (a subquery, no query of its own)."""
    return Q(**{f"{path}pk__in": AccountTeamMember.objects.filter(user=user).values("account_id")})


def accounts_visible_to(user: User) -> QuerySet[Account]:
    """Row-level visibility: the accounts of the teams the user sees (teams_visible_to), the
    accounts they own, wherever those sit, and those whose account team they are on (read
    only: writes go through accounts_worked_by)."""
    if not user.is_authenticated or not user.is_active:
        return Account.objects.none()
    if user.sees_all_accounts:
        return Account.objects.all()
    return Account.objects.filter(_worked_by(user) | _on_account_team(user))


def visible_in_parts(user: User) -> list[QuerySet[Account]]:
    """accounts_visible_to(user) cut into disjoint parts whose union it is, each read through
    an index: the accounts of the teams the user sees, then those they own or sit on the
    team of elsewhere. A sum over the set (a fingerprint, a count) is the sum over the parts,
    without the OR that makes the database fetch every one of the rows it unites."""
    if not user.is_authenticated or not user.is_active:
        return [Account.objects.none()]
    if user.sees_all_accounts:
        return [Account.objects.all()]
    return [
        Account.objects.filter(_by_team(user)),
        Account.objects.filter(_owned_by(user) | _on_account_team(user)).exclude(_by_team(user)),
    ]


def visible_through(user: User, field: str = "account") -> Q:
    """The same rule as accounts_visible_to, written on the account a row belongs to (its
    `field`), for lists of things that belong to accounts (plans, cases, opportunities): the
    database then checks each row's own account instead of first collecting every account the
    user sees, which costs as much as the accounts there are (100,000 in the big demo)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.sees_all_accounts:
        return Q()
    return _worked_by(user, f"{field}__") | _on_account_team(user, f"{field}__")


def owners_of(accounts: QuerySet[Account]) -> QuerySet[User]:
    """The users who own at least one of `accounts`: an EXISTS per user, which reads one
    owned account through the owner index."""
    return User.objects.filter(Exists(accounts.order_by().filter(owner_id=OuterRef("pk"))))


def teams_of(accounts: QuerySet[Account]) -> QuerySet[Team]:
    """The teams holding at least one of `accounts`, the same way as owners_of."""
    return Team.objects.filter(Exists(accounts.order_by().filter(team_id=OuterRef("pk"))))


def _holding_visible(user: User, outer: str) -> Q:
    """An account the user sees with `outer` (owner_id or team_id) equal to the outer row's
    key: accounts_visible_to's three ways in, each its own EXISTS so that each reads an
    index (by team, the user's own, the user's seats) instead of one OR that reads every
    account of every outer row (100,000 in the big demo)."""
    on_outer = {outer: OuterRef("pk")}
    by_team = Q(Exists(Account.objects.filter(_by_team(user), **on_outer)))
    if outer == "team_id":
        # A team the user sees holds an account they see as soon as it holds any.
        by_team = Q(Exists(Account.objects.filter(**on_outer))) & Q(
            pk__in=teams_visible_to(user).values("pk")
        )
    seats = AccountTeamMember.objects.filter(user=user, **{f"account__{outer}": OuterRef("pk")})
    return (
        by_team | Q(Exists(Account.objects.filter(_owned_by(user), **on_outer))) | Q(Exists(seats))
    )


def owners_visible_to(user: User) -> QuerySet[User]:
    """The users who own an account `user` sees (a filter's KAM choices): the same set as
    owners_of(accounts_visible_to(user)), read through the indexes."""
    if not user.is_authenticated or not user.is_active:
        return User.objects.none()
    if user.sees_all_accounts:
        return owners_of(Account.objects.all())
    return User.objects.filter(_holding_visible(user, "owner_id"))


def teams_holding_visible(user: User) -> QuerySet[Team]:
    """The teams holding an account `user` sees, the same way as owners_visible_to."""
    if not user.is_authenticated or not user.is_active:
        return Team.objects.none()
    if user.sees_all_accounts:
        return teams_of(Account.objects.all())
    return Team.objects.filter(_holding_visible(user, "team_id"))


def accounts_worked_by(user: User) -> QuerySet[Account]:
    """The accounts the user sees through the sales organisation (team or ownership), not
    merely as a member of an account team: the scope of every write."""
    if not user.is_authenticated or not user.is_active:
        return Account.objects.none()
    if user.sees_all_accounts:
        return Account.objects.all()
    return Account.objects.filter(_worked_by(user))


# Roles that work accounts, and so may change what we record about them; analysts and
# viewers read only.
WRITING_ROLES = frozenset({Role.EXECUTIVE, Role.DIRECTOR, Role.KAM})


def user_writes(user: User) -> bool:
    """Whether the user's role may write at all (then only to the accounts they see)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in WRITING_ROLES)
    )


def accounts_editable_by(user: User) -> QuerySet[Account]:
    """The accounts the user may change: those they work (accounts_worked_by), when their
    role writes at all. A seat on an account's team never adds to it."""
    if not user_writes(user):
        return Account.objects.none()
    return accounts_worked_by(user)


def can_edit_account(user: User, account_id: int) -> bool:
    return accounts_editable_by(user).filter(pk=account_id).exists()


def _identity(accounts: QuerySet[Account]) -> QuerySet[Account]:
    return accounts


def account_for(
    user: User,
    pk: int,
    *,
    shape: Callable[[QuerySet[Account]], QuerySet[Account]] = _identity,
) -> Account:
    """The account `pk` as `user` may read it, or NotFound (absent and invisible read alike).

    `shape` adds joins or annotations a page needs (select_related, a header's subqueries)
    to the visible accounts; visibility is applied here, so a caller cannot skip it.
    """
    try:
        return shape(accounts_visible_to(user)).get(pk=pk)
    except Account.DoesNotExist as exc:
        raise NotFound(_("No account with this ID.")) from exc


def writable_account_for(
    user: User,
    pk: int,
    *,
    shape: Callable[[QuerySet[Account]], QuerySet[Account]] = _identity,
) -> Account:
    """The account `pk` for a write: NotFound when the user does not see it, PermissionDenied
    when they see it but their role reads only (analyst, viewer) or they see it only from a
    seat on its account team (a KAM of another team helping there)."""
    if not user_writes(user):
        account_for(user, pk, shape=shape)  # NotFound first: a refusal tells no more than that
        raise PermissionDenied(_("You may not change data of this account."))
    if user.sees_all_accounts:
        return account_for(user, pk, shape=shape)

    def worked(accounts: QuerySet[Account]) -> QuerySet[Account]:
        # Whether the user works the account, read with it (no query of its own).
        scope = ExpressionWrapper(_worked_by(user), output_field=BooleanField())
        return shape(accounts).annotate(okam_worked=scope)

    account = account_for(user, pk, shape=worked)
    if not account.okam_worked:  # type: ignore[attr-defined]
        raise PermissionDenied(_("You may not change data of this account."))
    return account


def _subtree(account_id: int) -> list[tuple[int, int | None, int]]:
    """(id, parent_id, depth) of the account and every account below it, at any depth."""
    table = Account._meta.db_table
    sql = (
        f"WITH RECURSIVE tree(id, parent_id, depth) AS ("
        f" SELECT id, parent_id, 0 FROM {table} WHERE id = %s"
        f" UNION ALL SELECT child.id, child.parent_id, tree.depth + 1"
        f" FROM {table} child JOIN tree ON child.parent_id = tree.id"
        f" WHERE tree.depth < 50"
        f") SELECT id, parent_id, depth FROM tree"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [account_id])
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]


def descendant_ids(account_id: int) -> list[int]:
    """The account and every account below it in the group hierarchy."""
    return [row[0] for row in _subtree(account_id)]


def ancestors(account: Account) -> list[Account]:
    """Parents of the account, nearest first, in one query whatever the depth (a cycle,
    which clean() refuses, stops the chain where it closes)."""
    table = Account._meta.db_table
    sql = (
        f"WITH RECURSIVE chain(id, parent_id, depth) AS ("
        f" SELECT id, parent_id, 0 FROM {table} WHERE id = %s"
        f" UNION ALL SELECT up.id, up.parent_id, chain.depth + 1"
        f" FROM {table} up JOIN chain ON up.id = chain.parent_id"
        f" WHERE chain.depth < 50"
        f") SELECT a.id, a.legal_name, a.short_name, a.parent_id"
        f" FROM chain JOIN {table} a ON a.id = chain.id"
        f" WHERE chain.depth > 0 ORDER BY chain.depth"
    )
    chain: list[Account] = []
    seen = {account.pk}
    for parent in Account.objects.raw(sql, [account.pk]):
        if parent.pk in seen:
            break
        chain.append(parent)
        seen.add(parent.pk)
    return chain


# --- Competitors ---------------------------------------------------------------------------


def competitors_visible_to(user: User) -> QuerySet[Competitor]:
    """Competitors present at an account the user sees, and those recorded at no account
    yet (a name on its own tells nothing about another team)."""
    if not user.is_authenticated or not user.is_active:
        return Competitor.objects.none()
    if user.sees_all_accounts:
        return Competitor.objects.all()
    at_visible = CompetitorPresence.objects.filter(account__in=accounts_visible_to(user))
    return Competitor.objects.filter(
        Q(pk__in=at_visible.values("competitor_id"))
        | ~Q(pk__in=CompetitorPresence.objects.values("competitor_id"))
    )


COMPETITOR_SORTS = {
    "name": ("name",),
    "-accounts": ("-accounts", "name"),
    "-share": ("-average_share", "name"),
}


def competitor_rows(user: User, *, query: str = "", sort: str = "name") -> QuerySet[Competitor]:
    """The competitor list: each with the number of the user's visible accounts where it is
    present and its average share of wallet there."""
    visible = accounts_visible_to(user)
    at_visible = Q(presences__account__in=visible)
    rows = competitors_visible_to(user).annotate(
        accounts=Count("presences", filter=at_visible),
        average_share=Avg("presences__share_of_wallet", filter=at_visible),
    )
    if query.strip():
        q = query.strip()
        rows = rows.filter(
            Q(name__icontains=q)
            | Q(country__icontains=q)
            | Q(strengths__icontains=q)
            | Q(weaknesses__icontains=q)
        )
    keys = COMPETITOR_SORTS.get(sort, COMPETITOR_SORTS["name"])
    if keys[0] == "-average_share":
        return rows.order_by(F("average_share").desc(nulls_last=True), *keys[1:], "pk")
    return rows.order_by(*keys, "pk")


def competitor_for(user: User, pk: int) -> Competitor:
    try:
        return competitors_visible_to(user).get(pk=pk)
    except Competitor.DoesNotExist as exc:
        raise NotFound(_("No competitor with this ID.")) from exc


def competitor_presences(user: User, competitor: Competitor) -> QuerySet[CompetitorPresence]:
    """Where the competitor is present, among the accounts the user sees, largest share
    first."""
    return (
        CompetitorPresence.objects.filter(
            competitor=competitor, account__in=accounts_visible_to(user)
        )
        .select_related("account", "account__owner", "account__team")
        .order_by(F("share_of_wallet").desc(nulls_last=True), "account__legal_name", "pk")
    )


# --- The account team ----------------------------------------------------------------------


def account_team_managed_by(user: User, account: Account) -> bool:
    """Who may change the account's standing team: its KAM, the director of its team and
    executives (the account's `team` should be loaded with it: no query here). Other KAMs of
    the team and the team's own members read it."""
    if not user_writes(user):
        return False
    if user.is_superuser or user.role == Role.EXECUTIVE or account.owner_id == user.pk:
        return True
    return account.team is not None and account.team.director_id == user.pk


def account_team(account: Account) -> list[AccountTeamMember]:
    """The account's standing team, sponsor first then by function (one query)."""
    return list(
        AccountTeamMember.objects.filter(account=account)
        .select_related("user")
        .alias(sponsor_first=Case(When(role=AccountTeamRole.SPONSOR, then=0), default=1))
        .order_by("sponsor_first", "role", "user__display_name", "pk")
    )


def account_team_member_for(user: User, pk: int, *, write: bool = False) -> AccountTeamMember:
    """A seat on an account team through its account's access: NotFound when the user does not
    see the account; PermissionDenied on a write by someone who does not manage its team."""
    member = (
        AccountTeamMember.objects.filter(account__in=accounts_visible_to(user), pk=pk)
        .select_related("account__team", "user")
        .first()
    )
    if member is None:
        raise NotFound(_("No account team member with this ID."))
    if write and not account_team_managed_by(user, member.account):
        raise PermissionDenied(
            _("Only the account's KAM, its director or an executive may change its team.")
        )
    return member


def account_team_history(account: Account, *, limit: int = 30) -> list[Any]:
    """Who added, changed or removed whom on the account's team, and when, newest first."""
    return list(
        AccountTeamMember.history.filter(account_id=account.pk)
        .select_related("history_user", "user")
        .order_by("-history_date", "-history_id")[:limit]
    )
