"""In a real browser: the analyst opens the year's review, changes a proposal and submits;
the executive rejects one proposal and approves the rest in one go; the approved account shows
its new tier and the decision; a KAM is refused the review and a tier change through the API,
and nothing changes. The pages are photographed in zh-hans and en (test-artifacts/ and, when
it exists, /work/notes/shots/governance/)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from openkam.conftest import World
from openkam.governance.tests.conftest import YEAR
from openkam.portfolio.models import PortfolioRun, TierProposal, TierReview

pytestmark = pytest.mark.browser
SHOTS = Path("/work/notes/shots/governance")


def _login(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url("/")


def test_the_review_from_opening_to_decisions(
    page: Page, world: World, refreshed: PortfolioRun, artifacts: Path
) -> None:
    def shot(name: str) -> None:
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if SHOTS.is_dir():
            shutil.copy(path, SHOTS / f"browser-{name}.png")

    # The analyst (marketing) opens the year's review: the policy's two proposals.
    _login(page, world.analyst.username)
    page.goto("/governance/reviews/")
    page.fill("input[name=year]", str(YEAR))
    page.get_by_test_id("open-review").click()
    expect(page.get_by_test_id("proposal-row")).to_have_count(2)
    review = TierReview.objects.get(year=YEAR)
    # ... changes the other team's account from major to key, with a justification.
    other = review.proposals.get(account=world.other_account)
    page.goto(f"/governance/proposals/{other.pk}/")
    page.select_option("select[name=c-proposed_tier]", "key")
    page.fill("textarea[name=c-reason]", "集团统一采购后规模翻番")
    page.get_by_test_id("change").click()
    expect(page.get_by_test_id("justification")).to_have_text("集团统一采购后规模翻番")
    shot("proposal-zh-hans")
    page.goto(f"/governance/reviews/{review.pk}/")
    page.get_by_test_id("submit-review").click()
    expect(page.get_by_test_id("status-submitted")).to_be_visible()

    # The executive (general manager) rejects that one and approves the rest.
    _login(page, world.executive.username)
    page.goto(f"/governance/proposals/{other.pk}/")
    page.check("input[name=d-decision][value=reject]")
    page.fill("textarea[name=d-comment]", "先观察一年")
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("decision")).to_contain_text("先观察一年")
    page.goto("/governance/reviews/current/")
    shot("review-executive-zh-hans")
    page.get_by_test_id("approve-rest").click()
    expect(page.get_by_test_id("status-closed").first).to_be_visible()
    base = page.url.split("/governance/")[0]
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base + "/"}])
    page.reload()
    shot("review-closed-en")
    approved = review.proposals.get(account=world.account)
    page.goto(f"/governance/proposals/{approved.pk}/")
    # The account's history names the review in the language of the one who decided.
    expect(page.get_by_test_id("account-history")).to_contain_text(f"第 {approved.pk} 号建议")
    expect(page.get_by_test_id("account-history")).to_contain_text("Key")
    shot("proposal-approved-en")

    # The KAM's account shows its new tier and the decision.
    _login(page, world.kam.username)
    page.goto(f"/accounts/{world.account.pk}/")
    expect(page.get_by_test_id("tier-badge")).to_contain_text("重点客户")
    page.get_by_test_id("tab-analysis").click()
    expect(page.get_by_test_id("decided-proposal")).to_have_text("已批准")
    shot("account-kam-zh-hans")
    # ... is refused the review, and a tier change through the API, and nothing changes.
    response = page.request.get(f"/governance/reviews/{review.pk}/")
    assert response.status == 403
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    refused = page.request.patch(
        f"/api/v1/accounts/{world.account.pk}",
        data={"tier": "strategic"},
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
    )
    assert refused.status == 403
    assert refused.json()["errors"][0]["field"] == "tier"
    world.account.refresh_from_db()
    world.other_account.refresh_from_db()
    assert (world.account.tier, world.other_account.tier) == ("key", "general")
    assert TierProposal.objects.get(pk=other.pk).status == TierProposal.Status.REJECTED
