"""A refused write is the project's styled 403 page, in the reader's language, with a way back
to the dashboard and the account list; nothing is saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openkam.accounts.models import Account
from openkam.conftest import World, client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "sentence"),
    [("zh-hans", "您可以查看，但不能修改"), ("en", "You may read this, but not change it")],
)
def test_a_viewer_refused_a_write_sees_the_styled_403_page(
    world: World, language: str, sentence: str
) -> None:
    client = client_for(world.viewer)
    client.cookies["django_language"] = language
    before = Account.objects.count()
    response = client.post(reverse("accounts:create"), {"legal_name": "新客户有限公司"})
    page = response.content.decode()
    assert response.status_code == 403
    assert 'data-testid="forbidden"' in page
    assert sentence in page
    assert f'href="{reverse("accounts:list")}"' in page
    assert Account.objects.count() == before


def test_every_page_links_the_favicon_file(world: World) -> None:
    page = client_for(world.kam).get(reverse("home")).content.decode()
    assert 'rel="icon" type="image/svg+xml" href="/static/img/favicon.' in page


def test_the_api_docs_page_has_the_apps_header_and_a_way_back(world: World) -> None:
    page = client_for(world.kam).get(reverse("api:openapi-view")).content.decode()
    assert 'data-testid="api-docs-header"' in page
    assert 'href="/" data-testid="api-docs-back"' in page
    assert 'id="swagger-ui"' in page
