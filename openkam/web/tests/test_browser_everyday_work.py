"""Issue 15's done-when, in Chinese, for creating and editing in the app: a KAM adds an
account, two contacts (one reporting to the other), a need and a competitor, logs a visit with
a colleague, and finds them all on the account page. (The transactions import of the same
walk belongs to the imports part of the issue and is not here.) Screenshots go to
test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from openkam.accounts.models import Account, CompetitorPresence, Need
from openkam.conftest import World
from openkam.interactions.models import Interaction
from openkam.relationships.models import Contact

pytestmark = pytest.mark.browser


def test_a_kam_records_a_new_account_and_its_relationship_in_chinese(
    page: Page, world: World, artifacts: Path
) -> None:
    world.director.display_name = "赵总监"
    world.director.save()

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)

    page.goto("/login/")
    page.fill("input[name=username]", "kam1")
    page.fill("input[name=password]", "pw-for-tests")
    page.click("[data-testid=login-submit]")
    expect(page).to_have_url("/")

    page.goto("/accounts/")
    page.click("[data-testid=new-account]")
    expect(page.locator("h2.page-title")).to_have_text("新建客户")
    page.fill("[data-testid=field-legal_name]", "宁波新材料有限公司")
    page.fill("[data-testid=field-short_name]", "宁波新材")
    shot("01-new-account")
    page.click("[data-testid=save-account]")
    expect(page.locator("[data-testid=account-title]")).to_have_text("宁波新材料有限公司")
    account = Account.objects.get(legal_name="宁波新材料有限公司")
    assert (account.team_id, account.owner_id) == (world.team.pk, world.kam.pk)

    page.click("[data-testid=tab-contacts]")
    page.click("[data-testid=empty-add-contact]")
    form = page.locator("[data-testid=form-contact]")
    form.locator("[data-testid=field-name]").fill("李国光")
    form.locator("[data-testid=field-title]").fill("总经理")
    form.locator("[data-testid=save-contact]").click()
    expect(page.locator("[data-testid=contacts-table]")).to_contain_text("李国光")
    page.click("[data-testid=add-contact]")
    form = page.locator("[data-testid=form-contact]")
    form.locator("[data-testid=field-name]").fill("王鹏强")
    form.locator("[data-testid=field-title]").fill("采购总监")
    form.locator("[data-testid=field-reports_to]").select_option(label="李国光 (总经理)")
    shot("02-second-contact")
    form.locator("[data-testid=save-contact]").click()
    expect(page.locator("[data-testid=reports-to]")).to_have_text("上级：李国光")

    page.click("a[href='#needs']")
    page.click("[data-testid=empty-add-need]")
    form = page.locator("[data-testid=form-need]")
    form.locator("[data-testid=field-kind]").select_option("cost")
    form.locator("[data-testid=field-description]").fill("降低库存资金占用")
    form.locator("[data-testid=field-owner]").select_option(label=str(world.kam))
    form.locator("[data-testid=field-source]").fill("首次拜访")
    form.locator("[data-testid=save-need]").click()
    expect(page.locator("[data-testid=section-needs]")).to_contain_text("降低库存资金占用")
    expect(page.locator("[data-testid=need-status]")).to_have_text("未结")

    page.click("[data-testid=empty-add-competitor]")
    form = page.locator("[data-testid=form-competitor]")
    form.locator("[data-testid=field-competitor]").fill("华钢导轨")
    form.locator("[data-testid=field-share_of_wallet]").fill("35")
    shot("03-competitor")
    form.locator("[data-testid=save-competitor]").click()
    expect(page.locator("[data-testid=section-competitors]")).to_contain_text("华钢导轨")

    page.click("[data-testid=timeline-link]")
    log = page.locator("[data-testid=log-form]")
    log.locator("[data-testid=interaction-kind]").select_option("visit")
    log.locator("[data-testid=interaction-subject]").fill("首次拜访宁波新材")
    log.locator("[data-testid=their-participant]", has_text="王鹏强").locator("input").check()
    log.locator("[data-testid=our-participants-search]").fill("赵总")
    colleague = log.locator("[data-testid=our-participant]", has_text="赵总监")
    expect(colleague).to_be_visible()
    expect(
        log.locator("[data-testid=our-participant]", has_text=str(world.kam)).locator("input")
    ).to_be_checked()
    colleague.locator("input").check()
    shot("04-visit")
    log.locator("[data-testid=log-submit]").click()
    expect(page.locator("[data-testid=log-success]")).to_be_visible()
    event = page.locator("[data-testid=timeline-event]", has_text="首次拜访宁波新材")
    expect(event).to_contain_text("赵总监")
    expect(event).to_contain_text("王鹏强")

    page.goto(account.get_absolute_url())
    expect(page.locator("[data-testid=tab-contacts]")).to_contain_text("2")
    page.click("[data-testid=tab-contacts]")
    expect(page.locator("[data-testid=contact-name]")).to_have_text(["李国光", "王鹏强"])
    page.click("a[href='#needs']")
    expect(page.locator("[data-testid=section-needs]")).to_contain_text("降低库存资金占用")
    expect(page.locator("[data-testid=section-competitors]")).to_contain_text("华钢导轨")
    shot("05-account-page")
    page.click("[data-testid=competitor-link]")
    expect(page.locator("[data-testid=competitor-presences]")).to_contain_text("宁波新材")

    visit = Interaction.objects.get(subject="首次拜访宁波新材")
    assert set(visit.our_participants.all()) == {world.kam, world.director}
    assert [c.name for c in visit.their_participants.all()] == ["王鹏强"]
    boss = Contact.objects.get(name="王鹏强").reports_to
    assert boss is not None
    assert boss.name == "李国光"
    assert Need.objects.get(account=account).owner == world.kam
    assert CompetitorPresence.objects.get(account=account).share_of_wallet == 35
