"""In a real browser, in promotion mode (OPENKAM_MODE=promotion): an officer records a site
visit with a target's decision-makers, moves the project to signed, and the bureau
leadership sees the projects by chain and stage with the suppliers a chain leader brings.
The pages read 目标企业 / 招商项目 in Chinese and target enterprise / investment project in
English; the same pages in sales mode keep the sales words. Photographed in both languages
and both modes (test-artifacts/ and /work/notes/shots/h5/ when it exists)."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from openkam.conftest import World
from openkam.factories import AccountFactory
from openkam.interactions.models import Interaction
from openkam.pipeline.models import (
    ChainLink,
    IndustryChain,
    Opportunity,
    ProjectTerms,
    Stage,
    TargetProfile,
)
from openkam.pipeline.tests.builders import opportunity
from openkam.relationships.models import Contact
from openkam.web.tests.conftest import artifacts, browser, page

pytestmark = pytest.mark.browser
__all__ = ["artifacts", "browser", "page"]
SHOTS = Path("/work/notes/shots/h5")


def _login(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url("/")


def _promotion(settings: Any) -> None:
    settings.OPENKAM_MODE = "promotion"
    settings.LOCALE_PATHS = [settings.PROMOTION_LOCALE, *settings.LOCALE_PATHS]


def _office(world: World) -> Opportunity:
    chain = IndustryChain.objects.create(name="动力电池")
    leader = world.account
    TargetProfile.objects.create(
        account=leader, chain=chain, position="leader", technology_level=5,
        policy_asks="用地 300 亩，一年内交地",
    )  # fmt: skip
    for name, supplies in (("清源隔膜科技有限公司", "隔膜"), ("天合电解液有限公司", "电解液")):
        supplier = AccountFactory.create(
            team=world.team, owner=world.kam, legal_name=name, short_name=""
        )
        TargetProfile.objects.create(account=supplier, chain=chain, position="supplier")
        ChainLink.objects.create(anchor=leader, supplier=supplier, supplies=supplies)
        opportunity(supplier, title=f"{supplies}产线", amount="80000000", stage=Stage.LEAD)
    Contact.objects.create(account=leader, name="陈董", title="董事长", influence_type="economic")
    Contact.objects.create(account=leader, name="林总", title="投资副总裁")
    project = opportunity(leader, title="动力电池超级工厂", amount="1200000000",
                          stage=Stage.NEGOTIATION)  # fmt: skip
    ProjectTerms.objects.create(
        opportunity=project, land_mu=Decimal(400), jobs=2500,
        annual_output=Decimal("3000000000"), annual_tax=Decimal("120000000"),
        policy_land="挂牌底价出让", policy_tax="前三年地方留存全额奖励",
        competing_cities="合肥、常州", decision_date=dt.date.today() + dt.timedelta(days=45),
        park_fit=5,
    )  # fmt: skip
    return project


def test_an_officer_signs_a_project_and_the_leadership_sees_the_chain(
    page: Page, world: World, artifacts: Path, settings: Any
) -> None:
    def shot(name: str) -> None:
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if SHOTS.is_dir():
            shutil.copy(path, SHOTS / f"{name}.png")

    _promotion(settings)
    project = _office(world)
    # The first page after the switch loads every catalogue again: slow on a busy machine.
    page.set_default_timeout(90_000)
    page.set_default_navigation_timeout(90_000)

    _login(page, "kam1")
    page.goto(f"/interactions/accounts/{world.account.pk}/")
    form = page.locator("[data-testid=log-form]")
    form.locator("[name=kind]").select_option("visit")
    form.locator("[name=subject]").fill("实地考察：园区地块与配套")
    form.locator("[data-testid=their-participant]", has_text="陈董").locator("input").check()
    form.locator("[data-testid=their-participant]", has_text="林总").locator("input").check()
    shot("promotion-site-visit-zh")
    form.locator("[data-testid=log-submit]").click()
    expect(page.locator("[data-testid=log-success]")).to_be_visible()
    visit = Interaction.objects.get(subject="实地考察：园区地块与配套")
    assert {contact.name for contact in visit.their_participants.all()} == {"陈董", "林总"}

    page.goto(f"/pipeline/{project.pk}/")
    expect(page.locator("[data-testid=tax-per-mu]")).to_have_text("¥30万")  # 1.2 亿 / 400 亩
    page.fill("[data-testid=move-reason]", "投资协议签署")
    page.click("[data-testid=move-signed]")
    expect(page.locator("[data-testid=stage-badge]")).to_have_text("签约")
    shot("promotion-project-signed-zh")
    project.refresh_from_db()
    assert project.stage == Stage.SIGNED
    assert project.stage_changes.filter(to_stage="signed", user=world.kam).count() == 1

    page.goto("/pipeline/")
    expect(page.locator("[data-testid=column-signed]")).to_contain_text("动力电池超级工厂")
    expect(page.locator("h2, .page-title").first).to_contain_text("招商项目库")
    shot("promotion-board-zh")

    _login(page, "exec")
    page.goto("/pipeline/figures/")
    chains = page.locator("[data-testid=by-chain]")
    expect(chains.locator("[data-testid=chain-row]")).to_have_count(1)
    expect(chains).to_contain_text("动力电池")
    expect(page.locator("[data-testid=leader]")).to_contain_text(str(world.account))
    expect(page.locator("[data-testid=brought-supplier]")).to_have_count(2)
    expect(page.locator("[data-testid=chain-leaders]")).to_contain_text("清源隔膜科技有限公司")
    expect(page.locator("body")).to_contain_text("招商专员")
    shot("promotion-figures-zh")

    page.click("[data-testid=language-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-testid=by-chain]")).to_contain_text("Signed")
    expect(page.locator("body")).to_contain_text("Projects by chain and stage")
    expect(page.locator("body")).to_contain_text("Per promotion officer")
    shot("promotion-figures-en")
    page.goto(f"/pipeline/targets/{world.account.pk}/")
    expect(page.locator("[data-testid=supplier]")).to_have_count(2)
    expect(page.locator("body")).to_contain_text("Investment projects")
    shot("promotion-target-en")
    page.goto("/pipeline/")
    expect(page.locator("[data-testid=column-in_production]")).to_be_visible()
    shot("promotion-board-en")


def test_the_sales_mode_keeps_its_words_and_stages(
    page: Page, world: World, artifacts: Path
) -> None:
    def shot(name: str) -> None:
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if SHOTS.is_dir():
            shutil.copy(path, SHOTS / f"{name}.png")

    opportunity(world.account, title="旧梯更新改造", amount="800000", stage="quotation")
    _login(page, "exec")
    page.goto("/pipeline/")
    expect(page.locator("[data-testid=column-quotation]")).to_contain_text("旧梯更新改造")
    expect(page.locator("[data-testid=column-signed]")).to_have_count(0)
    expect(page.locator("body")).to_contain_text("商机管道")
    shot("sales-board-zh")
    page.goto("/pipeline/figures/")
    expect(page.locator("body")).to_contain_text("按大客户经理")
    shot("sales-figures-zh")
    page.click("[data-testid=language-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/pipeline/")
    expect(page.locator("body")).to_contain_text("Opportunities")
    shot("sales-board-en")
    page.goto("/pipeline/figures/")
    expect(page.locator("body")).to_contain_text("Per key account manager")
    expect(page.locator("[data-testid=promotion-figures]")).to_have_count(0)
    shot("sales-figures-en")
