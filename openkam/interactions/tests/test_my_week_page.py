"""My week: a KAM's planned interactions, next steps due, overdue accounts and contacts."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Tier
from openkam.accounts.selectors import accounts_visible_to
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, ContactFactory
from openkam.interactions.models import Status
from openkam.interactions.selectors import my_week, week_of
from openkam.interactions.tests.builders import interaction


def test_week_of_runs_monday_to_sunday() -> None:
    assert week_of(dt.date(2026, 6, 17)) == (dt.date(2026, 6, 15), dt.date(2026, 6, 21))


def test_my_week_gathers_what_the_kam_must_do(world: World) -> None:
    today = timezone.localdate()
    monday, sunday = week_of(today)
    world.account.tier = Tier.STRATEGIC
    world.account.save()
    buyer = ContactFactory.create(account=world.account, name="王经理", contact_every_days=14)
    interaction(
        world.account,
        day=today - dt.timedelta(days=40),
        ours=[world.kam],
        theirs=[buyer],
        next_step="提交报价",
        next_step_due=today - dt.timedelta(days=3),
        next_step_owner=world.kam,
        subject="上次拜访",
    )
    visit = interaction(
        world.account, day=sunday, status=Status.PLANNED, ours=[world.kam], subject="本周拜访"
    )
    interaction(
        world.account,
        day=sunday + dt.timedelta(days=1),
        status=Status.PLANNED,
        ours=[world.kam],
        subject="下周拜访",
    )
    interaction(world.other_account, day=monday, status=Status.PLANNED, ours=[world.other_kam])
    week = my_week(world.kam, visible=accounts_visible_to(world.kam), today=today)
    assert list(week.planned) == [visit]
    assert [i.next_step for i in week.next_steps] == ["提交报价"]
    assert list(week.overdue_accounts) == [world.account]
    assert list(week.overdue_contacts) == [buyer]


def test_the_page_lists_them_and_pins_its_queries(world: World, django_assert_num_queries) -> None:
    today = timezone.localdate()
    for _ in range(3):
        account = AccountFactory.create(team=world.team, owner=world.kam, tier=Tier.KEY)
        contact = ContactFactory.create(account=account, contact_every_days=7)
        interaction(
            account,
            day=today - dt.timedelta(days=60),
            ours=[world.kam],
            theirs=[contact],
            next_step="回访",
            next_step_due=today,
            next_step_owner=world.kam,
        )
        interaction(
            account,
            day=week_of(today)[1],
            status=Status.PLANNED,
            ours=[world.kam],
            theirs=[contact],
            subject="计划拜访",
        )
    client = client_for(world.kam)
    url = reverse("interactions:my_week")
    client.get(url)
    # 17: 12 of the week's own cards (the overdue accounts' order reads the latest refresh),
    # 2 of the plan actions card and 2 of the win-back actions card (rows and count each), 1
    # of the tier decisions card (rows; no count when fewer than the limit).
    with django_assert_num_queries(17):
        response = client.get(url)
    content = response.content.decode()
    assert content.count("计划拜访") == 3
    assert 'data-testid="count-overdue-accounts">' in content


def test_an_empty_week_has_empty_states(world: World, english: None) -> None:
    world.account.delete()
    content = client_for(world.kam).get(reverse("interactions:my_week")).content.decode()
    assert "Nothing planned this week" in content
    assert "Every account is within its cadence" in content
