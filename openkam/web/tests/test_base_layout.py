"""The frame around every page: navigation, user menu, language switch, html lang."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from openkam.conftest import World, client_for

pytestmark = pytest.mark.django_db


def test_the_page_is_in_chinese_by_default(world: World) -> None:
    html = client_for(world.kam).get(reverse("home")).content.decode()
    assert '<html lang="zh-hans">' in html


def test_the_language_switch_turns_the_page_to_english_and_back(world: World) -> None:
    client = client_for(world.kam)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("accounts:list")}
    )
    assert response["Location"] == reverse("accounts:list")
    assert '<html lang="en">' in client.get(reverse("accounts:list")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert '<html lang="zh-hans">' in client.get(reverse("home")).content.decode()


def test_the_switch_returns_to_the_current_page_with_its_query(world: World) -> None:
    html = client_for(world.kam).get(reverse("accounts:list"), {"tier": "key"}).content.decode()
    assert '<input type="hidden" name="next" value="/accounts/?tier=key">' in html


@pytest.mark.usefixtures("english")
def test_the_user_menu_names_the_user_and_their_role(world: World) -> None:
    world.kam.display_name = "张伟"
    world.kam.save()
    html = client_for(world.kam).get(reverse("home")).content.decode()
    assert "张伟" in html
    assert "Key account manager" in html


def test_the_admin_link_is_for_staff_only(world: World) -> None:
    assert reverse("admin:index") not in client_for(world.kam).get("/").content.decode()
    world.executive.is_staff = True
    world.executive.save()
    assert reverse("admin:index") in client_for(world.executive).get("/").content.decode()


def test_navigation_marks_the_current_section(world: World) -> None:
    html = client_for(world.kam).get(reverse("accounts:list")).content.decode()
    assert '<li class="nav-item active">\n            <a class="nav-link" href="/accounts/"' in html


def test_static_assets_come_from_our_own_server(db: None) -> None:
    html = Client().get(reverse("login")).content.decode()
    assert "/static/vendor/tabler/tabler.min" in html
    # Every stylesheet and script is served by us: no absolute or protocol-relative URL.
    # (A plain "cdn" substring check was flaky: the random CSRF token can contain it.)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assets = [s for s in sources if s.endswith((".js", ".css")) or "/static/" in s]
    assert assets
    assert all(s.startswith("/static/") for s in assets), assets
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
