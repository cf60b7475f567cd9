"""The directors' worklist: per KAM of their teams the unacknowledged, acknowledged and
overdue alerts, the oldest one's age and the median days to resolve over 90 days; the alerts
waiting for someone below. Executives see every team; KAMs, viewers and analysts are refused
(their list is My alerts)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from openkam.alerts.models import AlertState
from openkam.alerts.tests.builders import alert
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("alerts:team")


def days_ago(n: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)


def test_the_director_reads_each_kams_counts_ages_and_median(world: World) -> None:
    alert(world.account, first_seen=days_ago(20))  # open and overdue
    alert(world.account, rule="purchase_gap", state=AlertState.ACKNOWLEDGED, first_seen=days_ago(3))
    # resolved within the window after 2, 4 and 9 days: median 4; one outside the window
    for rule, took, ago in [("churn_rising", 2, 10), ("p_alive_low", 4, 30), ("no_owner", 9, 50)]:
        alert(world.account, rule=rule, state=AlertState.RESOLVED,
              first_seen=days_ago(ago + took), resolved_at=days_ago(ago))  # fmt: skip
    alert(world.account, rule="concentration", state=AlertState.RESOLVED,
          first_seen=days_ago(130), resolved_at=days_ago(100))  # fmt: skip
    response = client_for(world.director).get(URL)
    assert response.status_code == 200
    (row,) = response.context["rows"]
    assert (row.name, row.unacknowledged, row.acknowledged, row.overdue) == ("kam1", 1, 1, 1)
    assert row.oldest_days == 20
    assert (row.resolved, row.median_days) == (3, 4.0)
    assert response.context["median_days"] == 4.0


def test_an_escalated_alert_is_overdue_only_from_its_escalation(world: World) -> None:
    alert(world.account, state=AlertState.ACKNOWLEDGED, first_seen=days_ago(30),
          escalated_at=days_ago(2))  # fmt: skip
    response = client_for(world.director).get(URL)
    assert response.context["rows"][0].overdue == 0
    assert list(response.context["page"].object_list) == []


def test_waiting_lists_the_unacknowledged_and_the_overdue_oldest_first(world: World) -> None:
    fresh = alert(world.account, first_seen=days_ago(1))
    old = alert(world.account, rule="purchase_gap", state=AlertState.ACKNOWLEDGED,
                first_seen=days_ago(15))  # fmt: skip
    alert(world.account, rule="churn_rising", state=AlertState.ACKNOWLEDGED, first_seen=days_ago(2))
    response = client_for(world.director).get(URL)
    assert [a.pk for a in response.context["page"].object_list] == [old.pk, fresh.pk]


def test_the_list_filters_by_kam(world: World) -> None:
    helper = AccountFactory.create(team=world.team, owner=world.director)
    mine = alert(helper)
    alert(world.account)
    response = client_for(world.director).get(URL, {"kam": world.director.pk})
    assert [a.pk for a in response.context["page"].object_list] == [mine.pk]


def test_the_director_does_not_see_other_teams(world: World) -> None:
    alert(world.other_account)
    response = client_for(world.director).get(URL)
    assert response.context["rows"] == []
    assert "No alerts on your teams" in response.content.decode()


def test_the_executive_sees_every_team(world: World) -> None:
    alert(world.account)
    alert(world.other_account)
    rows = client_for(world.executive).get(URL).context["rows"]
    assert sorted(r.name for r in rows) == ["kam1", "kam2"]


@pytest.mark.parametrize("who", ["kam", "other_kam", "viewer", "analyst"])
def test_the_others_are_refused(world: World, who: str) -> None:
    alert(world.account)
    assert client_for(getattr(world, who)).get(URL).status_code == 403


# Session, user, counts per KAM, resolved in the window, the KAMs' names, the filter's KAMs,
# the waiting alerts' count and page.
QUERIES = 8


@pytest.mark.parametrize("n", [1, 10])
def test_the_page_runs_a_fixed_number_of_queries(
    world: World, django_assert_num_queries, n: int
) -> None:
    for _ in range(n):
        account = AccountFactory.create(team=world.team, owner=world.kam)
        alert(account, first_seen=days_ago(20))
        alert(account, rule="purchase_gap", state=AlertState.RESOLVED,
              first_seen=days_ago(9), resolved_at=days_ago(1))  # fmt: skip
    client = client_for(world.director)
    with django_assert_num_queries(QUERIES):
        assert client.get(URL).status_code == 200
