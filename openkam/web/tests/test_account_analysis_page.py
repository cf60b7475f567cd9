"""The account page's Analysis tab: the figures of the latest portfolio snapshot, in words."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Account, Tier
from openkam.conftest import World, client_for
from openkam.portfolio.models import TierProposal
from openkam.team.models import User
from openkam.web.selectors import TAB_PREFETCHES
from openkam.web.tests.builders import account_360, add_run, add_snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
OLD, NEW = dt.date(2026, 3, 31), dt.date(2026, 6, 30)


def page(user: User, account: Account) -> str:
    return account_360(client_for(user), account)


def analysis_tab(html: str) -> str:
    start = html.index('id="analysis"')
    return html[start : html.index('id="profile"', start)]


@pytest.fixture
def snapshots(world: World) -> None:
    """An older snapshot with other figures, then the latest one."""
    add_snapshot(
        world.account,
        as_of=OLD,
        p_alive=0.111,
        clv=Decimal("777777"),
        revenue_12m=Decimal("555555"),
        churn_level="high",
        churn_reasons=["long_silence"],
        abc_revenue="C",
    )
    add_snapshot(
        world.account,
        as_of=NEW,
        p_alive=0.934,
        clv=Decimal("4321000"),
        revenue_12m=Decimal("1500000"),
        revenue_prev_12m=Decimal("1200000"),
        churn_level="medium",
        churn_reasons=["p_alive_low", "volume_decline"],
    )


def test_the_analysis_tab_shows_the_figures_of_the_latest_snapshot(
    world: World, snapshots: None
) -> None:
    tab = analysis_tab(page(world.kam, world.account))
    assert "Figures as of June 30, 2026" in tab
    assert "93.4%" in tab  # P(alive)
    assert "¥4,321,000" in tab  # CLV
    assert "¥1,500,000" in tab
    assert "¥1,200,000" in tab
    assert "+25.0%" in tab  # growth
    assert "Medium" in tab
    for older in ("11.1%", "¥777,777", "¥555,555"):
        assert older not in tab


def test_the_header_shows_the_churn_risk_and_the_abc_class(world: World, snapshots: None) -> None:
    html = page(world.kam, world.account)
    header = html[: html.index('data-testid="ledger-summary"')]
    assert "Churn risk: Medium" in header
    assert "ABC A" in header


def test_the_portfolio_analysis_lists_the_years_the_forecast_and_the_contribution(
    world: World, snapshots: None
) -> None:
    tab = analysis_tab(page(world.kam, world.account))
    for year in ("2024", "2025", "2026", "2027", "2028"):
        assert f">{year}" in tab
    for amount in ("¥800,000", "¥1,100,000", "¥950,000", "¥1,300,000", "¥1,400,000"):
        assert amount in tab
    assert "trend (damped) blended with the purchase model" in tab
    assert "¥825,000" in tab  # cost of goods: 1,100,000 - 50,000 - 30,000 - 195,000
    assert "¥195,000" in tab
    assert "17.7%" in tab


def test_codes_are_shown_as_words(world: World, snapshots: None) -> None:
    tab = analysis_tab(page(world.kam, world.account))
    assert "Inertia loyalty" in tab
    assert "at risk to a better offer" in tab
    assert "High sales, high profit" in tab
    assert "Core value customer" in tab
    assert "Key development account" in tab
    assert "Invest selectively to build strength" in tab
    assert "probability alive below 50%" in tab
    assert "revenue down more than 30% in 6 months" in tab
    assert "p_alive_low" not in tab
    assert "inertia<" not in tab


def test_purchase_model_loyalty_scores_and_receivables_are_formatted(
    world: World, snapshots: None
) -> None:
    tab = analysis_tab(page(world.kam, world.account))
    assert "BG/NBD" in tab
    assert "36 months, discounted at 10.0% a year" in tab
    assert "11.5" in tab
    assert "¥50,000" in tab
    assert "35.0%" in tab  # share of wallet
    assert "0.40" in tab  # irregularity CV
    assert "80%" in tab  # scorecard coverage
    assert "¥300,000" in tab
    assert "¥120,000" in tab
    for bucket in ("0-30", "31-60", "61-90", "91-180", "&gt;180"):
        assert bucket in tab
    assert "50%" in tab
    assert "25%" in tab


def test_an_open_tier_proposal_is_shown_with_its_status(world: World) -> None:
    world.account.tier = Tier.GENERAL
    world.account.save()
    run = add_run(NEW)
    add_snapshot(world.account, as_of=NEW, run=run, tier_proposed=Tier.MAJOR)
    TierProposal.objects.create(
        account=world.account, run=run, current_tier=Tier.GENERAL, proposed_tier=Tier.MAJOR
    )
    tab = analysis_tab(page(world.kam, world.account))
    assert "Proposed" in tab
    assert "General → Major, proposed by the refresh as of 06/30/2026" in tab
    assert "awaiting the general manager's decision" in tab


def test_a_proposal_made_by_hand_shows_its_date(world: World) -> None:
    add_snapshot(world.account, as_of=NEW)
    proposal = TierProposal.objects.create(
        account=world.account, current_tier=Tier.GENERAL, proposed_tier=Tier.KEY
    )
    tab = analysis_tab(page(world.kam, world.account))
    created = timezone.localdate(proposal.created_at)
    assert f"General → Key, proposed on {created:%m/%d/%Y}" in tab


def test_the_trend_chart_has_one_point_per_snapshot_date(world: World, snapshots: None) -> None:
    url = reverse("accounts:tab", args=[world.account.pk, "analysis"])
    response = client_for(world.kam).get(url)
    assert response.context["analysis"].trend == {
        "dates": ["2026-03-31", "2026-06-30"],
        "p_alive": [11.1, 93.4],
        "revenue": [555555.0, 1500000.0],
        "clv": [777777.0, 4321000.0],
    }
    html = response.content.decode()
    data = html.split('<script id="account-trend-data" type="application/json">')[1]
    assert json.loads(data.split("</script>")[0])["dates"] == ["2026-03-31", "2026-06-30"]
    assert 'data-chart="snapshot-trend"' in html


def test_a_single_snapshot_shows_the_trend_empty_state(world: World) -> None:
    add_snapshot(world.account, as_of=NEW)
    tab = analysis_tab(page(world.kam, world.account))
    assert "One refresh so far" in tab
    assert 'data-chart="snapshot-trend"' not in tab


def test_an_account_never_analysed_shows_the_empty_state(world: World) -> None:
    tab = analysis_tab(page(world.kam, world.account))
    assert "Not analysed yet" in tab
    assert "openkam refresh" not in tab  # KAMs cannot run it: no server hint for them
    assert "openkam refresh" in analysis_tab(page(world.executive, world.account))
    assert "openkam refresh" in analysis_tab(page(world.analyst, world.account))


def test_the_empty_state_ignores_other_accounts_snapshots(world: World) -> None:
    add_snapshot(world.other_account, as_of=NEW)
    assert "Not analysed yet" in analysis_tab(page(world.kam, world.account))


def test_kam_of_another_team_gets_404_and_none_of_the_figures(
    world: World, snapshots: None
) -> None:
    client = client_for(world.other_kam)
    for url in (
        reverse("accounts:detail", args=[world.account.pk]),
        *(reverse("accounts:tab", args=[world.account.pk, tab]) for tab in TAB_PREFETCHES),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        html = response.content.decode()
        assert "¥4,321,000" not in html
        assert "93.4%" not in html


def test_an_unknown_tab_is_404(world: World) -> None:
    url = reverse("accounts:tab", args=[world.account.pk, "secrets"])
    assert client_for(world.kam).get(url).status_code == 404


def test_the_tab_reads_chinese_with_the_catalogue_terms(world: World, snapshots: None) -> None:
    client = client_for(world.kam)
    client.cookies["django_language"] = "zh-hans"
    tab = analysis_tab(account_360(client, world.account))
    for term in ("活跃概率", "客户生命周期价值", "钱包份额", "流失风险", "逾期应收账款", "净贡献"):
        assert term in tab
    assert "probability alive" not in tab
