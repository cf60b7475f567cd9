"""The account page's relationship card: the last and the next contact, the cadence's due
day, the open next steps with their owners and the key contacts, first on the page's side."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import LifecycleStage, Tier
from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.interactions.models import Status
from openkam.interactions.tests.builders import interaction

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def cards(world: World, user: object = None) -> str:
    url = reverse("accounts:tab", args=[world.account.pk, "cards"])
    response = client_for(user or world.kam).get(url)  # type: ignore[arg-type]
    assert response.status_code == 200
    return response.content.decode()


def between(page: str, testid: str) -> str:
    """The text of the first element carrying `testid`, up to its closing tag's end."""
    start = page.index(f'data-testid="{testid}"')
    return page[start : page.index("</div>", start)]


def test_it_shows_the_last_and_next_contact_the_open_steps_and_the_key_contacts(
    world: World,
) -> None:
    today = timezone.localdate()
    boss = ContactFactory.create(account=world.account, name="王总", influence_level=5, support=2)
    buyer = ContactFactory.create(account=world.account, name="李经理", influence_level=4)
    ContactFactory.create(account=world.account, name="赵工", influence_level=3)
    ContactFactory.create(account=world.account, name="钱助理", influence_level=1)
    ContactFactory.create(account=world.account, name="已离职", influence_level=5, is_active=False)
    interaction(
        world.account,
        day=today - dt.timedelta(days=10),
        theirs=[boss],
        next_step="寄送样品",
        next_step_owner=world.kam,
        next_step_due=today - dt.timedelta(days=1),
    )
    interaction(
        world.account,
        day=today - dt.timedelta(days=40),
        theirs=[buyer],
        next_step="已完成的一步",
        next_step_done=True,
    )
    interaction(
        world.account,
        day=today + dt.timedelta(days=3),
        status=Status.PLANNED,
        subject="技术交流",
        kind="meeting",
    )
    interaction(world.other_account, day=today, next_step="别的客户的事")

    page = cards(world)

    assert "10 days ago" in between(page, "relationship-last")
    assert (today + dt.timedelta(days=3)).strftime("%m/%d/%Y") in between(page, "relationship-next")
    assert page.count('data-testid="relationship-step"') == 1
    assert "寄送样品" in page
    assert "已完成的一步" not in page
    assert "别的客户的事" not in page
    step = page.split('data-testid="relationship-step"')[1].split("</a>")[0]
    assert str(world.kam) in step
    contacts = page.split('data-testid="relationship-contact"')[1:]
    assert [next(n for n in ("王总", "李经理", "赵工") if n in c) for c in contacts] == [
        "王总",
        "李经理",
        "赵工",
    ]
    assert "已离职" not in page
    assert "钱助理" not in page
    assert "met 10 days ago" in contacts[0]
    assert "never met" in contacts[2]
    assert 'data-testid="relationship-log"' in page
    assert 'data-testid="relationship-log"' not in cards(world, world.viewer)


def test_an_account_not_met_within_its_cadence_is_overdue(world: World) -> None:
    world.account.tier = Tier.KEY  # owed a contact every 42 days
    world.account.save()
    today = timezone.localdate()
    interaction(world.account, day=today - dt.timedelta(days=50))

    nxt = between(cards(world), "relationship-next")

    assert "overdue since 8 days ago" in nxt
    assert "text-danger" in nxt


def test_a_new_account_says_so_and_a_lost_one_is_owed_nothing(world: World) -> None:
    page = cards(world)
    assert "none yet" in between(page, "relationship-last")
    assert "No open next step." in page
    assert "No contact recorded yet." in page

    world.account.lifecycle_stage = LifecycleStage.LOST
    world.account.save()
    assert "—" in between(cards(world), "relationship-next")


def test_another_teams_kam_cannot_open_the_cards(world: World) -> None:
    url = reverse("accounts:tab", args=[world.account.pk, "cards"])
    assert client_for(world.other_kam).get(url).status_code == 404
