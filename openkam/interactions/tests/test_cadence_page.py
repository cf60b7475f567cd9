"""The contact cadence per tier: directors and executives set it, others read it."""

from __future__ import annotations

from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.interactions.models import ContactCadence
from openkam.interactions.selectors import cadence_days

URL = reverse("interactions:cadence")
FORM = {"strategic": "21", "key": "42", "major": "90", "general": "180"}


def test_the_defaults_are_monthly_six_weekly_quarterly_and_half_yearly(db: None) -> None:
    assert cadence_days() == {"strategic": 30, "key": 42, "major": 90, "general": 180}


def test_a_director_sets_the_strategic_cadence(world: World) -> None:
    response = client_for(world.director).post(URL, FORM)
    assert response.status_code == 302
    assert ContactCadence.objects.get(tier="strategic").every_days == 21
    assert cadence_days()["strategic"] == 21


def test_zero_days_is_refused_and_nothing_changes(world: World) -> None:
    response = client_for(world.executive).post(URL, {**FORM, "strategic": "0"})
    assert response.status_code == 200
    assert "is-invalid" in response.content.decode()
    assert ContactCadence.objects.get(tier="strategic").every_days == 30


def test_a_kam_reads_the_cadence_but_cannot_change_it(world: World) -> None:
    client = client_for(world.kam)
    assert client.get(URL).status_code == 200
    assert client.post(URL, FORM).status_code == 403
    assert ContactCadence.objects.get(tier="strategic").every_days == 30


def test_the_cadence_page_pins_its_queries(world: World, django_assert_num_queries) -> None:
    client = client_for(world.director)
    client.get(URL)
    with django_assert_num_queries(3):
        assert client.get(URL).status_code == 200
