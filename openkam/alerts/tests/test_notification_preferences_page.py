"""Each user who works alerts chooses their mails: the daily digest, the rules mailed at once,
the mails' language. Readers (viewer, analyst) are assigned no alert and are refused the page;
a refusal saves nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openkam.alerts.models import NotificationPreference
from openkam.conftest import World, client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("alerts:preferences")


def test_a_new_user_starts_with_the_digest_on(world: World) -> None:
    response = client_for(world.kam).get(URL)
    assert response.status_code == 200
    assert response.context["form"].initial == {"digest": True}


def test_the_kam_saves_their_choices(world: World) -> None:
    response = client_for(world.kam).post(
        URL, {"immediate_rules": ["payment_worsening", "churn_rising"], "language": "en"}
    )
    assert response.status_code == 302
    saved = NotificationPreference.objects.get(user=world.kam)
    assert (saved.digest, saved.immediate_rules, saved.language) == (
        False,
        ["churn_rising", "payment_worsening"],
        "en",
    )
    again = client_for(world.kam).get(URL).context["form"].initial
    assert again["immediate_rules"] == ["churn_rising", "payment_worsening"]


def test_an_unknown_rule_is_refused_and_nothing_saved(world: World) -> None:
    response = client_for(world.kam).post(URL, {"digest": "on", "immediate_rules": ["nope"]})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "analyst"])
def test_readers_are_refused_and_nothing_is_saved(world: World, who: str) -> None:
    client = client_for(getattr(world, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"digest": "on"}).status_code == 403
    assert not NotificationPreference.objects.exists()
