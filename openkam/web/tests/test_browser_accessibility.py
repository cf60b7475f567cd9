"""axe-core (the npm package, vendored by scripts/vendor_assets.sh) run in Chromium on the pages
a KAM opens every day, in Chinese and in English: no serious or critical violation of WCAG 2
A / AA (colour contrast, names of controls, landmarks, ...)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page, expect

from openkam.conftest import World
from openkam.factories import ContactFactory
from openkam.interactions.tests.builders import interaction
from openkam.web.tests.test_browser_dashboard_scorecard import refreshed  # noqa: F401

pytestmark = pytest.mark.browser
AXE = Path(settings.BASE_DIR) / "static" / "vendor" / "axe" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def serious_violations(page: Page) -> list[str]:
    """Each serious or critical violation as "rule: target (how many)"."""
    page.add_script_tag(url="/static/vendor/axe/axe.min.js")
    result = page.evaluate(
        "tags => axe.run(document,"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_AA,
    )
    return [
        f"{v['id']}: {', '.join(str(n['target'][0]) for n in v['nodes'][:5])} ({len(v['nodes'])})"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_daily_pages_have_no_serious_accessibility_violation(
    page: Page,
    refreshed: World,  # noqa: F811
    language: str,
) -> None:
    if not AXE.exists():
        pytest.fail(
            "axe-core is not vendored: run `npm ci && scripts/vendor_assets.sh` (make assets)."
        )
    account = refreshed.account
    boss = ContactFactory.create(
        account=account, name="王总", title="总经理", influence_level=5, support=1
    )
    buyer = ContactFactory.create(
        account=account, name="李经理", reports_to=boss, influence_level=3, support=-1
    )
    today = timezone.localdate()
    interaction(
        account, day=today - dt.timedelta(days=5), ours=[refreshed.kam], theirs=[boss, buyer]
    )
    interaction(
        account,
        day=today - dt.timedelta(days=40),
        ours=[refreshed.kam],
        theirs=[buyer],
        kind="call",
    )
    page.goto("/login/")
    page.fill("input[name=username]", "kam1")
    page.fill("input[name=password]", "pw-for-tests")
    page.click("[data-testid=login-submit]")
    expect(page).to_have_url("/")
    if language == "en":
        page.click("[data-testid=language-en]")
    found = {}
    for address in (
        "/",
        "/accounts/",
        f"/accounts/{account.pk}/",
        f"/relationships/accounts/{account.pk}/",
        f"/interactions/accounts/{account.pk}/",
        "/interactions/my-week/",
    ):
        page.goto(address)
        expect(page.locator("html")).to_have_attribute("lang", language)
        page.wait_for_load_state("networkidle")
        violations = serious_violations(page)
        if violations:
            found[address] = violations
    assert found == {}
