"""Campaigns (key tiers and the accounts the user may change by default), reminders (new links,
mailed; the old link stops working), answers typed in by staff (marked as such), and the
follow-up a detractor or a falling score gives the KAM in "my week"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from openkam.accounts.selectors import accounts_visible_to
from openkam.conftest import World
from openkam.interactions.models import Interaction
from openkam.interactions.selectors import my_week
from openkam.surveys import services
from openkam.surveys.models import Campaign, Recipient, Response, token_hash
from openkam.surveys.tests.builders import answer, campaign, contact, recipient

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
GOOD = {"csat_product": 5, "csat_service": 4, "csat_sales": 5, "nps": 10, "comment": ""}


def _create(world: World, **fields: object) -> tuple[Campaign, list[services.Link]]:
    values: dict[str, object] = {
        "user": world.kam, "name": "2026年满意度调查", "period_start": TODAY.replace(day=1),
        "period_end": TODAY, "expires_on": TODAY + dt.timedelta(days=14),
    }  # fmt: skip
    values.update(fields)
    return services.campaign_create(**values)  # type: ignore[arg-type]


def test_a_campaign_asks_the_key_accounts_the_kam_may_change(world: World) -> None:
    world.account.tier = "key"
    world.account.save()
    world.other_account.tier = "key"  # another team's: never asked by this KAM
    world.other_account.save()
    boss = contact(world.account, name="王总", influence_level=5, email="wang@example.cn")
    clerk = contact(world.account, name="小李", influence_level=2)
    contact(world.other_account, name="别队", influence_level=5)
    made, links = _create(world)
    asked = Recipient.objects.filter(campaign=made)
    assert [r.contact_id for r in asked] == [boss.pk]  # influence 3 or more by default
    assert len(links) == 1
    assert links[0].url.startswith("http")
    token = links[0].url.rstrip("/").rsplit("/", 1)[1]
    assert asked.get().token_hash == token_hash(token)
    assert services.links_send(made, links) == 1
    assert mail.outbox[0].to == ["wang@example.cn"]
    assert token in mail.outbox[0].body
    assert "王总" in mail.outbox[0].body  # in the recipient's language (Chinese)
    _again, all_of_them = _create(world, name="全员", min_influence=1)
    assert {link.recipient.contact_id for link in all_of_them} == {boss.pk, clerk.pk}


def test_a_campaign_refuses_bad_input_naming_the_field(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        _create(world, name=" ", period_end=TODAY - dt.timedelta(days=60),
                expires_on=TODAY - dt.timedelta(days=1), tiers=["gold"])  # fmt: skip
    assert set(refused.value.message_dict) == {"name", "period_end", "expires_on", "tiers"}
    with pytest.raises(ValidationError) as nobody:  # the general tier: no contact to ask
        _create(world)
    assert "tiers" in nobody.value.message_dict
    with pytest.raises(PermissionDenied):
        _create(world, user=world.viewer, account_ids=[world.account.pk])
    assert Recipient.objects.count() == 0


def test_a_reminder_sends_a_new_link_and_the_old_one_stops_working(world: World) -> None:
    made = campaign()
    waiting, old = recipient(made, contact(world.account, email="li@example.cn"))
    answer(made, contact(world.account), 9)  # answered: not reminded
    links = services.campaign_remind(user=world.kam, campaign_id=made.pk)
    assert [link.recipient.pk for link in links] == [waiting.pk]
    waiting.refresh_from_db()
    assert waiting.reminders == 1
    assert waiting.reminded_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("提醒")
    with pytest.raises(services.LinkUnusable):
        services.recipient_by_token(old)
    new = links[0].url.rstrip("/").rsplit("/", 1)[1]
    assert services.recipient_by_token(new).pk == waiting.pk
    with pytest.raises(PermissionDenied):
        services.campaign_remind(user=world.viewer, campaign_id=made.pk)


def test_staff_answers_are_marked_and_a_recipient_answers_once(world: World) -> None:
    made = campaign()
    asked, token = recipient(made, contact(world.account))
    saved = services.answer_enter(user=world.kam, recipient_id=asked.pk, data=GOOD)
    assert (saved.channel, saved.entered_by, saved.entered_by_staff) == ("phone", world.kam, True)
    with pytest.raises(services.LinkUnusable):  # the link died with the staff's answer
        services.answer_link(token=token, data=GOOD)
    with pytest.raises(ValidationError) as twice:
        services.answer_enter(user=world.kam, recipient_id=asked.pk, data=GOOD)
    assert "recipient_id" in twice.value.message_dict
    assert Response.objects.count() == 1
    other, _t = recipient(made, contact(world.account))
    with pytest.raises(ValidationError) as bad:
        services.answer_enter(user=world.kam, recipient_id=other.pk, data={"nps": 11})
    assert set(bad.value.message_dict) == {"nps"}
    with pytest.raises(PermissionDenied):
        services.answer_enter(user=world.viewer, recipient_id=other.pk, data=GOOD)
    assert Response.objects.count() == 1


def test_a_detractor_gives_the_kam_a_follow_up_in_my_week(world: World) -> None:
    made = campaign()
    _asked, token = recipient(made, contact(world.account, name="赵工"))
    saved = services.answer_link(token=token, data={**GOOD, "nps": 4, "comment": "交期太慢"})
    step = Interaction.objects.get()
    assert saved.follow_up_id == step.pk
    assert (step.account_id, step.next_step_owner, step.next_step_done) == (
        world.account.pk, world.kam, False,
    )  # fmt: skip
    assert "赵工" in step.next_step
    assert "交期太慢" in step.notes
    today = timezone.localdate()
    assert step.next_step_due is not None
    assert today <= step.next_step_due <= today + dt.timedelta(days=2)
    week = my_week(world.kam, visible=accounts_visible_to(world.kam), today=today)
    assert list(week.next_steps) == [step]
    page = Client()
    page.force_login(world.kam)
    assert "就满意度答卷回访赵工" in page.get("/interactions/my-week/").content.decode()


def test_a_promoter_needs_no_follow_up_but_a_falling_score_does(world: World) -> None:
    made, later = campaign("春"), campaign("秋")
    fan = contact(world.account)
    answer(made, fan, 10, csat=5, at=timezone.now() - dt.timedelta(days=180))
    _a, first = recipient(campaign("夏"), contact(world.account))
    services.answer_link(token=first, data=GOOD)
    assert Interaction.objects.count() == 0
    _b, second = recipient(later, fan)
    # Still a passive (8) but CSAT from 5 to 3.7: a fall of more than one point.
    services.answer_link(
        token=second, data={"csat_product": 3, "csat_service": 4, "csat_sales": 4, "nps": 8}
    )
    assert Interaction.objects.count() == 1
