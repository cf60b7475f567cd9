"""In a real browser: a KAM screens a prospect, opens an opportunity from the account page,
moves it by the card's select (the keyboard's way), by dragging the card, then to won on its
page; the account shows its open opportunities; the director sees the weighted pipeline per
KAM. Pages photographed in zh-hans and en (test-artifacts/ and /work/notes/shots/pipeline/
when it exists)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from openkam.accounts.models import LifecycleStage
from openkam.conftest import World
from openkam.factories import AccountFactory
from openkam.pipeline.models import Opportunity, ProspectScreening, StageChange
from openkam.pipeline.tests.builders import opportunity
from openkam.web.tests.conftest import artifacts, browser, page

pytestmark = pytest.mark.browser
__all__ = ["artifacts", "browser", "page"]
SHOTS = Path("/work/notes/shots/pipeline")


def _login(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url("/")


def test_a_kam_wins_an_opportunity_and_the_director_weighs_the_pipeline(
    page: Page, world: World, artifacts: Path
) -> None:
    def shot(name: str) -> None:
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if SHOTS.is_dir():
            shutil.copy(path, SHOTS / f"{name}.png")

    prospect = AccountFactory.create(
        legal_name="苏州新目标电梯有限公司", team=world.team, owner=world.kam,
        lifecycle_stage=LifecycleStage.IDENTIFICATION,
    )  # fmt: skip
    opportunity(world.account, title="旧梯更新改造", amount="800000", stage="quotation")
    close = (dt.date.today() + dt.timedelta(days=60)).isoformat()

    _login(page, "kam1")
    page.goto("/pipeline/prospects/")
    page.click(f"[data-testid=screen-{prospect.pk}]")
    page.check("input[name=outcome][value=qualified]")
    page.fill("textarea[name=reason]", "新建厂区，年需求约200台")
    shot("prospect-screen-zh")
    page.click("[data-testid=screen-save]")
    expect(page.locator("[data-testid=prospect-row]")).to_contain_text("合格")
    assert ProspectScreening.objects.get().outcome == "qualified"

    page.goto(f"/accounts/{world.account.pk}/")
    page.click("[data-testid=create-opportunity]")
    page.fill("[name=title]", "新厂区扶梯项目")
    page.fill("[name=amount]", "1200000")
    page.fill("[name=expected_close]", close)
    page.fill("[name=next_step]", "提交技术方案")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=stage-badge]")).to_have_text("需求分析")
    deal = Opportunity.objects.get(title="新厂区扶梯项目")

    page.goto("/pipeline/")
    card = page.locator(f"[data-testid=card-{deal.pk}]")
    expect(page.locator("[data-testid=column-needs_analysis]")).to_contain_text("新厂区扶梯项目")
    card.locator("select[name=stage]").select_option("solution_design")
    card.locator(f"[data-testid=move-button-{deal.pk}]").press("Enter")
    expect(page.locator("[data-testid=column-solution_design]")).to_contain_text("新厂区扶梯项目")
    page.locator(f"[data-testid=card-{deal.pk}]").drag_to(
        page.locator("[data-testid=column-quotation] .okam-dropzone")
    )
    expect(page.locator("[data-testid=column-quotation]")).to_contain_text("新厂区扶梯项目")
    shot("board-zh")

    page.goto(deal.get_absolute_url())
    page.click("[data-testid=move-negotiation]")
    expect(page.locator("[data-testid=stage-badge]")).to_have_text("谈判")
    expect(page.locator("[data-testid=weighted]")).to_have_text("¥90万")
    page.click("[data-testid=move-won]")
    expect(page.locator("[data-testid=stage-badge]")).to_have_text("赢单")
    shot("opportunity-won-zh")
    moves = StageChange.objects.filter(opportunity=deal).values_list("to_stage", flat=True)
    assert list(moves) == [
        "needs_analysis", "solution_design", "quotation", "negotiation", "won",
    ]  # fmt: skip

    page.goto(f"/accounts/{world.account.pk}/")
    card = page.locator("[data-testid=account-opportunities-card]")
    expect(card.locator("[data-testid=account-opportunity]")).to_have_count(1)
    expect(card).to_contain_text("旧梯更新改造")

    _login(page, "dir")
    page.goto("/pipeline/figures/")
    owner = page.locator("[data-testid=weighted-owner-row]")
    expect(owner).to_have_count(1)
    expect(owner.locator("[data-testid=weighted-value]")).to_have_text("¥40万")  # 80万 x 50%
    shot("figures-zh")

    page.click("[data-testid=language-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/pipeline/figures/")
    expect(owner.locator("[data-testid=weighted-value]")).to_have_text("¥400K")
    shot("figures-en")
    page.goto("/pipeline/")
    shot("board-en")
    page.goto(deal.get_absolute_url())
    shot("opportunity-won-en")
