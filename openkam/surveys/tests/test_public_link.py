"""The public answer page: no login, the recipient's language, one answer per link; a used,
expired or guessed link reads the same (status and words) and stores nothing; CSRF holds."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from openkam.conftest import World
from openkam.interactions.models import Interaction
from openkam.surveys.models import Recipient, Response, token_hash
from openkam.surveys.tests.builders import campaign, contact, recipient

pytestmark = pytest.mark.django_db
ANSWERS = {"csat_product": "4", "csat_service": "5", "csat_sales": "4", "nps": "9",
           "comment": "交付准时"}  # fmt: skip


def url(token: str) -> str:
    return f"/s/{token}/"


def test_a_contact_answers_through_their_link_without_logging_in(world: World) -> None:
    asked, token = recipient(campaign(), contact(world.account, name="王总"))
    page = Client().get(url(token))
    assert page.status_code == 200
    text = page.content.decode()
    assert "您对我们的产品" in text
    assert "推荐" in text
    assert "OpenKAM" not in text
    assert world.account.legal_name not in text
    assert 'name="csrfmiddlewaretoken"' in text
    answered = Client().post(url(token), ANSWERS)
    assert answered.status_code == 200
    assert "感谢" in answered.content.decode()
    saved = Response.objects.get()
    assert (saved.recipient_id, saved.nps, saved.csat_service) == (asked.pk, 9, 5)
    assert (saved.channel, saved.entered_by, saved.comment) == ("link", None, "交付准时")
    asked.refresh_from_db()
    assert asked.answered_at is not None
    assert asked.token_hash is None


def test_an_english_recipient_reads_english(world: World) -> None:
    _asked, token = recipient(campaign(), contact(world.account), language="en")
    text = Client(HTTP_ACCEPT_LANGUAGE="zh-hans").get(url(token)).content.decode()
    assert "How likely are you to recommend us" in text
    assert "推荐" not in text


def _unusable(response: object) -> str:
    assert response.status_code == 404  # type: ignore[attr-defined]
    return re.sub(r"\s+", " ", response.content.decode())  # type: ignore[attr-defined]


def test_used_expired_and_guessed_links_read_alike_and_store_nothing(world: World) -> None:
    used_recipient, used = recipient(campaign(), contact(world.account))
    assert Client().post(url(used), ANSWERS).status_code == 200
    expired_campaign = campaign("过期", expires=timezone.now() - dt.timedelta(minutes=1))
    _gone, expired = recipient(expired_campaign, contact(world.account))
    guessed = "A" * 32
    pages = []
    for token in (used, expired, guessed):
        before = (Response.objects.count(), Interaction.objects.count())
        shown = _unusable(Client().get(url(token)))
        posted = _unusable(Client().post(url(token), {**ANSWERS, "nps": "0"}))
        assert shown == posted
        assert (Response.objects.count(), Interaction.objects.count()) == before
        pages.append(shown.replace(token, ""))
    assert pages[0] == pages[1] == pages[2]  # nothing tells a used link from a guessed one
    assert "This link cannot be used" in pages[0] or "此链接无法使用" in pages[0]
    assert Response.objects.get().recipient_id == used_recipient.pk


def test_a_second_submit_with_the_same_link_is_refused(world: World) -> None:
    _asked, token = recipient(campaign(), contact(world.account))
    browser = Client()
    assert browser.post(url(token), ANSWERS).status_code == 200
    again = browser.post(url(token), {**ANSWERS, "nps": "2"})
    assert again.status_code == 404
    assert list(Response.objects.values_list("nps", flat=True)) == [9]


def test_bad_answers_name_the_question_and_store_nothing(world: World) -> None:
    asked, token = recipient(campaign(), contact(world.account))
    page = Client().post(url(token), {"csat_product": "7", "nps": ""})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="nps-error"' in text
    assert 'data-testid="survey-errors"' in text
    assert Response.objects.count() == 0
    asked.refresh_from_db()
    assert asked.answered_at is None
    assert asked.token_hash is not None


def test_the_link_needs_the_csrf_token(world: World) -> None:
    _asked, token = recipient(campaign(), contact(world.account))
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url(token), ANSWERS).status_code == 403
    assert Response.objects.count() == 0
    page = strict.get(url(token))
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert csrf is not None
    assert strict.post(url(token), {**ANSWERS, "csrfmiddlewaretoken": csrf[1]}).status_code == 200
    assert Response.objects.count() == 1


def test_tokens_are_long_random_and_stored_hashed(world: World) -> None:
    tokens = [recipient(campaign(f"c{i}"), contact(world.account))[1] for i in range(3)]
    assert len(set(tokens)) == 3
    assert all(len(t) >= 32 for t in tokens)  # 24 random bytes, base64: 192 bits
    stored = set(Recipient.objects.values_list("token_hash", flat=True))
    assert stored == {token_hash(t) for t in tokens}
    assert not stored & set(tokens)
