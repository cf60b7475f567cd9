"""The case list: what each user sees, the filters (status, kind, severity, breach, search),
sorting, pages, the empty state, and a query count that does not grow with the rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.service.tests.builders import NOON, case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen")]


def titles(response: Any) -> list[str]:
    return [row.title for row in response.context["page"].object_list]


def test_filters_and_visibility(world: World) -> None:
    case(
        world.account, title="迟", severity="critical", response_due=NOON - dt.timedelta(hours=1)
    )  # late
    case(world.account, title="准", severity="low", kind="training_request")
    case(world.account, title="结", status="resolved", resolved_at=NOON)
    case(world.other_account, title="别队")
    client = client_for(world.kam)
    url = reverse("service:list")
    assert sorted(titles(client.get(url))) == sorted(["迟", "准", "结"])
    assert titles(client.get(url, {"breached": "yes"})) == ["迟"]
    assert titles(client.get(url, {"status": "resolved"})) == ["结"]
    assert titles(client.get(url, {"kind": "training_request"})) == ["准"]
    assert titles(client.get(url, {"severity": "critical"})) == ["迟"]
    assert titles(client.get(url, {"q": "准"})) == ["准"]
    assert sorted(titles(client.get(url, {"status": "open"}))) == sorted(["迟", "准"])


def test_sorting_pages_and_the_empty_state(world: World, settings: Any) -> None:
    settings.OPENKAM_PAGE_SIZE = 2
    for hours in (1, 2, 3):
        case(world.account, title=f"{hours}h", opened_at=NOON - dt.timedelta(hours=hours))
    client = client_for(world.kam)
    url = reverse("service:list")
    assert titles(client.get(url)) == ["1h", "2h"]
    assert titles(client.get(url, {"page": 2})) == ["3h"]
    assert titles(client.get(url, {"sort": "opened"})) == ["3h", "2h"]
    empty = client.get(url, {"q": "无"})
    assert "No service cases match" in empty.content.decode()


@pytest.mark.parametrize("rows", [1, 6])
def test_the_query_count_does_not_grow_with_the_rows(
    world: World, rows: int, django_assert_num_queries: Any
) -> None:
    for _ in range(rows):
        case(world.account, owner=world.kam)
    client = client_for(world.kam)
    url = reverse("service:list")
    client.get(url)
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
