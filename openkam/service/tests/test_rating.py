"""Resolved cases ask the contact for a rating: resolving issues a one-question link (the
survey links' token: 192 bits, only its hash stored, expiring, answered once), mailed to the
contact or shown to the writer to hand over; the answer is stored on the case and counts in
the account's service satisfaction. A used, expired or guessed link shows a polite page and
stores nothing."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from openkam.common.errors import ValidationError
from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.service import services
from openkam.service.models import CaseRatingLink, ServiceCase
from openkam.service.selectors import service_satisfaction
from openkam.service.tests.builders import NOON, case
from openkam.surveys.tests.builders import answer, campaign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def resolved(world: World, *, email: str = "") -> tuple[ServiceCase, str]:
    """A service request of a contact resolved by the KAM; its rating link's token."""
    contact = ContactFactory.create(account=world.account, name="王经理", email=email)
    made = case(world.account, kind="service_request", contact=contact)
    done = services.case_resolve(user=world.kam, case_id=made.pk)
    link = CaseRatingLink.objects.get(case=made)
    url = done.rating_url or mail.outbox[-1].body.split("\n\n")[2]  # type: ignore[attr-defined]
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    return made, token


def stored() -> list[object]:
    return [list(ServiceCase.objects.values()), list(CaseRatingLink.objects.values())]


def test_resolving_mails_the_link_and_the_rating_lands_on_the_case(world: World) -> None:
    made, token = resolved(world, email="wang@example.com")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wang@example.com"]
    assert len(token) == 32  # 24 random bytes, URL-safe base64: 192 bits
    link = CaseRatingLink.objects.get(case=made)
    assert token not in str(CaseRatingLink.objects.values().get())  # only the hash is stored
    assert link.expires_at == NOON + dt.timedelta(days=14)
    page = Client().get(reverse("case_rating", args=[token]))
    assert page.status_code == 200
    assert "如何评价我们对此问题的处理" in page.content.decode()
    english = Client().get(reverse("case_rating", args=[token]), {"lang": "en"})
    assert "How satisfied are you with how we handled it?" in english.content.decode()
    sent = Client().post(reverse("case_rating", args=[token]), {"rating": "4", "comment": "及时"})
    assert sent.status_code == 200
    assert 'data-testid="rating-thanks"' in sent.content.decode()
    made.refresh_from_db()
    assert (made.rating, made.rating_comment, made.rated_at) == (4, "及时", NOON)
    link.refresh_from_db()
    assert (link.answered_at, link.token_hash) == (NOON, None)
    # It counts in the service satisfaction with the survey's service question: (4 + 2) / 2.
    answer(campaign(), ContactFactory.create(account=world.account), 8, csat=None, csat_service=2)
    figures = service_satisfaction(world.account.pk)
    assert (figures.mean, figures.ratings, figures.survey_answers) == (3.0, 1, 1)
    card = client_for(world.kam).get(reverse("accounts:tab", args=[world.account.pk, "cards"]))
    assert 'data-testid="account-service-satisfaction"' in card.content.decode()


def test_without_an_address_the_writer_is_shown_the_link(world: World, english: None) -> None:
    contact = ContactFactory.create(account=world.account, name="李工", email="")
    made = case(world.account, kind="service_request", contact=contact)
    response = client_for(world.kam).post(
        reverse("service:resolve", args=[made.pk]), {"cost": "0"}, follow=True
    )
    text = response.content.decode()
    assert "李工 has no e-mail address: hand them this rating link: http" in text
    assert not mail.outbox
    assert CaseRatingLink.objects.filter(case=made, sent_at__isnull=True).count() == 1


@pytest.mark.parametrize("misuse", ["used", "expired", "guessed", "too long"])
def test_a_used_expired_or_guessed_link_stores_nothing(world: World, misuse: str) -> None:
    made, token = resolved(world)
    if misuse == "used":
        services.rating_answer(token=token, rating=5)
    elif misuse == "expired":
        CaseRatingLink.objects.filter(case=made).update(expires_at=NOON - dt.timedelta(seconds=1))
    elif misuse == "guessed":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    else:
        token = "x" * 101
    before = stored()
    client = Client()
    page = client.get(reverse("case_rating", args=[token]))
    sent = client.post(reverse("case_rating", args=[token]), {"rating": "1"})
    for response in (page, sent):
        assert response.status_code == 404
        assert 'data-testid="rating-unusable"' in response.content.decode()
        assert "王经理" not in response.content.decode()
    assert stored() == before
    with pytest.raises(services.RatingUnusable):
        services.rating_answer(token=token, rating=1)


def test_a_bad_rating_is_refused_by_name_and_stores_nothing(world: World) -> None:
    _made, token = resolved(world)
    before = stored()
    with pytest.raises(ValidationError) as refused:
        services.rating_answer(token=token, rating="9", comment="x" * 2001)
    assert set(refused.value.message_dict) == {"rating", "comment"}
    page = Client().post(reverse("case_rating", args=[token]), {"rating": "0"})
    assert page.status_code == 200
    assert 'data-testid="rating-error"' in page.content.decode()
    assert stored() == before


def test_no_link_without_a_contact_and_a_new_one_after_reopening(world: World) -> None:
    alone = case(world.account, kind="service_request")
    services.case_resolve(user=world.kam, case_id=alone.pk)
    assert not CaseRatingLink.objects.filter(case=alone).exists()
    made, first = resolved(world)
    services.case_move(user=world.kam, case_id=made.pk, status="reopened")
    services.case_resolve(user=world.kam, case_id=made.pk)
    assert CaseRatingLink.objects.filter(case=made).count() == 1
    with pytest.raises(services.RatingUnusable):  # the old link stopped working
        services.rating_link_by_token(first)


def test_a_rated_case_is_not_asked_again(world: World) -> None:
    made, token = resolved(world)
    services.rating_answer(token=token, rating=2)
    services.case_move(user=world.kam, case_id=made.pk, status="reopened")
    services.case_resolve(user=world.kam, case_id=made.pk)
    link = CaseRatingLink.objects.get(case=made)
    assert (link.token_hash, link.answered_at) == (None, NOON)
    assert ServiceCase.objects.get(pk=made.pk).rating == 2
