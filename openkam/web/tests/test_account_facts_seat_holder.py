"""A seat on an account's team shows the account's facts but never lets its holder add, edit
or remove one, whatever their role: the fact pages fetch through writable_account_for (the one
rule, accounts_editable_by), so the answer is 403 with nothing saved. The account's KAM and the
director still write."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openkam.accounts.models import AccountTeamMember, AccountTeamRole, Need
from openkam.conftest import World, client_for
from openkam.team.models import User

pytestmark = pytest.mark.django_db
NEED = {"kind": "cost", "priority": "high", "description": "降低库存资金占用", "status": "open"}


def _seated(world: World) -> User:
    """Another team's KAM (a role that writes) seated on the account's team as support."""
    AccountTeamMember.objects.create(
        account=world.account, user=world.other_kam, role=AccountTeamRole.OTHER
    )
    return world.other_kam


def test_a_seat_holder_may_not_add_edit_or_remove_a_fact(world: World) -> None:
    ours = Need.objects.create(account=world.account, kind="price", description="降价")
    client = client_for(_seated(world))
    assert client.get(reverse("accounts:detail", args=[world.account.pk])).status_code == 200
    add = reverse("accounts:fact_add", args=[world.account.pk, "need"])
    assert client.get(add).status_code == 403
    assert client.post(add, NEED).status_code == 403
    edit = reverse("accounts:fact_edit", args=[world.account.pk, "need", ours.pk])
    assert client.post(edit, NEED).status_code == 403
    delete = reverse("accounts:fact_delete", args=[world.account.pk, "need", ours.pk])
    assert client.post(delete).status_code == 403
    assert list(Need.objects.values_list("description", flat=True)) == ["降价"]


@pytest.mark.parametrize("persona", ["kam", "director"])
def test_the_accounts_kam_and_director_still_add_a_fact(world: World, persona: str) -> None:
    _seated(world)
    add = reverse("accounts:fact_add", args=[world.account.pk, "need"])
    response = client_for(getattr(world, persona)).post(add, {**NEED, "owner": world.kam.pk})
    assert response.status_code == 302
    assert Need.objects.get().description == "降低库存资金占用"


def test_a_seat_holder_is_offered_no_write_on_the_tabs_and_cards(world: World) -> None:
    """The tabs' add links and the cards' "new ..." buttons only for who may change the
    account: a seat holder would meet a 403 behind each of them."""
    seated = client_for(_seated(world))
    kam = client_for(world.kam)
    cards = reverse("accounts:tab", args=[world.account.pk, "cards"])
    needs = reverse("accounts:tab", args=[world.account.pk, "needs"])
    for url, marker in ((cards, 'data-testid="create-contract"'), (needs, 'data-testid="add-')):
        assert marker in kam.get(url).content.decode()
        page = seated.get(url)
        assert page.status_code == 200
        assert marker not in page.content.decode()
