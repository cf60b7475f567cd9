"""The relationship map page: every panel, visibility, read-only personas, empty state,
and a pinned number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.interactions.tests.builders import interaction
from openkam.relationships.models import Contact


@pytest.fixture
def people(world: World) -> list[Contact]:
    boss = ContactFactory.create(
        account=world.account,
        name="刘总",
        title="总经理",
        function="management",
        influence_type="economic",
        influence_level=5,
        support=1,
        stage_choice=True,
    )
    buyer = ContactFactory.create(
        account=world.account,
        name="王经理",
        function="purchasing",
        influence_type="technical",
        reports_to=boss,
        support=2,
        stage_options=True,
        stage_choice=True,
    )
    engineer = ContactFactory.create(
        account=world.account,
        name="陈工",
        function="engineering",
        influence_type="user",
        reports_to=boss,
        support=-1,
        stage_needs=True,
    )
    return [boss, buyer, engineer]


def url(world: World) -> str:
    return reverse("relationships:map", kwargs={"pk": world.account.pk})


def test_the_map_shows_contacts_charts_stages_and_matrix(
    world: World, people: list[Contact], english: None
) -> None:
    interaction(
        world.account,
        day=timezone.localdate() - dt.timedelta(days=3),
        ours=[world.kam],
        theirs=people[1:2],
    )
    content = client_for(world.kam).get(url(world)).content.decode()
    for testid in (
        "map-contacts",
        "chart-wheel",
        "chart-org",
        "stage-coverage",
        "coverage-matrix",
        "stage-assessment",
    ):
        assert f'data-testid="{testid}"' in content
    assert 'id="wheel-data"' in content
    assert 'id="org-data"' in content
    assert 'data-testid="assessed-stage">Early KAM<' in content
    assert 'data-testid="buying-stage_after_sale" data-status="gap"' in content
    assert 'data-testid="buying-stage_needs" data-status="risk"' in content
    assert 'data-testid="buying-stage_choice" data-status="covered"' in content
    assert "hx-get=" in content  # editable cells


def test_a_viewer_reads_the_map_without_editable_cells(world: World, people: list[Contact]) -> None:
    response = client_for(world.viewer).get(url(world))
    assert response.status_code == 200
    assert "okam-editable" not in response.content.decode()


def test_the_analyst_reads_every_account_read_only(world: World, people: list[Contact]) -> None:
    response = client_for(world.analyst).get(url(world))
    assert response.status_code == 200
    assert "okam-editable" not in response.content.decode()


def test_another_teams_account_does_not_exist_for_the_kam(world: World) -> None:
    assert (
        client_for(world.kam)
        .get(reverse("relationships:map", kwargs={"pk": world.other_account.pk}))
        .status_code
        == 404
    )
    assert Client().get(url(world)).status_code == 302


def test_an_account_without_contacts_shows_empty_states(world: World, english: None) -> None:
    content = client_for(world.kam).get(url(world)).content.decode()
    assert "No contacts recorded" in content
    assert "No interactions in the last 12 months" in content
    assert 'id="wheel-data"' not in content


def test_the_map_page_pins_its_queries(
    world: World, people: list[Contact], django_assert_num_queries
) -> None:
    for days in range(4):
        interaction(
            world.account,
            day=timezone.localdate() - dt.timedelta(days=days),
            ours=[world.kam, world.director],
            theirs=people,
        )
    client = client_for(world.kam)
    client.get(url(world))
    # 7: the recorded joint projects and board meetings are one query of their own.
    with django_assert_num_queries(7):
        assert client.get(url(world)).status_code == 200


def test_the_panels_refresh_alone(world: World, people: list[Contact]) -> None:
    response = client_for(world.kam).get(
        reverse("relationships:panels", kwargs={"pk": world.account.pk})
    )
    content = response.content.decode()
    assert 'id="map-panels"' in content
    assert "<html" not in content


def test_the_panels_pin_their_queries(
    world: World, people: list[Contact], django_assert_num_queries
) -> None:
    client = client_for(world.kam)
    url = reverse("relationships:panels", kwargs={"pk": world.account.pk})
    client.get(url)
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200
