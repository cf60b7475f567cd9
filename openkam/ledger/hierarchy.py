"""An account's group: the companies above it and the subtree below it, with the revenue
rolled up through every level from the ledger's monthly aggregates. The account page's group
tab and the API's hierarchy read it here, so both show the same figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

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
    depth: int
    own_revenue: Decimal
    rolled_up_revenue: Decimal
    visible: bool


def _flatten(node: HierarchyNode) -> list[HierarchyNode]:
    children = sorted(node.children, key=lambda child: (-child.rolled_up_revenue, child.depth))
    return [node, *(row for child in children for row in _flatten(child))]


@dataclass(frozen=True)
class LinkedAccount:
    account: Account
    visible: bool


@dataclass(frozen=True)
class GroupStructure:
    ancestors: list[LinkedAccount]
    rows: list[HierarchyRow]
    window: MonthWindow

    @property
    def has_group(self) -> bool:
        return bool(self.ancestors) or len(self.rows) > 1


@dataclass(frozen=True)
class GroupHeader:
    ancestors: list[LinkedAccount]
    below: int  # companies anywhere below the account


def group_header(account: Account, *, user: User) -> GroupHeader:
    """What the account page's breadcrumb and group tab show before the tab is opened: the
    parents (linked when the user may open them) and how many companies sit below."""
    parents = ancestors(account)
    ids = [parent.pk for parent in parents]
    visible = (
        set(accounts_visible_to(user).filter(pk__in=ids).order_by().values_list("pk", flat=True))
        if ids
        else set()
    )
    below = getattr(account, "below", None)  # annotated by account_header
    return GroupHeader(
        ancestors=[LinkedAccount(parent, parent.pk in visible) for parent in parents],
        below=len(descendant_ids(account.pk)) - 1 if below is None else below,
    )


def group_structure(account: Account, *, user: User, today: dt.date) -> GroupStructure:
    """Parents (nearest first) and the subtree with its rolled-up revenue of the last 12
    months; `visible` says which of them the user may open."""
    window = trailing_months(today)
    parents = ancestors(account)
    nodes = _flatten(hierarchy_rollup(account, since=window.start))
    ids = {parent.pk for parent in parents} | {node.account.pk for node in nodes}
    visible = set(
        accounts_visible_to(user).filter(pk__in=ids).order_by().values_list("pk", flat=True)
    )
    return GroupStructure(
        ancestors=[LinkedAccount(parent, parent.pk in visible) for parent in parents],
        rows=[
            HierarchyRow(
                account=node.account,
                depth=node.depth,
                own_revenue=node.own_revenue,
                rolled_up_revenue=node.rolled_up_revenue,
                visible=node.account.pk in visible,
            )
            for node in nodes
        ],
        window=window,
    )
