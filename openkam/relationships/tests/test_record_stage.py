"""Recording the assessed relationship stage on the account."""

from __future__ import annotations

from django.urls import reverse

from openkam.accounts.models import RelationshipStage
from openkam.conftest import World, client_for


def test_the_kam_records_the_assessed_stage(world: World) -> None:
    world.account.relationship_stage = RelationshipStage.MID
    world.account.save()
    url = reverse("relationships:record_stage", kwargs={"pk": world.account.pk})
    response = client_for(world.kam).post(url)
    assert response.status_code == 302
    world.account.refresh_from_db()
    assert world.account.relationship_stage == RelationshipStage.PRE  # nothing logged yet


def test_another_teams_kam_gets_404_a_viewer_403_and_the_stage_stays(world: World) -> None:
    world.account.relationship_stage = RelationshipStage.MID
    world.account.save()
    url = reverse("relationships:record_stage", kwargs={"pk": world.account.pk})
    assert client_for(world.other_kam).post(url).status_code == 404
    assert client_for(world.viewer).post(url).status_code == 403
    world.account.refresh_from_db()
    assert world.account.relationship_stage == RelationshipStage.MID
