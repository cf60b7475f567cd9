"""One forecast, shown the same everywhere (issue 15): after a real portfolio refresh, the same
account's next-year forecast is one figure on the account page (the chart's twelve months and the
figure under it, the portfolio analysis of the analysis tab), in the tier review's evidence
(the proposal page's portfolio analysis), on the account list and its export, and in the API;
each place says in one line how it was made."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from openkam.accounts.models import Account, Tier
from openkam.analytics import portfolio
from openkam.conftest import World, client_for
from openkam.portfolio.models import (
    AccountSnapshot,
    PortfolioSettings,
    TierProposal,
    TierReview,
)
from openkam.portfolio.services import portfolio_refresh
from openkam.portfolio.tests.test_refresh_and_analyze_agree import (
    AS_OF,
    simulated_ledger,
    store_ledger,
)
from openkam.web.templatetags.openkam_ui import money
from openkam.web.tests.builders import account_360

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
BLEND_LINE = "trend (damped) blended with the purchase model"


def analysed_account(world: World) -> Account:
    """The simulated year of the refresh-and-analyze test (sixty customers, a purchase model
    that fits), refreshed as of its last day; its first customer moved to the KAM's team."""
    accounts = store_ledger(simulated_ledger())
    config = PortfolioSettings.current()
    config.forecast_model_weight = Decimal("0.50")
    config.save()
    portfolio_refresh(as_of=AS_OF)
    account = accounts["C000"]
    Account.objects.filter(pk=account.pk).update(team=world.team, owner=world.kam)
    account.refresh_from_db()
    return account


def cell(html: str, testid: str) -> str:
    """What the element of `testid` holds, up to the end of its first money figure or text."""
    found = re.search(
        rf'data-testid="{testid}"[^>]*>((?:<span class="okam-money"[^>]*>)?[^<]*(?:</span>)?)', html
    )
    assert found, testid
    return found.group(1).strip()


def test_the_same_account_shows_one_forecast_everywhere(world: World) -> None:
    account = analysed_account(world)
    snapshot = AccountSnapshot.objects.get(account=account)
    run = snapshot.run
    assert snapshot.forecast_method == portfolio.BLEND
    assert snapshot.expected_purchases_12m  # the model scored it: the blend is not the trend
    with translation.override("en"):
        shown = money(snapshot.forecast_year_1)
    assert snapshot.forecast_year_1 > 0

    # The account page: the chart's months add up to next year, the figure under it and the
    # analysis tab's column are that figure, each with the line that says how it was made.
    page = account_360(client_for(world.kam), account)
    data = re.search(r'id="account-forecast-data"[^>]*>(.*?)</script>', page, re.S)
    assert data
    chart = json.loads(data.group(1))
    assert chart["next_year"] == float(snapshot.forecast_year_1)
    assert abs(chart["mean"] * 12 - float(snapshot.forecast_year_1)) < 0.07
    line = page[page.index('data-testid="forecast-next-year"') :]
    assert line[line.index(">") + 1 :].startswith(f"Forecast next year: {shown}</span>")
    assert cell(page, "analysis-forecast-next-year") == shown
    assert BLEND_LINE in page[page.index('data-testid="forecast-line"') :]
    assert BLEND_LINE in cell(page, "forecast-explanation")

    # The tier review's evidence: the proposal page's portfolio analysis (组合分析).
    review = TierReview.objects.create(year=AS_OF.year, run=run, opened_by=world.analyst)
    proposal = TierProposal.objects.create(
        review=review,
        account=account,
        run=run,
        current_tier=account.tier,
        policy_tier=Tier.KEY,
        proposed_tier=Tier.KEY,
        reason="test",
    )
    evidence = client_for(world.executive).get(reverse("governance:proposal", args=[proposal.pk]))
    assert evidence.status_code == 200
    html = evidence.content.decode()
    revenue_row = html[html.index('data-testid="analysis-revenue"') :]
    revenue_row = revenue_row[: revenue_row.index("</tr>")]
    assert re.findall(r"<td[^>]*>(.*?)</td>", revenue_row)[4] == shown
    assert BLEND_LINE in cell(html, "forecast-explanation")

    # The account list, its export and the API.
    listing = client_for(world.kam).get(reverse("accounts:list"), {"q": account.legal_name})
    row = listing.content.decode()
    row = row[row.index(f'data-account="{account.pk}"') :]
    assert row[row.index('data-column="forecast">') :].startswith(f'data-column="forecast">{shown}')
    exported = client_for(world.kam).get(
        reverse("accounts:export", args=["csv"]), {"q": account.legal_name}
    )
    body = b"".join(exported.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [Decimal(r["Forecast next year"]) for r in rows] == [snapshot.forecast_year_1]
    api = client_for(world.kam).get(f"/api/v1/snapshots?account_id={account.pk}&latest=true")
    assert api.status_code == 200
    assert [Decimal(str(s["forecast_year_1"])) for s in api.json()["items"]] == [
        snapshot.forecast_year_1
    ]


def test_the_list_says_how_its_forecasts_were_made(world: World) -> None:
    listing = client_for(world.kam).get(reverse("accounts:list"))
    help_icon = re.search(r'<i [^>]*data-testid="forecast-help"[^>]*>', listing.content.decode())
    assert help_icon
    assert "open opportunities not included" in help_icon.group(0)


def test_an_account_never_analysed_shows_no_forecast(world: World) -> None:
    assert not Account.objects.get(pk=world.account.pk).snapshots.exists()
    page = client_for(world.kam).get(reverse("accounts:detail", args=[world.account.pk]))
    assert 'data-testid="forecast-line"' not in page.content.decode()
