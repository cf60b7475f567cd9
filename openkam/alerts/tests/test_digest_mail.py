"""`openkam alerts --digest`: each user gets one mail of the alerts raised or escalated for them
since their last digest, in their language; nothing new, no mail; a user who turned the digest
off gets none."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from openkam.alerts.models import AlertState, NotificationPreference
from openkam.alerts.notifications import digest_send
from openkam.alerts.tests.builders import alert
from openkam.conftest import World
from openkam.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def addresses(world: World, settings: Any) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "zh-hans"
    settings.OPENKAM_SITE_URL = "https://kam.example.com"
    for user in (world.kam, world.other_kam, world.director):
        user.email = f"{user.username}@example.com"
        user.save()


def test_each_user_gets_their_own_alerts_in_their_language(world: World) -> None:
    NotificationPreference.objects.create(user=world.other_kam, language="en")
    world.account.legal_name = "上海三菱电梯有限公司"
    world.account.short_name = "上海三菱"
    world.account.save()
    mine = alert(world.account)
    alert(world.other_account, rule="purchase_gap")
    call_command("alerts", "--digest")
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    assert set(by_recipient) == {("kam1@example.com",), ("kam2@example.com",)}
    chinese, english = by_recipient[("kam1@example.com",)], by_recipient[("kam2@example.com",)]
    assert chinese.subject == "OpenKAM：1 条新增或升级的预警"
    assert "付款表现恶化" in chinese.body
    assert "上海三菱" in chinese.body
    assert f"https://kam.example.com/alerts/{mine.pk}/" in chinese.body
    assert english.subject == "OpenKAM: 1 new or escalated alert for you"
    assert "Purchase gap" in english.body


def test_a_second_digest_sends_only_what_is_new_since(world: World) -> None:
    alert(world.account)
    assert digest_send() == 1
    mail.outbox.clear()
    assert digest_send() == 0
    later = timezone.now() + dt.timedelta(hours=1)
    escalated = alert(world.account, rule="purchase_gap", first_seen=later - dt.timedelta(days=9),
                      escalated_at=later)  # fmt: skip
    assert digest_send(now=later + dt.timedelta(minutes=1)) == 1
    assert f"/alerts/{escalated.pk}/" in mail.outbox[0].body


def test_closed_alerts_and_users_without_the_digest_get_nothing(world: World) -> None:
    NotificationPreference.objects.create(user=world.other_kam, digest=False)
    alert(world.other_account)
    alert(world.account, state=AlertState.RESOLVED, resolved_at=timezone.now())
    assert digest_send() == 0
    assert mail.outbox == []


def test_alerts_older_than_a_day_are_not_in_a_first_digest(world: World) -> None:
    alert(world.account, first_seen=timezone.now() - dt.timedelta(days=3))
    assert digest_send() == 0


def test_a_long_list_is_cut_with_a_count_of_the_rest(world: World) -> None:
    for _ in range(32):
        alert(AccountFactory.create(team=world.team, owner=world.kam))
    digest_send()
    (message,) = mail.outbox
    assert len(re.findall(r"/alerts/\d+/", str(message.body))) == 30
    assert "另有 2 条" in message.body
