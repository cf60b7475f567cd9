"""Reusable reads about accounts. Every view and API goes through accounts_visible_to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Q, QuerySet, Sum

from openkam.accounts.models import Account
from openkam.ledger.models import AccountMonth
from openkam.team.models import Role, Team, TeamMembership, User


def accounts_visible_to(user: User) -> QuerySet[Account]:
    """Row-level visibility: executives, analysts and superusers see every account; a
    director sees the accounts of the teams they direct or belong to; a KAM or a viewer
    sees the accounts of the teams they belong to and the accounts they own."""
    if not user.is_authenticated or not user.is_active:
        return Account.objects.none()
    if user.sees_all_accounts:
        return Account.objects.all()
    visible = Q(team_id__in=TeamMembership.objects.filter(user=user).values("team_id"))
    visible |= Q(owner=user)
    if user.role == Role.DIRECTOR:
        visible |= Q(team_id__in=Team.objects.filter(director=user).values("id"))
    return Account.objects.filter(visible)


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
    """The accounts the user may change: those they see, when their role writes at all."""
    if not user_writes(user):
        return Account.objects.none()
    return accounts_visible_to(user)


def can_edit_account(user: User, account_id: int) -> bool:
    return accounts_editable_by(user).filter(pk=account_id).exists()


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


@dataclass
class HierarchyNode:
    account: Account
    depth: int
    own_revenue: Decimal
    rolled_up_revenue: Decimal = Decimal("0")
    children: list[HierarchyNode] = field(default_factory=list)


def hierarchy_rollup(account: Account, *, since: dt.date | None = None) -> HierarchyNode:
    """The group below `account` with revenue rolled up through every level.

    Revenue comes from the per-account monthly aggregates (never from order lines);
    `since` limits it to months starting on or after that date.
    """
    rows = _subtree(account.pk)
    ids = [row[0] for row in rows]
    months = AccountMonth.objects.filter(account_id__in=ids)
    if since is not None:
        months = months.filter(month__gte=since)
    revenue = {
        item["account_id"]: item["total"] or Decimal("0")
        for item in months.values("account_id").annotate(total=Sum("revenue"))
    }
    accounts = Account.objects.in_bulk(ids)
    nodes = {
        account_id: HierarchyNode(
            account=accounts[account_id],
            depth=depth,
            own_revenue=Decimal(revenue.get(account_id, Decimal("0"))),
        )
        for account_id, _parent, depth in rows
    }
    for account_id, parent_id, _depth in sorted(rows, key=lambda row: row[2]):
        if account_id != account.pk and parent_id in nodes:
            nodes[parent_id].children.append(nodes[account_id])
    for account_id, _parent, _depth in sorted(rows, key=lambda row: -row[2]):
        node = nodes[account_id]
        node.rolled_up_revenue = node.own_revenue + sum(
            (child.rolled_up_revenue for child in node.children), Decimal("0")
        )
    return nodes[account.pk]
