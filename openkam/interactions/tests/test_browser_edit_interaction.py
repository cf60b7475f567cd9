"""A KAM in a real browser corrects a visit on the timeline (htmx, in place), opens its
history, and reads both in English. Screenshots of every step go to
test-artifacts/<test name>/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openkam.conftest import World
from openkam.factories import ContactFactory
from openkam.interactions.models import Interaction
from openkam.interactions.tests.builders import logged

pytestmark = pytest.mark.browser


def test_a_kam_corrects_a_visit_in_place_and_reads_its_history_in_both_languages(
    page: Page, world: World, artifacts: Path
) -> None:
    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)

    buyer = ContactFactory.create(account=world.account, name="王经理", title="采购总监")
    ContactFactory.create(account=world.account, name="李工", title="技术总监")
    visit = logged(
        world.account,
        by=world.kam,
        day=timezone.localdate() - dt.timedelta(days=3),
        ours=[world.kam],
        theirs=[buyer],
        subject="季度业务回访",
    )
    page.goto("/login/")
    page.fill("input[name=username]", "kam1")
    page.fill("input[name=password]", "pw-for-tests")
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url("/")

    page.goto(f"/interactions/accounts/{world.account.pk}/")
    entry = page.locator(f"#i{visit.pk}")
    entry.locator("[data-testid=event-edit]").click()
    form = page.locator("[data-testid=edit-form]")
    expect(form.locator("[data-testid=edit-subject]")).to_have_value("季度业务回访")
    shot("01-edit-in-place")

    form.locator("[data-testid=edit-cancel]").click()
    expect(page.locator("[data-testid=edit-form]")).to_have_count(0)
    expect(entry.locator("[data-testid=event-subject]")).to_have_text("季度业务回访")

    entry.locator("[data-testid=event-edit]").click()
    form.locator("[data-testid=edit-subject]").fill("季度业务回访（技术交流）")
    form.locator("[data-testid=their-participant]", has_text="李工").locator("input").check()
    form.locator("[data-testid=edit-next_step]").fill("安排样机测试")
    form.locator("[data-testid=edit-submit]").click()
    expect(entry.locator("[data-testid=event-subject]")).to_have_text("季度业务回访（技术交流）")
    expect(entry).to_contain_text("李工")
    visit.refresh_from_db()
    assert visit.subject == "季度业务回访（技术交流）"
    assert {c.name for c in visit.their_participants.all()} == {"王经理", "李工"}
    assert Interaction.history.filter(id=visit.pk).count() == 2

    entry.locator("[data-testid=event-history] summary").click()
    history = entry.locator("[data-testid=history]")
    expect(history.locator("[data-testid=history-entry]")).to_have_count(2)
    expect(history).to_contain_text("+ 李工")
    expect(history).to_contain_text("记录了这次互动")
    shot("02-saved-with-history")

    page.click("[data-testid=language-en]")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    entry.locator("[data-testid=event-history] summary").click()
    expect(entry.locator("[data-testid=history]")).to_contain_text("Their participants:")
    expect(entry.locator("[data-testid=history]")).to_contain_text("logged the interaction")
    shot("03-history-english")

    page.goto(f"/interactions/{visit.pk}/edit/")
    page.locator("[data-testid=edit-subject]").fill("")
    page.locator("[data-testid=edit-submit]").click()
    expect(page.locator("[data-testid=error-subject]")).to_be_visible()
    shot("04-edit-page-error-english")
    visit.refresh_from_db()
    assert visit.subject == "季度业务回访（技术交流）"
