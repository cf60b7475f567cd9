"""The portfolio's open alerts by rule, tier and team, with the value at risk in total: every
account for executives and analysts, their teams for directors; refused to KAMs and viewers."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Tier
from openkam.alerts.models import AlertState
from openkam.alerts.tests.builders import alert
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("alerts:portfolio")


@pytest.fixture
def alerts(world: World) -> None:
    key = AccountFactory.create(team=world.team, owner=world.kam, tier=Tier.KEY)
    alert(key, value_at_risk=Decimal("3000.00"))
    alert(world.account, rule="purchase_gap", value_at_risk=Decimal("1000.00"),
          state=AlertState.ACKNOWLEDGED)  # fmt: skip
    alert(world.other_account, value_at_risk=Decimal("500.00"))
    alert(world.account, rule="churn_rising", value_at_risk=Decimal("9999.00"),
          state=AlertState.RESOLVED, resolved_at=timezone.now())  # fmt: skip


@pytest.mark.usefixtures("alerts")
def test_the_executive_reads_the_totals_by_rule_tier_and_team(world: World) -> None:
    summary = client_for(world.executive).get(URL).context["summary"]
    assert (summary.count, summary.value_at_risk) == (3, Decimal("4500.00"))
    by_rule = {row["key"]: (row["count"], row["value_at_risk"]) for row in summary.by_rule}
    assert by_rule == {"payment_worsening": (2, Decimal("3500.00")),
                       "purchase_gap": (1, Decimal("1000.00"))}  # fmt: skip
    by_team = {row["key"]: row["count"] for row in summary.by_team}
    assert by_team == {"华东大客户部": 2, "华南大客户部": 1}
    assert summary.by_tier[0]["key"] == Tier.KEY


@pytest.mark.usefixtures("alerts")
def test_the_director_reads_their_teams_only(world: World) -> None:
    summary = client_for(world.director).get(URL).context["summary"]
    assert (summary.count, summary.value_at_risk) == (2, Decimal("4000.00"))


@pytest.mark.usefixtures("alerts")
def test_the_page_shows_the_total_in_both_languages(world: World, settings: Any) -> None:
    body = client_for(world.analyst).get(URL).content.decode()
    assert "Value at risk in total" in body
    settings.LANGUAGE_CODE = "zh-hans"
    assert "风险金额合计" in client_for(world.analyst).get(URL).content.decode()


def test_no_open_alert_says_so(world: World) -> None:
    assert "No open alerts" in client_for(world.executive).get(URL).content.decode()


@pytest.mark.parametrize("who", ["kam", "viewer"])
def test_kams_and_viewers_are_refused(world: World, who: str) -> None:
    assert client_for(getattr(world, who)).get(URL).status_code == 403


# Session, user, total, by rule, by tier, by team.
@pytest.mark.usefixtures("alerts")
def test_the_page_runs_six_queries(world: World, django_assert_num_queries) -> None:
    client = client_for(world.executive)
    with django_assert_num_queries(6):
        assert client.get(URL).status_code == 200
