"""A KAM in a real browser: the relationship map, an inline edit of a contact's support, a
visit logged and seen on the timeline, and the pages in English. Screenshots of every step
go to test-artifacts/<test name>/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from playwright.sync_api import Page, expect

from openkam.accounts.models import Tier
from openkam.conftest import World
from openkam.factories import ContactFactory
from openkam.interactions.models import Interaction
from openkam.interactions.tests.builders import interaction
from openkam.relationships.models import Contact, Support

pytestmark = pytest.mark.browser


def translated(text: str, language: str) -> str:
    with translation.override(language):
        return gettext(text)


@pytest.fixture
def buyer(world: World) -> Contact:
    world.account.legal_name = "远景电梯(上海)有限公司"
    world.account.short_name = "远景上海"
    world.account.tier = Tier.KEY
    world.account.save()
    boss = ContactFactory.create(
        account=world.account,
        name="刘总",
        title="总经理",
        function="management",
        influence_type="economic",
        influence_level=5,
        support=1,
        stage_choice=True,
    )
    buyer = ContactFactory.create(
        account=world.account,
        name="王经理",
        title="采购总监",
        function="purchasing",
        influence_type="technical",
        influence_level=4,
        reports_to=boss,
        support=0,
        stage_options=True,
        stage_choice=True,
        contact_every_days=30,
    )
    ContactFactory.create(
        account=world.account,
        name="陈工",
        title="技术总监",
        function="engineering",
        influence_type="user",
        reports_to=boss,
        support=-1,
        stage_needs=True,
    )
    interaction(
        world.account,
        day=timezone.localdate() - dt.timedelta(days=20),
        ours=[world.kam],
        theirs=[buyer],
        subject="季度业务回访",
    )
    return buyer


def test_a_kam_edits_support_inline_logs_a_visit_and_reads_it_in_english(
    page: Page, world: World, buyer: Contact, artifacts: Path
) -> None:
    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)

    page.goto("/login/")
    page.fill("input[name=username]", "kam1")
    page.fill("input[name=password]", "pw-for-tests")
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url("/")

    page.goto(f"/relationships/accounts/{world.account.pk}/")
    expect(page.locator("[data-testid=account-title]")).to_have_text("远景电梯(上海)有限公司")
    expect(page.locator("[data-testid=chart-wheel] canvas")).to_be_visible()
    expect(page.locator("[data-testid=chart-org] canvas")).to_be_visible()
    expect(page.locator("[data-testid=buying-stage_after_sale]")).to_have_attribute(
        "data-status", "gap"
    )
    shot("01-relationship-map")

    row = page.locator(f"#contact-{buyer.pk}")
    row.locator("[data-testid=cell-support]").click()
    editor = row.locator("[data-testid=edit-support]")
    expect(editor).to_be_visible()
    shot("02-support-editor")
    editor.select_option(str(Support.CHAMPION))
    expect(row.locator(f"[data-testid=support-{buyer.pk}]")).to_have_text(
        translated("Champion", "zh-hans")
    )
    buyer.refresh_from_db()
    assert buyer.support == Support.CHAMPION
    # The panels that follow from the contacts were refreshed without reloading the page.
    expect(page.locator("[data-testid=buying-stage_options]")).to_contain_text("2")
    shot("03-support-saved")

    page.click("[data-testid=log-interaction]")
    expect(page.locator("[data-testid=log-form]")).to_be_visible()
    page.select_option("[data-testid=interaction-kind]", "visit")
    page.fill("[data-testid=interaction-subject]", "拜访采购总监，沟通年度框架协议")
    page.locator("[data-testid=their-participant]", has_text="王经理").locator("input").check()
    page.fill("[data-testid=interaction-notes]", "客户计划明年扩产，希望锁定价格。")
    page.fill("[data-testid=interaction-next_step]", "提交正式报价")
    page.click("[data-testid=log-submit]")
    expect(page.locator("[data-testid=log-success]")).to_be_visible()
    first_event = page.locator("[data-testid=timeline-event]").first
    expect(first_event.locator("[data-testid=event-subject]")).to_have_text(
        "拜访采购总监，沟通年度框架协议"
    )
    expect(first_event).to_contain_text("王经理")
    logged = Interaction.objects.get(subject="拜访采购总监，沟通年度框架协议")
    assert list(logged.their_participants.all()) == [buyer]
    assert list(logged.our_participants.all()) == [world.kam]
    shot("04-visit-on-timeline")

    page.click("[data-testid=language-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-testid=link-timeline]")).to_have_text("Interactions")
    expect(page.locator("[data-testid=log-submit]")).to_have_text("Save interaction")
    shot("05-timeline-english")

    page.click("[data-testid=link-relationship-map]")
    expect(page.locator("[data-testid=assessed-stage]")).to_have_text("Early KAM")
    expect(page.locator(f"[data-testid=support-{buyer.pk}]")).to_have_text("Champion")
    expect(page.locator("[data-testid=chart-wheel] canvas")).to_be_visible()
    shot("06-relationship-map-english")
