"""In a real browser, in Chinese: an executive chooses 交易流水 on the upload page (its column
reference follows the choice), imports the CDNOW sample (customer_id, date, cds, amount) with
its cds column mapped to 数量, and reads the run's counts and the 100 % margin warning; the new
accounts are on the account list and, once the portfolio is refreshed (as the nightly refresh
does, here as of the sample's last month), their figures are on the dashboard. Screenshots go
to test-artifacts/<test name>/."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from openkam.conftest import World
from openkam.imports.models import ImportRun
from openkam.ledger.models import OrderLine
from openkam.web.tests.conftest import artifacts, browser, page  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser
CDNOW = Path("/work/shared/data/cdnow_sample.csv")


def test_a_transactions_export_imports_in_the_browser_and_fills_the_dashboard(
    page: Page,  # noqa: F811
    world: World,
    artifacts: Path,  # noqa: F811
    settings: Any,
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with CDNOW.open(newline="") as handle:
        records = list(csv.DictReader(handle))
    page.goto("/login/")
    page.fill("input[name=username]", "exec")
    page.fill("input[name=password]", "pw-for-tests")
    page.press("input[name=password]", "Enter")
    expect(page).to_have_url("/")

    page.goto("/imports/")
    reference = page.locator("[data-testid=column-reference]")
    expect(reference).to_have_attribute("data-kind", "accounts")
    page.select_option("select[name=kind]", "transactions")
    expect(reference).to_have_attribute("data-kind", "transactions")
    expect(reference).to_contain_text("交易流水（客户、日期、金额）")
    expect(reference.locator("[data-field=amount]")).to_contain_text("必填")
    expect(reference.locator("[data-field=customer_code]")).to_contain_text("customer id")
    page.screenshot(path=str(artifacts / "01-upload-zh.png"), full_page=True)

    page.set_input_files("input[name=file]", str(CDNOW))
    page.fill("input[name=source]", "cdnow")
    page.fill("textarea[name=mapping]", "数量=cds")
    page.click("[data-testid=upload-submit]")
    run = ImportRun.objects.get()
    expect(page).to_have_url(f"/imports/{run.pk}/", timeout=300_000)
    expect(page.locator("[data-testid=run-status]")).to_have_text("已完成")
    counts = page.locator("[data-testid=run-counts]")
    expect(counts).to_contain_text(str(len(records)))
    expect(page.locator("[data-testid=run-warnings]")).to_contain_text("没有产品成本")
    expect(page.locator("[data-testid=run-notes]")).to_contain_text("新建客户")
    page.screenshot(path=str(artifacts / "02-run-zh.png"), full_page=True)
    assert run.rows_inserted == len(records)
    assert OrderLine.objects.get(order__order_no="00004 1997-01-01").amount == Decimal("29.33")

    page.goto("/accounts/?q=00004")
    expect(page.get_by_role("link", name="00004", exact=True)).to_be_visible()
    page.screenshot(path=str(artifacts / "03-accounts-zh.png"), full_page=True)

    call_command("refresh", "--as-of", "1998-06-30", verbosity=0)
    revenue: dict[str, Decimal] = {}
    for record in records:
        if "1997-07-01" <= record["date"] <= "1998-06-30":
            key = record["customer_id"]
            revenue[key] = revenue.get(key, Decimal(0)) + Decimal(record["amount"])
    best = max(revenue, key=revenue.__getitem__)
    page.goto("/")
    top = page.locator("[data-testid=top-accounts]")
    expect(top).to_contain_text(best)
    expect(page.locator("[data-testid=kpi-revenue]")).to_contain_text("万")
    expect(page.locator("[data-testid=abc-counts]").first).to_be_visible()
    page.screenshot(path=str(artifacts / "04-dashboard-zh.png"), full_page=True)
