"""The header in both modes and both languages: the promotion mode's English says the office's
short words (Targets, Promotion work, Investment Promotion) so the header fits 1,440 px (the
long ones made it 1,594 px wide; screenshots in /work/notes/shots/h3/nav-*); the sales mode
keeps its own words."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.pipeline.vocabulary import Entry, promotion_entries

pytestmark = pytest.mark.django_db


def _header(world: World, language: str) -> list[str]:
    client = client_for(world.executive)
    client.cookies["django_language"] = language
    page = client.get(reverse("pipeline:board")).content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    brand = re.search(r"okam-brand-sub[^>]*>([^<]+)<", header)
    titles = re.findall(r'<span class="nav-link-title">([^<]+)</span>', header)
    return [brand.group(1) if brand else "", *titles[:4]]


def test_the_sales_header_keeps_its_words(world: World) -> None:
    assert _header(world, "en") == [
        "Key Account Management", "Home", "Accounts", "My week", "Account work",
    ]  # fmt: skip
    assert _header(world, "zh-hans") == ["大客户管理", "首页", "客户", "我的一周", "客户经营"]


def test_the_promotion_header_says_the_offices_short_words(world: World, settings: Any) -> None:
    settings.OPENKAM_MODE = "promotion"
    settings.LOCALE_PATHS = [settings.PROMOTION_LOCALE, *settings.LOCALE_PATHS]
    assert _header(world, "en") == [
        "Investment Promotion", "Home", "Targets", "My week", "Promotion work",
    ]  # fmt: skip
    assert _header(world, "zh-hans") == [
        "招商引资管理", "首页", "目标企业", "我的一周", "目标企业经营",
    ]  # fmt: skip


def test_the_header_context_is_short_only_in_the_header(tmp_path: Any) -> None:
    po = tmp_path / "zh_Hans" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid "Accounts"\nmsgstr "客户"\n\n'
        'msgctxt "navigation"\nmsgid "Accounts"\nmsgstr "客户"\n',
        encoding="utf-8",
    )
    _chinese, english = promotion_entries([po])
    found = {(entry.msgctxt, entry.msgid): entry.msgstr[0] for entry in english}
    assert found[(None, "Accounts")] == "Target enterprises"
    assert found[("navigation", "Accounts")] == "Targets"
    assert isinstance(english[0], Entry)
