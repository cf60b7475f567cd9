"""A group contract covers the companies below its account as the group is now: written with
the contract, and brought up to date after every refresh (a subsidiary added later counts)."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.conftest import World
from openkam.contracts.execution import covered_ids
from openkam.contracts.tests.builders import contract
from openkam.factories import AccountFactory
from openkam.portfolio.hooks import run_after_refresh

pytestmark = pytest.mark.django_db


def test_a_subsidiary_added_later_is_covered_after_the_next_refresh(world: World) -> None:
    group = contract(world.account, covers_group=True)
    single = contract(world.account)
    child = AccountFactory.create(parent=world.account, team=world.team)
    grandchild = AccountFactory.create(parent=child, team=world.team)
    assert covered_ids([group])[group.pk] == {world.account.pk}
    run_after_refresh(dt.date(2026, 6, 30), warm=False)
    found = covered_ids([group, single])
    assert found[group.pk] == {world.account.pk, child.pk, grandchild.pk}
    assert found[single.pk] == {world.account.pk}
