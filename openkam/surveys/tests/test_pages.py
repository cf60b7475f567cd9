"""The staff pages: a campaign created from the form shows its links once, the campaign page
lists recipients with the response rate, a reminder re-issues links, staff answers are saved
marked as theirs; readers are refused every write (GET and POST), nothing saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.surveys.models import Campaign, Recipient, Response
from openkam.surveys.services import default_template
from openkam.surveys.tests.builders import answer, campaign, contact, recipient

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_a_kam_creates_a_campaign_and_sees_its_links_once(world: World) -> None:
    world.account.tier = "strategic"
    world.account.save()
    contact(world.account, name="王总", influence_level=4, email="wang@example.cn")
    contact(world.account, name="赵工", influence_level=5)
    page = client_for(world.kam)
    assert page.get("/surveys/campaigns/new/").status_code == 200
    made = page.post("/surveys/campaigns/new/", {
        "name": "2026年满意度调查", "template": default_template().pk,
        "period_start": TODAY.replace(day=1).isoformat(), "period_end": TODAY.isoformat(),
        "expires_on": (TODAY + dt.timedelta(days=10)).isoformat(),
        "tiers": ["strategic", "key"], "min_influence": "3", "language": "zh-hans",
    })  # fmt: skip
    assert made.status_code == 200
    text = made.content.decode()
    assert text.count('data-testid="link-row"') == 2
    assert len(mail.outbox) == 1  # only 王总 has an address
    detail = page.get(Campaign.objects.get().get_absolute_url()).content.decode()
    assert detail.count('data-testid="recipient-row"') == 2
    assert "/s/" not in detail  # the links are not shown again


def test_a_bad_campaign_names_the_field(world: World) -> None:
    page = client_for(world.kam)
    refused = page.post("/surveys/campaigns/new/", {"name": "", "tiers": ["key"]})
    assert refused.status_code == 200
    assert "is-invalid" in refused.content.decode()
    assert Campaign.objects.count() == 0


def test_remind_and_staff_entry_from_the_campaign_page(world: World) -> None:
    made = campaign()
    waiting, _token = recipient(made, contact(world.account, name="李工"))
    answer(made, contact(world.account), 10)
    page = client_for(world.kam)
    text = page.get(made.get_absolute_url()).content.decode()
    assert "50%" in text  # one of two answered
    reminded = page.post(f"/surveys/campaigns/{made.pk}/remind/")
    assert reminded.content.decode().count('data-testid="link-row"') == 1
    saved = page.post(f"/surveys/recipients/{waiting.pk}/answer/",
                      {"nps": "8", "csat_product": "4", "channel": "visit"})  # fmt: skip
    assert saved.status_code == 302
    entered = Response.objects.get(recipient=waiting)
    assert (entered.channel, entered.entered_by, entered.nps) == ("visit", world.kam, 8)


@pytest.mark.parametrize("who", ["viewer", "analyst"])
def test_readers_are_refused_every_write(world: World, who: str) -> None:
    made = campaign()
    waiting, _token = recipient(made, contact(world.account))
    page = client_for(getattr(world, who))
    assert page.get("/surveys/").status_code == 200
    assert page.get(made.get_absolute_url()).status_code == 200
    for url in ("/surveys/campaigns/new/", f"/surveys/recipients/{waiting.pk}/answer/"):
        assert page.get(url).status_code == 403
        assert page.post(url, {"nps": "1", "name": "x"}).status_code == 403
    assert page.post(f"/surveys/campaigns/{made.pk}/remind/").status_code == 403
    waiting.refresh_from_db()
    assert (waiting.reminders, Response.objects.count(), Campaign.objects.count()) == (0, 0, 1)
    assert Recipient.objects.count() == 1


def test_another_team_does_not_see_the_campaign(world: World) -> None:
    made = campaign()
    waiting, _token = recipient(made, contact(world.account))
    page = client_for(world.other_kam)
    assert page.get(made.get_absolute_url()).status_code == 404
    assert page.get(f"/surveys/recipients/{waiting.pk}/answer/").status_code == 404
    assert 'data-testid="campaign-row"' not in page.get("/surveys/campaigns/").content.decode()
