"""The account list is paginated by settings.OPENKAM_PAGE_SIZE and says what it shows."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from openkam.accounts.models import Tier
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("accounts:list")


@pytest.fixture
def client_with_60(world: World, settings: object) -> Client:
    AccountFactory.create_batch(57, team=world.team, tier=Tier.MAJOR)
    return client_for(world.executive)


def test_pages_hold_the_configured_number_of_accounts(client_with_60: Client) -> None:
    response = client_with_60.get(URL)
    page = response.context["page"]
    assert page.paginator.per_page == 25
    assert len(page.object_list) == 25
    assert page.paginator.count == 60
    assert "1–25 of 60 accounts" in response.content.decode()


def test_the_last_page_shows_the_rest(client_with_60: Client) -> None:
    response = client_with_60.get(URL, {"page": "3"})
    assert len(response.context["page"].object_list) == 10
    assert "51–60 of 60 accounts" in response.content.decode()


def test_a_page_out_of_range_shows_the_last_page(client_with_60: Client) -> None:
    assert client_with_60.get(URL, {"page": "99"}).context["page"].number == 3
    assert client_with_60.get(URL, {"page": "abc"}).context["page"].number == 1


def test_pagination_links_keep_search_filters_and_sort(client_with_60: Client) -> None:
    html = client_with_60.get(URL, {"tier": "major", "sort": "-name"}).content.decode()
    assert 'href="?tier=major&amp;sort=-name&amp;page=2"' in html


def test_pages_do_not_overlap(client_with_60: Client) -> None:
    seen: list[int] = []
    for number in (1, 2, 3):
        page = client_with_60.get(URL, {"page": str(number), "sort": "tier"}).context["page"]
        seen += [account.pk for account in page.object_list]
    assert len(seen) == len(set(seen)) == 60


def test_the_page_size_follows_the_setting(client_with_60: Client, settings: object) -> None:
    settings.OPENKAM_PAGE_SIZE = 50  # type: ignore[attr-defined]
    assert len(client_with_60.get(URL).context["page"].object_list) == 50
