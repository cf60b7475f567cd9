"""`openkam surveys-remind`: links unanswered, unexpired and sent (or last reminded) N days ago
or more get a new link that replaces the old one, mailed where there is an address and printed
to hand over where there is none; answered, expired and recent links are left alone; a second
run the same day reminds nobody."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from openkam.conftest import World
from openkam.surveys import services
from openkam.surveys.models import Recipient
from openkam.surveys.tests.builders import answer, campaign, contact, recipient

pytestmark = pytest.mark.django_db


def sent(days_ago: float, made: Recipient, *, reminded: float | None = None) -> Recipient:
    now = timezone.now()
    made.sent_at = now - dt.timedelta(days=days_ago)
    made.reminded_at = None if reminded is None else now - dt.timedelta(days=reminded)
    made.save()
    return made


def run(*args: str) -> str:
    out = StringIO()
    call_command("surveys_remind", *args, stdout=out)
    return out.getvalue()


def test_reminds_the_due_links_once_a_day(world: World) -> None:
    wave = campaign("春季")
    due, due_token = recipient(
        wave, contact(world.account, name="王经理", email="wang@example.com")
    )
    sent(8, due)
    silent, _t = recipient(wave, contact(world.account, name="李工", email=""))
    sent(10, silent)
    again, _t = recipient(wave, contact(world.other_account, name="赵总", email="zhao@example.com"))
    sent(20, again, reminded=7)  # last reminded 7 days ago: due again
    recent, recent_token = recipient(
        wave, contact(world.account, name="陈工", email="c@example.com")
    )
    sent(3, recent)
    sent(30, answer(wave, contact(world.account), 9).recipient)
    old = campaign("冬季", expires=timezone.now() - dt.timedelta(hours=1))
    expired, _t = recipient(old, contact(world.account, email="old@example.com"))
    sent(30, expired)

    printed = run()

    assert "3 reminder(s) for links unanswered after 7 day(s)" in printed
    assert "王经理 (reminder 1): mailed to wang@example.com" in printed
    assert "赵总 (reminder 1): mailed to zhao@example.com" in printed
    assert "李工 (reminder 1): no e-mail address, hand over: http" in printed
    assert sorted(m.to[0] for m in mail.outbox) == ["wang@example.com", "zhao@example.com"]
    due.refresh_from_db()
    assert (due.reminders, due.reminded_at is not None) == (1, True)
    with pytest.raises(services.LinkUnusable):  # the new link replaced the old one
        services.recipient_by_token(due_token)
    new_token = printed.split("hand over: ")[1].split()[0].rsplit("/", 2)[-2]
    assert services.recipient_by_token(new_token).pk == silent.pk
    assert services.recipient_by_token(recent_token).pk == recent.pk  # untouched
    assert Recipient.objects.get(pk=recent.pk).reminders == 0
    assert Recipient.objects.get(pk=expired.pk).reminders == 0

    hashes = dict(Recipient.objects.values_list("pk", "token_hash"))
    assert "0 reminder(s)" in run()  # the same day again: nobody
    assert dict(Recipient.objects.values_list("pk", "token_hash")) == hashes
    assert len(mail.outbox) == 2
    # Even with 0 days, those reminded today are left alone: only 陈工 (sent 3 days ago).
    zero_days = run("--days", "0")
    assert "1 reminder(s) for links unanswered after 0 day(s)" in zero_days
    assert "陈工 (reminder 1)" in zero_days
    assert Recipient.objects.get(pk=due.pk).token_hash == hashes[due.pk]


def test_the_days_are_configurable(world: World) -> None:
    wave = campaign("春季")
    made, _t = recipient(wave, contact(world.account, email="wang@example.com"))
    sent(3, made)
    assert "0 reminder(s) for links unanswered after 7 day(s)" in run()
    assert "1 reminder(s) for links unanswered after 2 day(s)" in run("--days", "2")


def test_a_negative_number_of_days_is_refused(world: World) -> None:
    with pytest.raises(CommandError, match="--days -1: cannot be negative"):
        run("--days", "-1")
