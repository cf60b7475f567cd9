"""Group hierarchies of any depth; figures roll up through every level."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from openkam.accounts.selectors import ancestors, descendant_ids
from openkam.factories import AccountFactory, AccountMonthFactory
from openkam.ledger.hierarchy import hierarchy_rollup

pytestmark = pytest.mark.django_db


@pytest.fixture
def group() -> dict[str, object]:
    """集团 -> 两家子公司 -> 一家孙公司 (three levels), plus an unrelated account."""
    root = AccountFactory.create(legal_name="远景电梯集团有限公司")
    east = AccountFactory.create(legal_name="远景电梯(上海)有限公司", parent=root)
    south = AccountFactory.create(legal_name="远景电梯(广州)有限公司", parent=root)
    plant = AccountFactory.create(legal_name="远景电梯(苏州)制造有限公司", parent=east)
    outsider = AccountFactory.create(legal_name="无关客户有限公司")
    revenue = {root: "100.00", east: "200.00", south: "300.00", plant: "400.00", outsider: "999"}
    for account, amount in revenue.items():
        AccountMonthFactory.create(account=account, month=dt.date(2026, 1, 1), revenue=amount)
        AccountMonthFactory.create(account=account, month=dt.date(2025, 1, 1), revenue=amount)
    return {"root": root, "east": east, "south": south, "plant": plant, "outsider": outsider}


def test_revenue_rolls_up_through_three_levels(group: dict) -> None:
    tree = hierarchy_rollup(group["root"])
    assert tree.own_revenue == Decimal("200.00")
    assert tree.rolled_up_revenue == Decimal("2000.00")
    by_name = {node.account.legal_name: node for node in tree.children}
    east = by_name["远景电梯(上海)有限公司"]
    assert east.rolled_up_revenue == Decimal("1200.00")
    assert [child.account.pk for child in east.children] == [group["plant"].pk]
    assert east.children[0].depth == 2
    assert by_name["远景电梯(广州)有限公司"].rolled_up_revenue == Decimal("600.00")


def test_rollup_can_be_limited_to_recent_months(group: dict) -> None:
    tree = hierarchy_rollup(group["root"], since=dt.date(2026, 1, 1))
    assert tree.rolled_up_revenue == Decimal("1000.00")


def test_subtree_of_a_leaf_is_the_leaf(group: dict) -> None:
    assert descendant_ids(group["plant"].pk) == [group["plant"].pk]
    assert hierarchy_rollup(group["plant"]).rolled_up_revenue == Decimal("800.00")


def test_descendants_exclude_unrelated_accounts(group: dict) -> None:
    ids = set(descendant_ids(group["root"].pk))
    assert ids == {group[key].pk for key in ("root", "east", "south", "plant")}


def test_ancestors_are_listed_nearest_first(group: dict) -> None:
    assert [a.pk for a in ancestors(group["plant"])] == [group["east"].pk, group["root"].pk]


def test_an_account_cannot_become_its_own_ancestor(group: dict) -> None:
    root = group["root"]
    root.parent = group["plant"]
    with translation.override("en"), pytest.raises(ValidationError, match="own ancestor"):
        root.full_clean()


def test_an_invalid_credit_code_is_refused_on_validation() -> None:
    account = AccountFactory.build(credit_code="914403001922038217")
    with translation.override("en"), pytest.raises(ValidationError, match="expected 6"):
        account.full_clean()
