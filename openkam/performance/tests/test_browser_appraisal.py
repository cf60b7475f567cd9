"""In a real browser: the director scores and opens a KAM's appraisal form and rates it; the
KAM comments and signs; the director signs; the form is then closed (no field, no button; a
late change is refused) and its history shows both signatures. Photographed in zh-hans and
en (test-artifacts/ and /work/notes/shots/h4/ when it exists)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from openkam.conftest import World
from openkam.performance.models import Appraisal, AppraisalStatus
from openkam.web.tests.conftest import artifacts, browser, page

pytestmark = pytest.mark.browser
__all__ = ["artifacts", "browser", "page"]
SHOTS = Path("/work/notes/shots/h4")


def _login(page: Page, username: str, language: str = "en") -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url("/")
    origin = "/".join(page.url.split("/")[:3])
    page.context.add_cookies([{"name": "django_language", "value": language, "url": origin}])


def test_the_kam_and_the_director_sign_and_the_form_closes(
    page: Page, world: World, artifacts: Path
) -> None:
    def shot(name: str) -> None:
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if SHOTS.is_dir():
            shutil.copy(path, SHOTS / f"{name}.png")

    _login(page, "dir")
    page.goto("/performance/appraisals/?period=2026-Q3")
    page.locator(f'[data-testid="appraisal-row"][data-kam="{world.kam.pk}"]').get_by_test_id(
        "start-form"
    ).click()
    expect(page.get_by_test_id("appraisal-status")).to_have_text("Draft")
    page.select_option("#rating-attitude", "4")
    page.select_option("#rating-teamwork", "5")
    page.fill("#manager-comment", "客户覆盖稳定，回款需加强。")
    page.get_by_test_id("save-ratings").click()
    form = Appraisal.objects.get(kam=world.kam, period="2026-Q3")
    form_url = f"/performance/appraisals/{form.pk}/"

    _login(page, "kam1")
    page.goto(form_url)
    page.fill("textarea[name=kam_comment]", "同意评价，下季度重点跟进回款。")
    page.get_by_test_id("save-comment").click()
    page.get_by_test_id("sign").click()
    expect(page.get_by_test_id("appraisal-status")).to_have_text("Signed by the KAM")
    expect(page.get_by_test_id("kam-signature")).to_contain_text(str(world.kam))
    shot("appraisal-kam-signed-en")

    _login(page, "dir", "zh-hans")
    page.goto(form_url)
    page.get_by_test_id("sign").click()
    expect(page.get_by_test_id("appraisal-status")).to_have_text("已结束")
    expect(page.get_by_test_id("manager-signature")).to_contain_text(str(world.director))
    expect(page.get_by_test_id("sign")).to_have_count(0)
    expect(page.get_by_test_id("save-ratings")).to_have_count(0)
    history = page.get_by_test_id("history-entry")
    expect(history.filter(has_text=str(world.kam))).not_to_have_count(0)
    expect(history.filter(has_text=str(world.director))).not_to_have_count(0)
    shot("appraisal-closed-zh")

    _login(page, "kam1")
    page.goto(form_url)
    expect(page.get_by_test_id("appraisal-status")).to_have_text("Closed")
    expect(page.locator("textarea[name=kam_comment]")).to_have_count(0)
    expect(page.get_by_test_id("sign")).to_have_count(0)
    shot("appraisal-closed-en")
    token = page.context.cookies()
    csrf = next((c["value"] for c in token if c["name"] == "csrftoken"), "")
    late = page.request.post(
        f"{form_url}edit/", form={"kam_comment": "改一下"}, headers={"X-CSRFToken": csrf},
        max_redirects=0,
    )  # fmt: skip
    assert late.status in (302, 400, 403)
    form.refresh_from_db()
    assert form.status == AppraisalStatus.CLOSED
    assert form.kam_comment == "同意评价，下季度重点跟进回款。"
    assert form.kam_signed_at is not None
    assert form.manager_signed_at is not None
    reasons = [row.history_change_reason for row in form.history.all()]
    assert "signed_by_kam" in reasons
    assert "signed_by_manager" in reasons
