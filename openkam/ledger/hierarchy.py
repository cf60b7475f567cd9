"""An account's group: the companies above it and the subtree below it, with the revenue
rolled up through every level from the ledger's monthly aggregates. The account page's group
tab and the API's hierarchy read it here, so both show the same figures.

The visibility rule of a group, written once here (README, Security): a member the user may
not see is counted, never named, and its figures are left out. The breadcrumb, the group tab,
the API's hierarchy and the account list's export show the visible members only, with a count
of the others; revenue rolls up over the visible members only (a total over hidden ones would
give their figures away by subtraction)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from openkam.accounts.models import Account
from openkam.accounts.selectors import accounts_visible_to, ancestors, descendant_ids
from openkam.common.months import MonthWindow, trailing_months
from openkam.ledger.models import AccountMonth
from openkam.team.models import User


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
    accounts = Account.objects.in_bulk(descendant_ids(account.pk))
    months = AccountMonth.objects.filter(account_id__in=list(accounts))
    if since is not None:
        months = months.filter(month__gte=since)
    revenue = {
        item["account_id"]: item["total"] or Decimal("0")
        for item in months.values("account_id").annotate(total=Sum("revenue"))
    }
    root = HierarchyNode(account=accounts[account.pk], depth=0, own_revenue=Decimal("0"))
    walked = _walk_down(root, accounts)
    for node in walked:
        node.own_revenue = Decimal(revenue.get(node.account.pk, Decimal("0")))
    for node in reversed(walked):  # children before their parents
        node.rolled_up_revenue = node.own_revenue + sum(
            (child.rolled_up_revenue for child in node.children), Decimal("0")
        )
    return root


def _walk_down(root: HierarchyNode, accounts: dict[int, Account]) -> list[HierarchyNode]:
    """The nodes below `root`, parents before children, each reached once (a cycle, which
    clean() refuses, stops where it closes)."""
    below: dict[int, list[Account]] = {}
    for item in sorted(accounts.values(), key=lambda item: item.pk):
        if item.parent_id is not None and item.pk != root.account.pk:
            below.setdefault(item.parent_id, []).append(item)
    walked, seen = [root], {root.account.pk}
    for node in walked:  # grows while it is read: a breadth-first walk
        for child in below.get(node.account.pk, []):
            if child.pk not in seen:
                seen.add(child.pk)
                node.children.append(HierarchyNode(child, node.depth + 1, Decimal("0")))
                walked.append(node.children[-1])
    return walked


@dataclass(frozen=True)
class HierarchyRow:
    account: Account
    depth: int  # among the visible members: a hidden level in between is not counted
    own_revenue: Decimal
    rolled_up_revenue: Decimal  # over the visible members at and below this one
    visible: bool
    parent_id: int | None  # the nearest visible company above, never a hidden one


def visible_among(user: User, ids: Iterable[int]) -> set[int]:
    """Which of the accounts `ids` the user may open (one query; none when `ids` is empty)."""
    wanted = list(ids)
    if not wanted:
        return set()
    visible = accounts_visible_to(user).filter(pk__in=wanted).order_by()
    return set(visible.values_list("pk", flat=True))


def with_parent_visibility(accounts: QuerySet[Account], *, user: User) -> QuerySet[Account]:
    """Annotate `parent_visible`: whether the user may see the account's parent, so a list or
    an export names a parent only when it is visible (the group rule)."""
    parents = accounts_visible_to(user).filter(pk=OuterRef("parent_id"))
    return accounts.annotate(parent_visible=Exists(parents))


def shown_parent_name(account: Account) -> str:
    """The parent's name when visible (with_parent_visibility), else only that there is one."""
    if account.parent_id is None:
        return ""
    if not getattr(account, "parent_visible", False):
        return str(_("Not visible to you"))
    return account.parent.legal_name if account.parent else ""


def _prune(node: HierarchyNode, visible: set[int]) -> list[HierarchyNode]:
    """The visible members of `node`'s subtree as trees of their own: a hidden member drops
    out and its visible children move up to the nearest visible member."""
    kept = [top for child in node.children for top in _prune(child, visible)]
    if node.account.pk not in visible:
        return kept
    return [HierarchyNode(node.account, 0, node.own_revenue, children=kept)]


def _sum_up(node: HierarchyNode, depth: int) -> None:
    node.depth = depth
    for child in node.children:
        _sum_up(child, depth + 1)
    node.rolled_up_revenue = node.own_revenue + sum(
        (child.rolled_up_revenue for child in node.children), Decimal("0")
    )


def _flatten(node: HierarchyNode, parent_id: int | None) -> list[tuple[HierarchyNode, int | None]]:
    children = sorted(node.children, key=lambda child: (-child.rolled_up_revenue, child.depth))
    below = (row for child in children for row in _flatten(child, node.account.pk))
    return [(node, parent_id), *below]


@dataclass(frozen=True)
class LinkedAccount:
    account: Account
    visible: bool


@dataclass(frozen=True)
class GroupStructure:
    ancestors: list[LinkedAccount]  # the visible parents only, nearest first
    rows: list[HierarchyRow]  # the visible members only, the account first
    window: MonthWindow
    hidden_parents: int = 0
    hidden_members: int = 0  # companies below the account the user may not see

    @property
    def has_group(self) -> bool:
        return bool(self.ancestors or self.hidden_parents or self.hidden_members) or (
            len(self.rows) > 1
        )


@dataclass(frozen=True)
class GroupHeader:
    ancestors: list[LinkedAccount]  # the visible parents only, nearest first
    below: int  # companies anywhere below the account, visible or not (counted, not named)
    hidden_parents: int = 0


def _visible_parents(parents: list[Account], visible: set[int]) -> list[LinkedAccount]:
    return [LinkedAccount(parent, True) for parent in parents if parent.pk in visible]


def group_header(account: Account, *, user: User) -> GroupHeader:
    """What the account page's breadcrumb and group tab show before the tab is opened: the
    parents the user may see, how many they may not, and how many companies sit below."""
    parents = ancestors(account)
    visible = visible_among(user, (parent.pk for parent in parents))
    below = getattr(account, "below", None)  # annotated by account_header
    return GroupHeader(
        ancestors=_visible_parents(parents, visible),
        below=len(descendant_ids(account.pk)) - 1 if below is None else below,
        hidden_parents=len(parents) - len(visible),
    )


def group_structure(account: Account, *, user: User, today: dt.date) -> GroupStructure:
    """The visible parents (nearest first) and visible members of the subtree with their
    revenue of the last 12 months rolled up over visible members; the others counted."""
    window = trailing_months(today)
    parents = ancestors(account)
    tree = hierarchy_rollup(account, since=window.start)
    everyone = [node.account.pk for node, _parent in _flatten(tree, None)]
    visible = visible_among(user, [parent.pk for parent in parents] + everyone)
    visible.add(account.pk)  # fetched through account_for: the user sees it
    (root,) = _prune(tree, visible)
    _sum_up(root, 0)
    shown = _visible_parents(parents, visible)
    rows = [
        HierarchyRow(
            node.account, node.depth, node.own_revenue, node.rolled_up_revenue, True, parent_id
        )
        for node, parent_id in _flatten(root, shown[0].account.pk if shown else None)
    ]
    return GroupStructure(
        ancestors=shown,
        rows=rows,
        window=window,
        hidden_parents=len(parents) - len(shown),
        hidden_members=len(everyone) - len(rows),
    )
