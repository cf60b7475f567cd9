"""/api/v1/targets, /forecasts and /kpis for every persona: a KAM may not set targets (403),
a director another team's (404), a KAM reads only their own figures and their team's totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from openkam.api.tests.conftest import ApiClient, api_for
from openkam.conftest import World
from openkam.factories import AccountMonthFactory
from openkam.performance.models import Forecast, Level, Metric, Target, TargetStatus
from openkam.performance.services import target_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world: World) -> dict[str, ApiClient]:
    return {
        name: api_for(getattr(world, attr))
        for name, attr in {
            "exec": "executive",
            "dir": "director",
            "kam": "kam",
            "other_kam": "other_kam",
            "analyst": "analyst",
            "viewer": "viewer",
        }.items()
    }


def team_body(world: World, **extra: object) -> dict[str, object]:
    return {
        "year": 2026,
        "level": "team",
        "metric": "sales",
        "amount": "1200000",
        "team_id": world.team.pk,
        **extra,
    }


@pytest.mark.parametrize("persona", ["kam", "analyst", "viewer"])
def test_a_kam_analyst_or_viewer_setting_a_target_is_refused(
    world: World, api: dict[str, ApiClient], persona: str
) -> None:
    response = api[persona].post("/targets", team_body(world))
    assert response.status_code == 403
    assert not Target.objects.exists()


def test_a_director_setting_another_teams_target_gets_404(
    world: World, api: dict[str, ApiClient]
) -> None:
    response = api["dir"].post("/targets", team_body(world, team_id=world.other_team.pk))
    assert response.status_code == 404
    assert not Target.objects.exists()


def test_the_director_sets_decomposes_and_the_executive_approves(
    world: World, api: dict[str, ApiClient]
) -> None:
    created = api["dir"].post("/targets", team_body(world))
    assert created.status_code == 201, created.json()
    target_id = created.json()["id"]
    assert created.json()["months"][0] == "100000.00"

    split = api["dir"].get(f"/targets/{target_id}/suggested-split", {"basis": "even"})
    assert split.json() == [{"kam_id": world.kam.pk, "amount": "1200000.00"}]
    children = api["dir"].post(
        f"/targets/{target_id}/decompose", {"amounts": {str(world.kam.pk): "1000000"}}
    )
    assert children.status_code == 200, children.json()
    assert api["dir"].post(f"/targets/{target_id}/approve", {}).status_code == 403
    assert api["exec"].post(f"/targets/{target_id}/approve", {}).status_code == 200

    assert set(Target.objects.values_list("status", flat=True)) == {TargetStatus.APPROVED}
    locked = api["dir"].patch(f"/targets/{target_id}", {"amount": "1300000"})
    assert locked.status_code == 422
    assert "reason" in str(locked.json())


def test_a_kam_reads_their_own_targets_and_the_teams_total_not_a_colleagues(
    world: World, api: dict[str, ApiClient]
) -> None:
    team = target_set(
        user=world.executive,
        year=2026,
        level=Level.TEAM,
        metric=Metric.SALES,
        amount=Decimal(100),
        team=world.team,
    )
    own = target_set(
        user=world.executive,
        year=2026,
        level=Level.KAM,
        metric=Metric.SALES,
        amount=Decimal(60),
        team=world.team,
        kam=world.kam,
    )
    colleague = target_set(
        user=world.executive,
        year=2026,
        level=Level.KAM,
        metric=Metric.SALES,
        amount=Decimal(10),
        team=world.other_team,
        kam=world.other_kam,
    )
    listed = {row["id"] for row in api["kam"].get("/targets").json()["items"]}
    assert listed == {team.pk, own.pk}
    assert api["kam"].get(f"/targets/{colleague.pk}").status_code == 404
    assert api["kam"].delete(f"/targets/{own.pk}").status_code == 403
    assert Target.objects.filter(pk=own.pk).exists()


@pytest.mark.parametrize(
    ("persona", "scope", "status"),
    [
        ("exec", "company", 200),
        ("analyst", "company", 200),
        ("dir", "company", 404),
        ("kam", "company", 404),
        ("dir", "team:{team}", 200),
        ("dir", "team:{other_team}", 404),
        ("dir", "kam:{kam}", 200),
        ("dir", "kam:{other_kam}", 404),
        ("kam", "team:{team}", 200),
        ("kam", "kam:{kam}", 200),
        ("kam", "kam:{other_kam}", 404),
        ("viewer", "team:{team}", 200),
        ("viewer", "kam:{kam}", 404),
    ],
)
def test_kpis_follow_the_scope_rule(
    world: World, api: dict[str, ApiClient], persona: str, scope: str, status: int
) -> None:
    ids = {
        "team": world.team.pk,
        "other_team": world.other_team.pk,
        "kam": world.kam.pk,
        "other_kam": world.other_kam.pk,
    }
    response = api[persona].get("/kpis", {"scope": scope.format(**ids), "period": "2026-Q3"})
    assert response.status_code == status


def test_kpis_give_the_figure_its_target_and_definition(
    world: World, api: dict[str, ApiClient]
) -> None:
    AccountMonthFactory.create(account=world.account, month=dt.date(2026, 7, 1), revenue=500)
    target_set(
        user=world.executive,
        year=2026,
        level=Level.KAM,
        metric=Metric.SALES,
        amount=Decimal(1200),
        team=world.team,
        kam=world.kam,
    )
    body = api["kam"].get("/kpis", {"scope": f"kam:{world.kam.pk}", "period": "2026-07"}).json()
    sales = body["kpis"][0]
    assert (sales["key"], sales["value"], sales["target"]) == ("sales", 500.0, "100.00")
    assert sales["definition"]
    satisfaction = next(k for k in body["kpis"] if k["key"] == "satisfaction")
    assert satisfaction["available"] is False
    bad = api["kam"].get("/kpis", {"scope": "company", "period": "2026-13"})
    assert bad.status_code in (404, 422)


def test_a_kam_forecasts_their_accounts_quarter_and_not_another_teams(
    world: World, api: dict[str, ApiClient]
) -> None:
    body = {"account_id": world.account.pk, "year": 2026, "quarter": 3, "amount": "900"}
    assert api["kam"].post("/forecasts", body).status_code == 201
    other = {**body, "account_id": world.other_account.pk}
    assert api["kam"].post("/forecasts", other).status_code == 404
    assert api["analyst"].post("/forecasts", body).status_code == 403
    assert list(Forecast.objects.values_list("account_id", "amount")) == [
        (world.account.pk, Decimal("900.00"))
    ]
    assert [row["account_id"] for row in api["other_kam"].get("/forecasts").json()["items"]] == []
