"""The list of interactions for directors and executives: filters, sorting, pages, roles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.interactions.tests.builders import interaction

URL = reverse("interactions:list")


def test_the_director_sees_the_interactions_of_their_teams_only(world: World) -> None:
    today = timezone.localdate()
    interaction(world.account, day=today, subject="本部门拜访")
    interaction(world.other_account, day=today, subject="其他部门拜访")
    content = client_for(world.director).get(URL).content.decode()
    assert "本部门拜访" in content
    assert "其他部门拜访" not in content


def test_the_executive_filters_by_kind_and_search(world: World) -> None:
    today = timezone.localdate()
    interaction(world.account, day=today, kind="call", subject="电话跟进报价")
    interaction(world.other_account, day=today, kind="visit", subject="现场拜访")
    client = client_for(world.executive)
    content = client.get(URL, {"kind": "call"}).content.decode()
    assert "电话跟进报价" in content
    assert "现场拜访" not in content
    content = client.get(URL, {"q": "现场"}, HTTP_HX_REQUEST="true").content.decode()
    assert "现场拜访" in content
    assert "电话跟进报价" not in content
    assert "<html" not in content


def test_the_list_sorts_oldest_first_on_request(world: World) -> None:
    today = timezone.localdate()
    interaction(world.account, day=today - dt.timedelta(days=5), subject="较早")
    interaction(world.account, day=today, subject="较晚")
    content = client_for(world.executive).get(URL, {"sort": "starts_at"}).content.decode()
    assert content.index("较早") < content.index("较晚")


@pytest.mark.parametrize("persona", ["kam", "viewer"])
def test_kams_and_viewers_are_refused(world: World, persona: str) -> None:
    assert client_for(getattr(world, persona)).get(URL).status_code == 403


def test_the_list_pins_its_queries(world: World, django_assert_num_queries) -> None:
    for days in range(5):
        interaction(world.account, day=timezone.localdate() - dt.timedelta(days=days))
    client = client_for(world.executive)
    client.get(URL)
    with django_assert_num_queries(6):
        assert client.get(URL).status_code == 200
