"""The log form's "our participants": a searchable checklist like the customer side, with the
user who logs it chosen and listed first."""

from __future__ import annotations

import re

from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.factories import UserFactory
from openkam.interactions.models import Interaction


def test_the_author_is_chosen_and_first(world: World) -> None:
    UserFactory.create(username="aaa", display_name="阿亮")  # sorts before the KAM otherwise
    page = client_for(world.kam).get(reverse("interactions:log", args=[world.account.pk]))
    html = page.content.decode()
    ours = html[html.index('data-testid="our-participants"') :]
    first = re.search(r'<input type="checkbox" name="our_participants" value="(\d+)"[^>]*>', ours)
    assert first is not None
    assert first.group(1) == str(world.kam.pk)
    assert "checked" in first.group(0)
    assert 'data-testid="our-participants-search"' in html
    assert 'data-testid="their-participants-search"' in html


def test_a_colleague_chosen_with_the_author_takes_part(world: World) -> None:
    client_for(world.kam).post(
        reverse("interactions:log", args=[world.account.pk]),
        {"kind": "visit", "status": "done", "starts_at": "2026-06-01T10:00",
         "duration_minutes": "60", "subject": "联合拜访",
         "our_participants": [world.kam.pk, world.director.pk]},
    )  # fmt: skip
    visit = Interaction.objects.get(subject="联合拜访")
    assert set(visit.our_participants.all()) == {world.kam, world.director}
