"""In a real browser: the KAM sees the bell's count, opens My alerts from it and acknowledges
an alert there; the team's director then sees it acknowledged on the team worklist."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from openkam.alerts.models import Alert, AlertState
from openkam.alerts.tests.builders import alert
from openkam.conftest import World

pytestmark = pytest.mark.browser


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.click("[data-testid=login-submit]")
    expect(page).to_have_url("/")


def log_out(page: Page) -> None:
    page.click("[data-testid=user-menu]")
    page.click("[data-testid=logout]")
    expect(page).to_have_url("/login/")


def test_the_kam_acknowledges_and_the_director_sees_it(
    page: Page, world: World, artifacts: Path
) -> None:
    world.account.legal_name = "远景电梯(上海)有限公司"
    world.account.short_name = "远景上海"
    world.account.save()
    found = alert(world.account, value_at_risk=Decimal("86000.00"))
    alert(world.account, rule="purchase_gap", value_at_risk=Decimal("1200.00"))

    log_in(page, "kam1")
    expect(page.locator("[data-testid=alerts-bell-count]")).to_have_text("2")
    page.click("[data-testid=alerts-bell]")
    expect(page).to_have_url("/alerts/")
    rows = page.locator("[data-testid=alert-row]")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("远景上海")
    page.screenshot(path=str(artifacts / "01-my-alerts.png"), full_page=True)

    rows.first.locator("[data-testid=acknowledge]").click()
    expect(page).to_have_url("/alerts/")
    first = page.locator(f"[data-testid=alert-row][data-alert='{found.pk}']")
    expect(first.locator("[data-testid=alert-state]")).to_have_text("已确认")
    expect(page.locator("[data-testid=alerts-bell-count]")).to_have_text("1")
    assert Alert.objects.get(pk=found.pk).state == AlertState.ACKNOWLEDGED
    page.screenshot(path=str(artifacts / "02-acknowledged.png"), full_page=True)
    log_out(page)

    log_in(page, "dir")
    page.goto("/alerts/team/")
    (row,) = page.locator("[data-testid=kam-row]").all()
    expect(row.locator("[data-testid=kam-acknowledged]")).to_have_text("1")
    expect(row.locator("[data-testid=kam-unacknowledged]")).to_have_text("1")
    waiting = page.locator("[data-testid=attention-row]")
    expect(waiting).to_have_count(1)  # the acknowledged one is no longer waiting
    page.goto(f"/alerts/{found.pk}/")
    expect(page.locator("[data-testid=alert-state]")).to_have_text("已确认")
    expect(page.locator("[data-testid=history-row]").first).to_contain_text("kam1")
    page.screenshot(path=str(artifacts / "03-director-sees-it.png"), full_page=True)
