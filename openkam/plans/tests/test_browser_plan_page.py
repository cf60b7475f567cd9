"""A KAM in a real browser creates a plan from the data's suggestions, adds an objective, an
action and a risk inline (htmx), submits it; the director approves it; a refresh measures the
revenue objective on the year's orders; a review keeps what changed; the PDF downloaded from
the page carries the account's name and the review as text. Then the plan page,
the overview and the risk heat map are photographed in zh-hans and en (test-artifacts/ and,
when it exists, /work/notes/shots/)."""

from __future__ import annotations

import datetime as dt
import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from openkam.conftest import World
from openkam.ledger.models import AccountMonth
from openkam.plans.models import AccountPlan, PlanStatus, Risk
from openkam.plans.tests.builders import snapshot
from openkam.portfolio.hooks import run_after_refresh
from openkam.portfolio.services import portfolio_refresh

pytestmark = pytest.mark.browser
SHOTS = Path("/work/notes/shots")


def _login(page: Page, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url("/")


def _add(page: Page, part: str, fill: dict[str, str], selects: dict[str, str]) -> None:
    page.locator(f"[data-testid=add-{part}] summary").click()
    form = page.locator(f"[data-testid=form-{part}]")
    for name, value in fill.items():
        form.locator(f"[name={name}]").fill(value)
    for name, value in selects.items():
        form.locator(f"[name={name}]").select_option(value)
    form.locator(f"[data-testid=save-{part}]").click()


def test_a_kam_plans_submits_and_the_director_approves(
    page: Page, world: World, artifacts: Path
) -> None:
    def shot(name: str) -> None:
        path = artifacts / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if SHOTS.is_dir():
            shutil.copy(path, SHOTS / f"{name}.png")

    today = timezone.localdate()
    snapshot(
        world.account,
        today - dt.timedelta(days=5),
        forecast_year_1=Decimal("12000000"),
        share_of_wallet=0.4,
        revenue_12m=Decimal("10500000"),
        portfolio_quadrant="key_account",
    )
    _login(page, "kam1")
    page.goto(f"/plans/accounts/{world.account.pk}/new/")
    expect(page.locator("[data-testid=suggested-target]")).to_have_text("¥1380万")
    page.check("[data-testid=accept-revenue-target]")
    page.check("[data-testid=accept-strategy]")
    shot("plan-create-zh")
    page.click("[data-testid=plan-create]")
    expect(page.locator("[data-testid=plan-status]")).to_have_attribute("data-status", "draft")
    expect(page.locator("[data-testid=objective-row]")).to_have_count(1)

    _add(page, "objective", {"description": "进入新产线供应商名录"}, {"metric": "free_text"})
    expect(page.locator("[data-testid=objective-row]")).to_have_count(2)
    due = (today + dt.timedelta(days=30)).isoformat()
    _add(page, "action", {"title": "安排技术交流会", "due_on": due}, {})
    expect(page.locator("[data-testid=action-row]")).to_have_count(1)
    _add(
        page,
        "risk",
        {"description": "竞争对手低价抢单"},
        {"category": "competition", "probability": "high", "impact": "medium"},
    )
    expect(page.locator("[data-testid=plan-risk]")).to_have_count(1)
    _add(page, "swot", {"text": "交付准时率 98%"}, {"kind": "strength"})
    expect(page.locator("[data-testid=swot-strength] li")).to_have_count(1)
    _add(page, "value", {"note": "减少停机"}, {"component": "product", "score": "4"})
    expect(page.locator("[data-testid=delivered-score]")).to_have_text("4")
    _add(page, "value", {}, {"component": "money", "score": "2"})
    expect(page.locator("[data-testid=delivered-score]")).to_have_text("2")
    page.click("[data-testid=plan-submit]")
    expect(page.locator("[data-testid=plan-status]")).to_have_attribute("data-status", "submitted")
    plan = AccountPlan.objects.get()
    assert plan.status == PlanStatus.SUBMITTED
    assert Risk.objects.get().rating == "significant"

    _login(page, "dir")
    page.goto(plan.get_absolute_url())
    page.click("[data-testid=plan-approve]")
    expect(page.locator("[data-testid=plan-status]")).to_have_attribute("data-status", "active")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE

    # A year of orders booked, then the refresh (the command's two steps): the revenue
    # objective is measured on them, 12 x 1,200,000 = 14,400,000 against 13,800,000.
    revenue = plan.objectives.get(metric="revenue")
    assert (revenue.target, revenue.progress) == (Decimal("13800000"), "not_measured")
    for month in range(1, 13):
        AccountMonth.objects.create(
            account=world.account,
            month=dt.date(today.year, month, 1),
            revenue=Decimal("1200000"),
            cost=Decimal("900000"),
        )
    portfolio_refresh(as_of=today)
    run_after_refresh(today, warm=False)
    revenue.refresh_from_db()
    assert (revenue.actual, revenue.progress) == (Decimal("14400000"), "achieved")
    page.reload()
    row = page.locator("[data-testid=objective-row]").filter(has_text="¥1440万")  # 14,400,000 in 万
    expect(row.locator("[data-testid=objective-progress]")).to_have_text("已达成")

    page.locator("[data-testid=add-review] summary").click()
    page.click("[data-testid=review-preview]")
    expect(page.locator("[data-testid=review-preview-figures]")).to_be_visible()
    page.fill("[data-testid=form-review] [name=decisions]", "加派研发工程师支持样机测试")
    page.click("[data-testid=save-review]")
    expect(page.locator("[data-testid=review]")).to_have_count(1)
    review = plan.reviews.get()
    assert review.figures["objectives"][0]["progress"] == "achieved"

    with page.expect_download() as download:
        page.click("[data-testid=plan-pdf]")
    body = Path(download.value.path()).read_bytes()
    assert body.startswith(b"%PDF")
    text = "".join(sheet.extract_text() for sheet in PdfReader(io.BytesIO(body)).pages)
    assert str(world.account) in text
    assert "加派研发工程师支持样机测试" in text

    for language in ("zh", "en"):
        if language == "en":
            page.click("[data-testid=language-en]")
            expect(page.locator("html")).to_have_attribute("lang", "en")
            page.goto(plan.get_absolute_url())
            expect(page.locator("[data-testid=plan-status]")).to_have_text("Active")
        shot(f"plan-page-{language}")
        page.goto("/plans/")
        expect(page.locator("[data-testid=overview-row]")).to_have_count(1)
        shot(f"plans-overview-{language}")
        page.goto(f"/plans/accounts/{world.account.pk}/risks/")
        expect(page.locator("[data-testid=heat-high-medium]")).to_contain_text("1")
        shot(f"risk-register-{language}")
        page.goto("/plans/risks/")
        expect(page.locator("[data-testid=account-at-risk]")).to_have_count(1)
        shot(f"portfolio-risks-{language}")
