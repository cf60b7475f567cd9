"""Issue 15's done-when, the whole way, in Chinese: a KAM adds an account, two contacts (one
reporting to the other), a need and a competitor, and logs a visit with a colleague; the KAM
imports the ERP export `cdnow_sample.csv` as transactions in the browser (the customers it
creates become the KAM's accounts, in their team); the nightly refresh runs (here as of the
sample's last month); the KAM finds the sample's biggest customer on their dashboard and its
page, and everything they recorded on their account's page. An analyst's import still works
(and still creates accounts without a team). Every step waits for the page or the htmx swap it
caused, never for a fixed time. Screenshots go to test-artifacts/<test name>/."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation
from playwright.sync_api import Browser, Page, expect

from openkam.accounts.models import Account, CompetitorPresence, Need
from openkam.analytics.tests.cdnow_data import shared_data_dir
from openkam.conftest import World
from openkam.imports.models import ImportRun
from openkam.interactions.models import Interaction
from openkam.relationships.models import Contact
from openkam.web.templatetags.openkam_ui import money_short

pytestmark = pytest.mark.browser
CDNOW = shared_data_dir() / "cdnow_sample.csv"
LAST_MONTH = ("1997-07-01", "1998-06-30")  # the sample's last twelve months


def log_in(browser: Browser, base_url: str, username: str) -> Page:
    """A new browser context in Chinese, logged in as `username`."""
    context = browser.new_context(
        base_url=base_url, viewport={"width": 1440, "height": 900}, locale="zh-CN"
    )
    page = context.new_page()
    page.goto("/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests")
    page.click("[data-testid=login-submit]")
    expect(page).to_have_url("/")
    return page


def biggest_customer() -> tuple[str, Decimal]:
    revenue: dict[str, Decimal] = {}
    with CDNOW.open(newline="") as handle:
        for record in csv.DictReader(handle):
            if LAST_MONTH[0] <= record["date"] <= LAST_MONTH[1]:
                key = record["customer_id"]
                revenue[key] = revenue.get(key, Decimal(0)) + Decimal(record["amount"])
    best = max(revenue, key=revenue.__getitem__)
    return best, revenue[best]


def test_a_kam_walks_from_a_new_account_to_the_imported_ledger_on_the_dashboard(
    page: Page, world: World, artifacts: Path, live_server: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    world.director.display_name = "赵总监"
    world.director.save()
    assert page.context.browser is not None
    browser = page.context.browser
    (artifacts / "erp.csv").write_text(
        "客户名称,日期,金额\n绍兴分析员客户有限公司,1998-06-01,88.00\n", encoding="utf-8"
    )

    def shot(where: Page, name: str) -> None:
        where.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)

    # The KAM: the account, two contacts, a need, a competitor.
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
    page.click("[data-testid=save-account]")
    expect(page.locator("[data-testid=account-title]")).to_have_text("宁波新材料有限公司")
    account = Account.objects.get(legal_name="宁波新材料有限公司")

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
    form.locator("[data-testid=save-contact]").click()
    expect(page.locator("[data-testid=reports-to]")).to_have_text("上级：李国光")

    page.click("a[href='#needs']")
    page.click("[data-testid=empty-add-need]")
    form = page.locator("[data-testid=form-need]")
    form.locator("[data-testid=field-kind]").select_option("cost")
    form.locator("[data-testid=field-description]").fill("降低库存资金占用")
    form.locator("[data-testid=field-owner]").select_option(label=str(world.kam))
    form.locator("[data-testid=save-need]").click()
    expect(page.locator("[data-testid=section-needs]")).to_contain_text("降低库存资金占用")
    page.click("[data-testid=empty-add-competitor]")
    form = page.locator("[data-testid=form-competitor]")
    form.locator("[data-testid=field-competitor]").fill("华钢导轨")
    form.locator("[data-testid=field-share_of_wallet]").fill("35")
    form.locator("[data-testid=save-competitor]").click()
    expect(page.locator("[data-testid=section-competitors]")).to_contain_text("华钢导轨")
    shot(page, "01-kam-account")

    # The visit, with a colleague picked in the searchable list (the KAM is pre-selected).
    page.click("[data-testid=timeline-link]")
    log = page.locator("[data-testid=log-form]")
    log.locator("[data-testid=interaction-kind]").select_option("visit")
    log.locator("[data-testid=interaction-subject]").fill("首次拜访宁波新材")
    log.locator("[data-testid=their-participant]", has_text="王鹏强").locator("input").check()
    log.locator("[data-testid=our-participants-search]").fill("赵总")
    colleague = log.locator("[data-testid=our-participant]", has_text="赵总监")
    expect(colleague).to_be_visible()
    colleague.locator("input").check()
    log.locator("[data-testid=log-submit]").click()
    expect(page.locator("[data-testid=log-success]")).to_be_visible()
    expect(
        page.locator("[data-testid=timeline-event]", has_text="首次拜访宁波新材")
    ).to_contain_text("赵总监")
    shot(page, "02-kam-visit")

    # The KAM imports the ERP export as transactions, in the browser (Chinese): the ledger
    # kinds only, the customers it creates theirs.
    page.click("[data-testid=nav-work]")
    page.click("[data-testid=nav-own-imports]")
    expect(page.locator("[data-testid=own-import-note]")).to_be_visible()
    page.select_option("select[name=kind]", "transactions")
    expect(page.locator("[data-testid=column-reference]")).to_have_attribute(
        "data-kind", "transactions"
    )
    page.set_input_files("input[name=file]", str(CDNOW))
    page.fill("input[name=source]", "cdnow")
    page.fill("textarea[name=mapping]", "数量=cds")
    page.click("[data-testid=upload-submit]")
    run = ImportRun.objects.get()
    expect(page).to_have_url(f"/imports/{run.pk}/", timeout=300_000)
    expect(page.locator("[data-testid=run-status]")).to_have_text("已完成")
    shot(page, "03-kam-import")
    run.refresh_from_db()
    assert run.user == world.kam
    with CDNOW.open(newline="") as handle:
        assert run.rows_inserted == sum(1 for _ in csv.DictReader(handle))
    assert run.rows_rejected == 0

    # An analyst's import still works, and still leaves the accounts it creates unassigned.
    analyst = log_in(browser, live_server.url, "analyst1")
    analyst.goto("/imports/")
    analyst.select_option("select[name=kind]", "transactions")
    expect(analyst.locator("[data-testid=column-reference]")).to_have_attribute(
        "data-kind", "transactions"
    )
    analyst.set_input_files("input[name=file]", str(artifacts / "erp.csv"))
    analyst.fill("input[name=source]", "erp")
    analyst.click("[data-testid=upload-submit]")
    analyst_run = ImportRun.objects.exclude(pk=run.pk).get()
    expect(analyst).to_have_url(f"/imports/{analyst_run.pk}/", timeout=60_000)
    expect(analyst.locator("[data-testid=run-status]")).to_have_text("已完成")
    unassigned = Account.objects.get(legal_name="绍兴分析员客户有限公司")
    assert (unassigned.team_id, unassigned.owner_id) == (None, None)

    # The nightly refresh, as of the sample's last month.
    call_command("refresh", "--as-of", LAST_MONTH[1], verbosity=0)

    # The imported ledger is the KAM's: the sample's biggest customer of its last twelve
    # months at the top of their dashboard, and its revenue on its account page.
    code, revenue = biggest_customer()
    customer = Account.objects.get(legal_name=code)
    assert (customer.team, customer.owner) == (world.team, world.kam)
    page.goto("/")
    top = page.locator("[data-testid=top-accounts]")
    expect(top).to_contain_text(code)
    expect(page.locator("[data-testid=kpi-revenue]")).to_contain_text("万")
    shot(page, "04-kam-dashboard")
    top.get_by_role("link", name=code, exact=True).first.click()
    expect(page.locator("[data-testid=account-title]")).to_have_text(code)
    page.click("[data-testid=tab-analysis]")
    with translation.override("zh-hans"):
        shown = money_short(revenue)
    expect(page.locator("[data-testid=section-portfolio-analysis]")).to_be_visible()
    expect(page.locator("#analysis")).to_contain_text(shown)
    shot(page, "05-kam-customer")

    # The KAM finds their account on the list and everything they recorded on its page.
    # (among the hundreds of accounts the import gave them: searched for)
    page.goto("/accounts/?q=宁波新材")
    expect(page.locator("[data-testid=account-table]")).to_contain_text("宁波新材料有限公司")
    page.goto(account.get_absolute_url())
    expect(page.locator("[data-testid=tab-contacts]")).to_contain_text("2")
    page.click("[data-testid=tab-contacts]")
    expect(page.locator("[data-testid=contact-name]")).to_have_text(["李国光", "王鹏强"])
    page.click("a[href='#needs']")
    expect(page.locator("[data-testid=section-needs]")).to_contain_text("降低库存资金占用")
    expect(page.locator("[data-testid=section-competitors]")).to_contain_text("华钢导轨")
    shot(page, "06-kam-account-page")
    page.click("[data-testid=timeline-link]")
    expect(
        page.locator("[data-testid=timeline-event]", has_text="首次拜访宁波新材")
    ).to_be_visible()

    visit = Interaction.objects.get(subject="首次拜访宁波新材")
    assert set(visit.our_participants.all()) == {world.kam, world.director}
    assert [c.name for c in visit.their_participants.all()] == ["王鹏强"]
    assert Contact.objects.get(name="王鹏强").reports_to == Contact.objects.get(name="李国光")
    assert Need.objects.get(account=account).owner == world.kam
    assert CompetitorPresence.objects.get(account=account).share_of_wallet == 35
    analyst.context.close()
