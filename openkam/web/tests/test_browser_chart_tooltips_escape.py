"""Stored XSS through chart tooltips: a KAM names an account and a contact with HTML that runs
script. Every tooltip of every chart (dashboard, account page, relationship map) is shown in a
real browser: no script runs, and the name still reads as text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openkam.accounts.models import Tier
from openkam.common.months import add_months
from openkam.conftest import World
from openkam.factories import ContactFactory
from openkam.web.tests.builders import add_ledger, add_run, add_snapshot

pytestmark = pytest.mark.browser
AS_OF = dt.date(2026, 6, 30)
ACCOUNT_NAME = '<img src=x onerror="window.__xss=1">电梯'
CONTACT_NAME = '<img src=x onerror="window.__xss=2">王'
CONTACT_TITLE = '<b onmouseover="window.__xss=3">总监</b><img src=y onerror="window.__xss=4">'

# Shows the tooltip of every data item of every series of every ECharts instance on the page
# and returns the texts the tooltips displayed (chart index, series index, text).
SHOW_EVERY_TIP = """
async () => {
  const shown = [];
  const elements = Array.from(document.querySelectorAll("[_echarts_instance_]"));
  for (const [index, element] of elements.entries()) {
    const chart = echarts.getInstanceByDom(element);
    if (!chart || element.offsetWidth === 0) continue;
    const series = [];
    chart.getModel().eachSeries((model) => series.push(model));
    for (const model of series) {
      const count = model.getData().count();
      for (let dataIndex = 0; dataIndex < count; dataIndex++) {
        chart.dispatchAction({ type: "showTip", seriesIndex: model.seriesIndex, dataIndex });
        await new Promise((resolve) => setTimeout(resolve, 30));
        const tips = Array.from(element.querySelectorAll("div")).filter(
          (div) => div.style.zIndex === "9999999" && div.style.display !== "none"
        );
        tips.forEach((tip) => shown.push([index, model.seriesIndex, tip.textContent]));
      }
    }
    chart.dispatchAction({ type: "hideTip" });
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  return shown;
}
"""


@pytest.fixture
def hostile(world: World) -> World:
    """The KAM's account named with a script, in a refresh, with a contact named likewise."""
    this_month = add_months(timezone.localdate(), 0)
    run = add_run(AS_OF, parameters={"portfolio_strength_cut": "50",
                                     "portfolio_attractiveness_cut": "50"})  # fmt: skip
    world.account.legal_name = ACCOUNT_NAME
    world.account.short_name = ACCOUNT_NAME
    world.account.tier = Tier.KEY
    world.account.save()
    add_ledger(world.account, 12, last_month=this_month)
    earlier = add_run(AS_OF - dt.timedelta(days=91))  # a second refresh draws the trend chart
    add_snapshot(world.account, as_of=earlier.as_of, run=earlier)
    add_snapshot(
        world.account, as_of=AS_OF, run=run, revenue_12m=Decimal("3000000"),
        attractiveness=70.0, relative_strength=60.0, portfolio_quadrant="key_account",
    )  # fmt: skip
    boss = ContactFactory.create(
        account=world.account, name=CONTACT_NAME, title=CONTACT_TITLE,
        influence_type="economic", influence_level=5, support=1,
    )  # fmt: skip
    ContactFactory.create(
        account=world.account, name="陈工", title=CONTACT_TITLE, reports_to=boss,
        influence_type="user", support=-1,
    )  # fmt: skip
    return world


def show_every_tip(page: Page) -> list[Any]:
    page.wait_for_function("document.querySelectorAll('[_echarts_instance_]').length > 0")
    shown: list[Any] = page.evaluate(SHOW_EVERY_TIP)
    assert page.evaluate("window.__xss") is None, f"a tooltip ran a script: {shown}"
    return shown


def texts(shown: list[Any]) -> str:
    return "\n".join(text for _, _, text in shown)


def test_names_with_html_show_as_text_in_every_chart_tooltip(page: Page, hostile: World) -> None:
    page.goto("/login/")
    page.fill("input[name=username]", "kam1")
    page.fill("input[name=password]", "pw-for-tests")
    page.click("[data-testid=login-submit]")
    expect(page).to_have_url("/")
    expect(page.locator("[data-testid=matrix-sales_profit] canvas")).to_be_visible()
    dashboard = show_every_tip(page)
    assert ACCOUNT_NAME in texts(dashboard)

    page.goto(f"/accounts/{hostile.account.pk}/")
    expect(page.locator("[data-testid=account-revenue-chart] canvas")).to_be_visible()
    assert show_every_tip(page)  # the revenue chart (hidden charts are skipped)
    page.click("[data-testid=tab-analysis]")
    expect(page.locator("[data-chart=snapshot-trend] canvas")).to_be_visible()
    assert show_every_tip(page)  # the trend over the refreshes

    page.goto(f"/relationships/accounts/{hostile.account.pk}/")
    expect(page.locator("[data-testid=chart-wheel] canvas")).to_be_visible()
    expect(page.locator("[data-testid=chart-org] canvas")).to_be_visible()
    relationship_map = texts(show_every_tip(page))
    assert CONTACT_NAME in relationship_map
    assert "<b onmouseover" in relationship_map
    assert ACCOUNT_NAME in relationship_map  # the org chart's root is the account
