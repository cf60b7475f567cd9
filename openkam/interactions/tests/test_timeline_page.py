"""The account's interaction timeline: newest first, filters, pages, visibility, queries."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openkam.conftest import World, client_for
from openkam.factories import ContactFactory
from openkam.interactions.tests.builders import interaction


def test_the_timeline_shows_interactions_newest_first_with_both_sides(world: World) -> None:
    buyer = ContactFactory.create(account=world.account, name="王经理")
    today = timezone.localdate()
    interaction(world.account, day=today - dt.timedelta(days=9), subject="旧的拜访")
    interaction(
        world.account,
        day=today - dt.timedelta(days=1),
        subject="新的拜访",
        ours=[world.kam],
        theirs=[buyer],
    )
    content = (
        client_for(world.kam)
        .get(reverse("interactions:timeline", args=[world.account.pk]))
        .content.decode()
    )
    assert content.index("新的拜访") < content.index("旧的拜访")
    assert "王经理" in content
    assert 'data-testid="log-form"' in content


def test_the_filter_by_kind_returns_the_partial_for_htmx(world: World) -> None:
    today = timezone.localdate()
    interaction(world.account, day=today, kind="call", subject="电话沟通")
    interaction(world.account, day=today, kind="visit", subject="上门拜访")
    url = reverse("interactions:timeline", args=[world.account.pk])
    response = client_for(world.kam).get(url, {"kind": "call"}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "电话沟通" in content
    assert "上门拜访" not in content
    assert "<html" not in content


def test_the_timeline_is_paginated(world: World, settings) -> None:
    settings.OPENKAM_PAGE_SIZE = 2
    for days in range(5):
        interaction(world.account, day=timezone.localdate() - dt.timedelta(days=days))
    url = reverse("interactions:timeline", args=[world.account.pk])
    content = client_for(world.kam).get(url, {"page": 3}).content.decode()
    assert content.count('data-testid="timeline-event"') == 1


def test_an_empty_timeline_says_so(world: World, english: None) -> None:
    content = (
        client_for(world.kam)
        .get(reverse("interactions:timeline", args=[world.account.pk]))
        .content.decode()
    )
    assert "No interactions yet" in content


def test_a_viewer_reads_the_timeline_without_the_form(world: World) -> None:
    response = client_for(world.viewer).get(
        reverse("interactions:timeline", args=[world.account.pk])
    )
    assert response.status_code == 200
    assert 'data-testid="log-form"' not in response.content.decode()


def test_another_teams_account_does_not_exist_for_the_kam(world: World) -> None:
    url = reverse("interactions:timeline", args=[world.other_account.pk])
    assert client_for(world.kam).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_the_timeline_page_runs_a_fixed_number_of_queries(
    world: World, django_assert_num_queries
) -> None:
    client = client_for(world.kam)
    url = reverse("interactions:timeline", args=[world.account.pk])
    buyer = ContactFactory.create(account=world.account)
    for days in range(6):
        interaction(
            world.account,
            day=timezone.localdate() - dt.timedelta(days=days),
            ours=[world.kam],
            theirs=[buyer],
            next_step="跟进",
            next_step_owner=world.kam,
        )
    client.get(url)
    with django_assert_num_queries(12):
        assert client.get(url).status_code == 200


def test_the_timeline_says_when_the_return_visit_is_overdue(world: World, english: None) -> None:
    world.account.tier = "strategic"
    world.account.save()
    seen = timezone.localdate() - dt.timedelta(days=45)
    interaction(world.account, day=seen)
    url = reverse("interactions:timeline", args=[world.account.pk])
    content = client_for(world.kam).get(url).content.decode()
    assert "Return visit overdue since" in content
