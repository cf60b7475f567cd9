"""Done when, in a real browser: the KAM acknowledges a churn alert, opens a win-back case from
it, adds an action and records the outcome; the director finds the case on the win-back list
filtered by their team. The case and the list are photographed in zh-hans and en
(test-artifacts/ and, when it exists, /work/notes/shots/retention/)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openkam.conftest import World
from openkam.retention.models import WinBackCase
from openkam.retention.tests.builders import churn_alert

pytestmark = pytest.mark.browser
SHOTS = Path("/work/notes/shots/retention")


def _login(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url("/")


def test_a_kam_wins_back_an_account_and_the_director_sees_it(
    page: Page, world: World, artifacts: Path
) -> None:
    def shot(name: str) -> None:
        for language in ("zh-hans", "en"):
            page.context.add_cookies(
                [{"name": "django_language", "value": language, "url": page.url}]
            )
            page.reload()
            path = artifacts / f"{name}-{language}.png"
            page.screenshot(path=str(path), full_page=True)
            if SHOTS.is_dir():
                shutil.copy(path, SHOTS / f"browser-{name}-{language}.png")
        page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": page.url}])
        page.reload()

    raised = churn_alert(world.account)
    _login(page, "kam1")
    page.goto(f"/alerts/{raised.pk}/")
    page.click("[data-testid=acknowledge]")
    expect(page.locator("[data-testid=alert-state]")).to_have_text("已确认")
    page.click("[data-testid=open-winback]")
    page.select_option("[name=cause]", "competitor")
    page.fill("[name=notes]", "对手派驻现场工程师")
    page.fill("[name=offer]", "免费驻厂技术支持三个月")
    page.click("[data-testid=case-save]")
    expect(page.locator("[data-testid=case-cause]")).to_have_text("竞争对手")
    expect(page.locator("[data-testid=case-offer]")).to_have_text("免费驻厂技术支持三个月")

    form = page.locator("[data-testid=action-form]")
    form.locator("[name=title]").fill("总经理拜访")
    form.locator("[name=due_on]").fill(timezone.localdate().isoformat())
    form.locator("[data-testid=action-save]").click()
    expect(page.locator("[data-testid=action-row]")).to_have_count(1)

    outcome = page.locator("[data-testid=outcome-form]")
    outcome.locator("input[name=outcome][value=recovered]").check()
    outcome.locator("[name=note]").fill("恢复月度订单")
    outcome.locator("[data-testid=outcome-save]").click()
    expect(page.locator("[data-testid=case-outcome]")).to_have_attribute(
        "data-outcome", "recovered"
    )
    shot("case")
    case = WinBackCase.objects.get()
    assert (case.alert_id, case.outcome, case.outcome_on) == (
        raised.pk,
        "recovered",
        timezone.localdate(),
    )

    _login(page, "dir")
    page.goto(f"/retention/?team={world.team.pk}")
    rows = page.locator("[data-testid=case-row]")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("[data-testid=case-outcome]")).to_have_text("已挽回")
    shot("list")
    page.goto(f"/retention/?team={world.team.pk}&state=lost")
    expect(page.locator("[data-testid=case-row]")).to_have_count(0)
