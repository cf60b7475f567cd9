"""The glossary explains the KAM terms in the reader's language and is linked from the user
menu on every page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "term", "meaning"),
    [
        ("zh-hans", "活跃概率", "估计客户仍在向我们采购的可能性"),
        ("en", "Probability alive", "How likely the customer is still buying from us"),
    ],
)
def test_the_glossary_explains_the_terms_in_the_readers_language(
    world: World, language: str, term: str, meaning: str
) -> None:
    client = client_for(world.viewer)
    client.cookies["django_language"] = language
    page = client.get(reverse("glossary")).content.decode()
    assert 'data-testid="term-p_alive"' in page
    assert term in page
    assert meaning in page


def test_every_page_links_the_glossary(world: World) -> None:
    page = client_for(world.kam).get(reverse("home")).content.decode()
    assert f'href="{reverse("glossary")}" data-testid="menu-glossary"' in page
