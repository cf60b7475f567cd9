"""The account page's side cards as each persona reads them: the contracts card lists the
account's own live contracts and a parent's group contract only for those who see the parent
(its visibility is asked of the parent, not of every account the user sees); the
opportunities card lists the account's open opportunities with their weighted amounts; the
write buttons go to the roles that write; another team's KAM gets 404, a seat holder on the
account team reads the cards."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import AccountTeamMember, AccountTeamRole
from openkam.conftest import World, client_for
from openkam.contracts.tests.builders import contract
from openkam.factories import AccountFactory, MembershipFactory, TeamFactory, UserFactory
from openkam.pipeline.models import Stage
from openkam.pipeline.tests.builders import opportunity
from openkam.team.models import Role, User

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def cards_world(world: World) -> World:
    """The account sits under another team's parent, whose group contract covers it; the
    account has a contract of its own, an expired one, and open and lost opportunities."""
    today = timezone.localdate()
    parent = AccountFactory.create(team=world.other_team, owner=world.other_kam)
    world.account.parent = parent
    world.account.save(update_fields=["parent"])
    starts, ends = today - dt.timedelta(days=30), today + dt.timedelta(days=300)
    contract(parent, number="HT-GROUP", covers_group=True, starts_on=starts, ends_on=ends)
    contract(world.account, number="HT-OWN", starts_on=starts, ends_on=ends)
    contract(
        world.account,
        number="HT-OLD",
        starts_on=today - dt.timedelta(days=400),
        ends_on=today - dt.timedelta(days=40),
    )
    opportunity(world.account, title="开放的商机", amount="200000", stage=Stage.QUOTATION)
    opportunity(world.account, title="输掉的商机", stage=Stage.LOST)
    opportunity(world.other_account, title="别队的商机")
    return world


def _seat_holder(world: World) -> User:
    """A KAM of a third team, seated on the account's team (reads it, writes nothing)."""
    seated = UserFactory.create(username="seated", role=Role.KAM)
    MembershipFactory.create(team=TeamFactory.create(name="华北大客户部"), user=seated)
    AccountTeamMember.objects.create(
        account=world.account, user=seated, role=AccountTeamRole.QUALITY
    )
    return seated


def _cards(user: User, world: World) -> str:
    response = client_for(user).get(reverse("accounts:tab", args=[world.account.pk, "cards"]))
    assert response.status_code == 200
    return response.content.decode()


# Who sees the parent's group contract, and who is offered "new contract" / "new opportunity".
PERSONAS = [
    ("kam", False, True),
    ("director", False, True),
    ("executive", True, True),
    ("viewer", False, False),
]


@pytest.mark.parametrize(("persona", "sees_group", "writes"), PERSONAS)
def test_each_persona_reads_the_contracts_its_visibility_allows(
    cards_world: World, persona: str, sees_group: bool, writes: bool
) -> None:
    page = _cards(getattr(cards_world, persona), cards_world)
    assert page.count('data-testid="account-contract"') == (2 if sees_group else 1)
    assert "HT-OWN" in page
    assert ("HT-GROUP" in page) is sees_group
    assert ("Group contract" in page) is sees_group
    assert "HT-OLD" not in page  # expired
    assert ('data-testid="create-contract"' in page) is writes
    assert ('data-testid="create-opportunity"' in page) is writes


@pytest.mark.parametrize(("persona", "sees_group", "writes"), PERSONAS)
def test_each_persona_reads_the_open_opportunities_with_their_weighted_amount(
    cards_world: World, persona: str, sees_group: bool, writes: bool
) -> None:
    page = _cards(getattr(cards_world, persona), cards_world)
    assert page.count('data-testid="account-opportunity"') == 1
    assert "开放的商机" in page
    assert "输掉的商机" not in page
    assert "别队的商机" not in page
    # Quotation: 200,000 x 50 % = 100,000.
    assert "¥200K · Weighted ¥100K" in page


def test_the_group_contracts_owner_sees_it_on_the_parent_but_not_the_childs_cards(
    cards_world: World,
) -> None:
    other_kam = client_for(cards_world.other_kam)
    tab = reverse("accounts:tab", args=[cards_world.account.pk, "cards"])
    assert other_kam.get(tab).status_code == 404
    parent = cards_world.account.parent
    assert parent is not None
    page = other_kam.get(reverse("accounts:tab", args=[parent.pk, "cards"])).content.decode()
    assert "HT-GROUP" in page
    assert "HT-OWN" not in page


def test_a_seat_holder_reads_the_cards_without_the_parents_group_contract(
    cards_world: World,
) -> None:
    page = _cards(_seat_holder(cards_world), cards_world)
    assert "HT-OWN" in page
    assert "HT-GROUP" not in page
    assert "开放的商机" in page
    assert "¥200K · Weighted ¥100K" in page
