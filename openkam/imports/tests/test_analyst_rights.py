"""The analyst's rights (README, the users table): analysts run the ERP imports (upload,
matches, rejected rows again) but do not merge accounts nor undo a merge; the duplicates page
shows them the pairs without the merge buttons. Executives and administrators merge."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openkam.accounts.models import Account
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.imports.merging import account_merge
from openkam.imports.models import AccountMerge
from openkam.imports.selectors import import_permitted, merge_permitted
from openkam.team.models import User

pytestmark = pytest.mark.django_db


def _pair() -> tuple[Account, Account]:
    keep = AccountFactory.create(legal_name="上海东方电梯有限公司")
    drop = AccountFactory.create(legal_name="上海东方电梯股份有限公司")
    return keep, drop


def test_an_analyst_may_not_merge_accounts_and_nothing_is_saved(world: World) -> None:
    keep, drop = _pair()
    response = client_for(world.analyst).post(
        reverse("imports:merge"), {"keep": keep.pk, "drop": drop.pk}
    )
    assert response.status_code == 403
    assert Account.objects.filter(pk=drop.pk).exists()
    assert not AccountMerge.objects.exists()


def test_an_analyst_may_not_undo_a_merge_and_nothing_is_saved(world: World) -> None:
    keep, drop = _pair()
    merge = account_merge(keep=keep, drop=drop, user=world.executive)
    response = client_for(world.analyst).post(reverse("imports:merge_undo", args=[merge.pk]))
    assert response.status_code == 403
    assert not Account.objects.filter(pk=drop.pk).exists()
    merge.refresh_from_db()
    assert merge.undone_at is None


def test_an_analyst_sees_the_duplicates_without_merge_buttons(world: World) -> None:
    _pair()
    account_merge(keep=AccountFactory.create(), drop=AccountFactory.create(), user=world.executive)
    response = client_for(world.analyst).get(reverse("imports:duplicates"), {"q": "东方"})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="duplicate-row"' in content
    assert 'data-testid="merge-row"' in content
    assert "merge-keep-first" not in content
    assert "merge-undo" not in content


def test_an_executive_sees_the_merge_buttons(world: World) -> None:
    _pair()
    account_merge(keep=AccountFactory.create(), drop=AccountFactory.create(), user=world.executive)
    content = client_for(world.executive).get(reverse("imports:duplicates"), {"q": "东方"})
    assert "merge-keep-first" in content.content.decode()
    assert "merge-undo" in content.content.decode()


def test_the_rights_by_role(world: World, superuser: User) -> None:
    imports = {u.username: import_permitted(u) for u in _everyone(world)}
    merges = {u.username: merge_permitted(u) for u in _everyone(world)}
    assert imports == {"exec": True, "analyst1": True, "dir": False, "kam1": False,
                       "viewer1": False}  # fmt: skip
    assert merges == {"exec": True, "analyst1": False, "dir": False, "kam1": False,
                      "viewer1": False}  # fmt: skip
    assert merge_permitted(superuser)


def _everyone(world: World) -> list[User]:
    return [world.executive, world.analyst, world.director, world.kam, world.viewer]
