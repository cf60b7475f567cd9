"""The competitor list and page: only what the user's visible accounts show (a competitor
seen only at another team is 404), search, sort, pages and an empty state, queries pinned;
strengths and weaknesses edited by writers (readers 403, nothing saved)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from openkam.accounts.models import Competitor, CompetitorPresence
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory

LIST = reverse("accounts:competitors")


def present(name: str, *accounts: Any, share: str | None = None, **facts: str) -> Competitor:
    rival, _ = Competitor.objects.get_or_create(name=name, defaults=facts)
    for account in accounts:
        CompetitorPresence.objects.create(
            account=account, competitor=rival, share_of_wallet=Decimal(share) if share else None
        )
    return rival


def test_the_list_counts_only_visible_accounts(world: World) -> None:
    present("华钢导轨", world.account, world.other_account, share="40")
    present("别队独有", world.other_account)
    page = client_for(world.kam).get(LIST).content.decode()
    assert "华钢导轨" in page
    assert "别队独有" not in page
    rows = client_for(world.kam).get(LIST).context["page"].object_list
    assert [(r.name, r.accounts, r.average_share) for r in rows] == [("华钢导轨", 1, Decimal("40"))]


def test_search_and_sort(world: World) -> None:
    present("甲公司", world.account, share="10", strengths="价格低")
    present("乙公司", world.account, AccountFactory.create(team=world.team), share="30")
    client = client_for(world.kam)
    found = client.get(LIST, {"q": "价格"}).context["page"].object_list
    assert [r.name for r in found] == ["甲公司"]
    by_accounts = client.get(LIST, {"sort": "-accounts"}).context["page"].object_list
    assert [r.name for r in by_accounts] == ["乙公司", "甲公司"]
    by_share = client.get(LIST, {"sort": "-share"}).context["page"].object_list
    assert [r.name for r in by_share] == ["乙公司", "甲公司"]


def test_an_empty_search_says_so(world: World, english: None) -> None:
    page = client_for(world.kam).get(LIST, {"q": "nothing"}).content.decode()
    assert "No competitor matches the search" in page


def test_the_list_is_paged(world: World, settings: Any) -> None:
    settings.OPENKAM_PAGE_SIZE = 2
    for n in range(5):
        present(f"对手{n}", world.account)
    second = client_for(world.kam).get(LIST, {"page": 2}).context["page"]
    assert (second.paginator.count, [r.name for r in second.object_list]) == (5, ["对手2", "对手3"])


@pytest.mark.parametrize("n", [2, 12])
def test_the_list_and_page_cost_the_same_queries_for_few_and_many(
    world: World, django_assert_num_queries: Any, n: int
) -> None:
    rival = present("华钢导轨", world.account)
    for i in range(n):
        present(f"对手{i}", AccountFactory.create(team=world.team))
        CompetitorPresence.objects.create(
            account=AccountFactory.create(team=world.team), competitor=rival
        )
    client = client_for(world.kam)
    with django_assert_num_queries(4):
        assert client.get(LIST).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(reverse("accounts:competitor", args=[rival.pk])).status_code == 200


def test_the_page_shows_the_competitor_where_the_user_sees_it(world: World) -> None:
    rival = present("华钢导轨", world.account, world.other_account, share="40",
                    strengths="交期短", weaknesses="价格高")  # fmt: skip
    page = client_for(world.kam).get(reverse("accounts:competitor", args=[rival.pk]))
    text = page.content.decode()
    assert "交期短" in text
    assert "价格高" in text
    assert str(world.account) in text
    assert str(world.other_account) not in text


@pytest.mark.parametrize("who", ["kam", "director", "viewer"])
def test_a_competitor_seen_only_at_another_team_is_404(world: World, who: str) -> None:
    rival = present("别队独有", world.other_account)
    client = client_for(getattr(world, who))
    url = reverse("accounts:competitor", args=[rival.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"strengths": "改"}).status_code == 404
    rival.refresh_from_db()
    assert rival.strengths == ""


@pytest.mark.parametrize("reader", ["viewer", "analyst"])
def test_readers_may_not_edit_strengths(world: World, reader: str) -> None:
    rival = present("华钢导轨", world.account)
    url = reverse("accounts:competitor", args=[rival.pk])
    client = client_for(getattr(world, reader))
    assert client.get(url).status_code == 200
    assert client.post(url, {"strengths": "改"}).status_code == 403
    rival.refresh_from_db()
    assert rival.strengths == ""


def test_a_writer_edits_strengths_and_weaknesses(world: World) -> None:
    rival = present("华钢导轨", world.account)
    url = reverse("accounts:competitor", args=[rival.pk])
    response = client_for(world.kam).post(url, {"country": "中国", "strengths": "交期短",
                                                "weaknesses": "价格高"})  # fmt: skip
    assert response.status_code == 302
    rival.refresh_from_db()
    assert (rival.country, rival.strengths, rival.weaknesses) == ("中国", "交期短", "价格高")
    assert rival.history.first().history_user == world.kam
