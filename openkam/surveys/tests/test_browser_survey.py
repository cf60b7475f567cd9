"""In a real browser: a contact opens their survey link with no login (phone width), answers in
Chinese as a detractor; the account's NPS and the KAM's follow-up appear; a second submit with
the same link (a second tab opened before the first answer) is refused and stores nothing.
Pages photographed in zh-hans and en (test-artifacts/ and /work/notes/shots/h1/ when it
exists)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from openkam.conftest import World
from openkam.surveys.models import Response
from openkam.surveys.tests.builders import answer, campaign, contact, recipient
from openkam.web.tests.conftest import artifacts, browser, page

pytestmark = pytest.mark.browser
__all__ = ["artifacts", "browser", "page"]
SHOTS = Path("/work/notes/shots/h1")
PHONE: ViewportSize = {"width": 390, "height": 844}


def _login(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url("/")


def test_a_contact_answers_in_chinese_and_the_kam_sees_it(
    page: Page, world: World, artifacts: Path
) -> None:
    def shot(name: str, *, full: bool = True) -> None:
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path), full_page=full)
        if SHOTS.is_dir():
            shutil.copy(path, SHOTS / f"{name}.png")

    wave = campaign("2026年客户满意度调查")
    boss = contact(world.account, name="王建国", title="采购总监", influence_level=5,
                   influence_type="economic")  # fmt: skip
    _asked, token = recipient(wave, boss)
    answer(wave, contact(world.account, name="李工", influence_level=2, influence_type="user"),
           10, csat=5, comment="技术支持响应很快。")  # fmt: skip
    _english, english_token = recipient(wave, contact(world.account, name="Tom"), language="en")

    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    page.goto(f"/s/{token}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("[data-testid=question-nps]")).to_contain_text("推荐")
    second = page.context.new_page()  # the same link, opened before the answer is sent
    second.set_viewport_size(PHONE)
    second.goto(f"/s/{token}/")
    shot("public-answer-phone-zh")
    page.click("label[for=csat_product-2]")
    page.click("label[for=csat_service-3]")
    page.click("label[for=csat_sales-4]")
    page.click("label[for=nps-3]")
    page.fill("#comment", "最近两批到货不良率偏高，希望尽快改进。")
    page.click("[data-testid=survey-submit]")
    expect(page.locator("[data-testid=survey-thanks]")).to_contain_text("感谢")
    shot("public-thanks-phone-zh")

    second.click("label[for=nps-10]")
    second.click("[data-testid=survey-submit]")
    expect(second.locator("[data-testid=survey-unusable]")).to_contain_text("此链接无法使用")
    second.close()
    assert list(Response.objects.filter(contact=boss).values_list("nps", flat=True)) == [3]

    page.goto(f"/s/{english_token}/")
    expect(page.locator("[data-testid=question-nps]")).to_contain_text("recommend")
    shot("public-answer-phone-en")

    desktop: ViewportSize = {"width": 1440, "height": 900}
    page.set_viewport_size(desktop)
    _login(page, "kam1")
    page.goto(f"/accounts/{world.account.pk}/")
    card = page.locator("[data-testid=account-survey-card]")
    # Plain: one promoter, one detractor = 0. Weighted: (2 - 10) / 12 = -67.
    expect(card.locator("[data-testid=account-nps]")).to_have_text("0")
    expect(card.locator("[data-testid=account-weighted-nps]")).to_have_text("-67")
    expect(card.locator("[data-testid=detractor]")).to_have_count(1)
    card.scroll_into_view_if_needed()
    card.screenshot(path=str(artifacts / "account-card-zh.png"))
    if SHOTS.is_dir():
        shutil.copy(artifacts / "account-card-zh.png", SHOTS / "account-card-zh.png")

    page.goto("/interactions/my-week/")
    expect(page.locator("body")).to_contain_text("就满意度答卷回访王建国")
    shot("my-week-follow-up-zh")

    page.goto("/surveys/?by=account")
    expect(page.locator("[data-testid=result-row]")).to_have_count(1)
    expect(page.locator("[data-testid=total-weighted-nps]")).to_have_text("-67")
    shot("results-zh")

    page.click("[data-testid=language-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/surveys/?by=account")
    expect(page.locator("[data-testid=survey-results]")).to_contain_text("Role-weighted NPS")
    shot("results-en")
    page.goto(f"/accounts/{world.account.pk}/")
    card = page.locator("[data-testid=account-survey-card]")
    expect(card).to_contain_text("Role-weighted NPS")
    card.scroll_into_view_if_needed()
    card.screenshot(path=str(artifacts / "account-card-en.png"))
    if SHOTS.is_dir():
        shutil.copy(artifacts / "account-card-en.png", SHOTS / "account-card-en.png")
