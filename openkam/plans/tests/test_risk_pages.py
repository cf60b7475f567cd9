"""The account's risk register (list, filters, add, edit, heat map) and the portfolio's heat
map for directors and executives: every persona, refusals saving nothing, pinned queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from openkam.accounts.models import Account
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.plans.models import Risk
from openkam.plans.risks import risk_rating
from openkam.plans.selectors import risk_grid
from openkam.plans.tests.builders import snapshot
from openkam.team.models import User

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}
NEW_RISK = {
    "source": "customer",
    "category": "credit",
    "description": "回款周期拉长",
    "probability": "medium",
    "impact": "high",
    "status": "open",
}


def _risk(account: Account, owner: User, probability: str, impact: str, **fields: Any) -> Risk:
    values: dict[str, Any] = {
        "source": "ours",
        "category": "delivery",
        "description": f"{probability}/{impact}",
        "status": "open",
        **fields,
    }
    return Risk.objects.create(
        account=account,
        owner=owner,
        probability=probability,
        impact=impact,
        rating=risk_rating(probability, impact),
        **values,
    )


def test_the_grid_counts_open_risks_by_cell_with_their_rating(world: World) -> None:
    _risk(world.account, world.kam, "high", "high")
    _risk(world.account, world.kam, "high", "high")
    _risk(world.account, world.kam, "low", "medium")
    grid = risk_grid(Risk.objects.all())
    assert [cell.impact for cell in grid[0]] == ["high"] * 3
    assert [cell.probability for cell in grid[0]] == ["low", "medium", "high"]
    top_right = grid[0][2]
    assert (top_right.count, top_right.rating) == (2, "show_stopper")
    assert (grid[1][0].count, grid[1][0].rating) == (1, "caution")
    assert sum(cell.count for row in grid for cell in row) == 3


@pytest.mark.parametrize("persona", ["executive", "director", "kam", "analyst", "viewer"])
def test_who_sees_the_account_reads_its_register(world: World, persona: str) -> None:
    _risk(world.account, world.kam, "high", "high", description="竞品抢单")
    response = client_for(getattr(world, persona)).get(
        reverse("plans:risks", args=[world.account.pk])
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "竞品抢单" in content
    assert 'data-testid="heat-high-high"' in content
    writes = persona in ("executive", "director", "kam")
    assert ('data-testid="form-risk"' in content) is writes


def test_another_teams_kam_gets_404_and_anonymous_goes_to_login(world: World) -> None:
    url = reverse("plans:risks", args=[world.account.pk])
    assert client_for(world.other_kam).get(url).status_code == 404
    assert client_for(world.other_kam).post(url, NEW_RISK).status_code == 404
    response = Client().get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not Risk.objects.exists()


def test_a_kam_adds_a_risk_rated_by_the_grid(world: World) -> None:
    url = reverse("plans:risks", args=[world.account.pk])
    data = {**NEW_RISK, "owner_id": str(world.kam.pk)}
    response = client_for(world.kam).post(url, data, headers=HTMX)
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#risk-register"
    risk = Risk.objects.get()
    assert (risk.rating, risk.owner, risk.account) == ("significant", world.kam, world.account)
    assert "回款周期拉长" in response.content.decode()


def test_a_risk_without_a_description_names_the_field(world: World) -> None:
    url = reverse("plans:risks", args=[world.account.pk])
    data = {**NEW_RISK, "description": "", "owner_id": str(world.kam.pk)}
    response = client_for(world.kam).post(url, data, headers=HTMX)
    assert 'data-testid="error-description"' in response.content.decode()
    assert not Risk.objects.exists()


@pytest.mark.parametrize("persona", ["analyst", "viewer"])
def test_reading_roles_cannot_add_or_edit_risks(world: World, persona: str) -> None:
    risk = _risk(world.account, world.kam, "low", "low")
    client = client_for(getattr(world, persona))
    data = {**NEW_RISK, "owner_id": str(world.kam.pk)}
    assert client.post(reverse("plans:risks", args=[world.account.pk]), data).status_code == 403
    edit = reverse("plans:risk_edit", args=[risk.pk])
    assert client.get(edit).status_code == 403
    prefixed = {f"k{risk.pk}-{key}": value for key, value in data.items()}
    assert client.post(edit, prefixed).status_code == 403
    assert Risk.objects.count() == 1
    risk.refresh_from_db()
    assert risk.description == "low/low"


def test_a_kam_edits_a_risk_inline_and_closing_it_dates_it(world: World) -> None:
    risk = _risk(world.account, world.kam, "low", "low")
    client = client_for(world.kam)
    url = reverse("plans:risk_edit", args=[risk.pk])
    assert 'data-testid="form-risk-edit"' in client.get(url, headers=HTMX).content.decode()
    data = {**NEW_RISK, "status": "closed", "owner_id": str(world.kam.pk)}
    response = client.post(url, {f"k{risk.pk}-{k}": v for k, v in data.items()}, headers=HTMX)
    assert response["HX-Retarget"] == "#risk-register"
    risk.refresh_from_db()
    assert (risk.status, risk.rating) == ("closed", "significant")
    assert risk.closed_on is not None
    assert client_for(world.other_kam).get(url).status_code == 404


def test_filters_by_status_and_rating(world: World) -> None:
    _risk(world.account, world.kam, "high", "high", description="停产风险")
    _risk(world.account, world.kam, "low", "low", description="小问题")
    _risk(world.account, world.kam, "high", "high", description="已关闭风险", status="closed")
    client = client_for(world.kam)
    url = reverse("plans:risks", args=[world.account.pk])
    content = client.get(url, {"rating": "show_stopper"}).content.decode()
    assert "停产风险" in content
    assert "小问题" not in content
    assert "已关闭风险" not in content
    content = client.get(url, {"status": "closed"}).content.decode()
    assert "已关闭风险" in content
    assert "停产风险" not in content


def test_the_register_runs_in_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    client = client_for(world.kam)
    url = reverse("plans:risks", args=[world.account.pk])
    _risk(world.account, world.kam, "high", "high")
    client.get(url)
    with django_assert_num_queries(REGISTER_QUERIES):
        client.get(url)
    for _ in range(6):
        _risk(world.account, world.kam, "medium", "high")
    with django_assert_num_queries(REGISTER_QUERIES):
        client.get(url)


REGISTER_QUERIES = 8
PORTFOLIO_QUERIES = 5


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("executive", 200),
        ("director", 200),
        ("kam", 403),
        ("other_kam", 403),
        ("analyst", 403),
        ("viewer", 403),
    ],
)
def test_the_portfolio_heat_map_is_for_directors_and_executives(
    world: World, persona: str, status: int
) -> None:
    url = reverse("plans:portfolio_risks")
    assert client_for(getattr(world, persona)).get(url).status_code == status


def test_anonymous_portfolio_goes_to_login(world: World) -> None:
    response = Client().get(reverse("plans:portfolio_risks"))
    assert response.status_code == 302


def test_the_portfolio_lists_accounts_at_risk_with_revenue_at_stake(
    world: World, django_assert_num_queries: Any
) -> None:

    snapshot(world.account, dt.date(2025, 12, 31), revenue_12m=Decimal("8000000"))
    snapshot(world.account, dt.date(2026, 3, 31), revenue_12m=Decimal("9500000"))
    _risk(world.account, world.kam, "high", "high")
    _risk(world.account, world.kam, "medium", "high")
    _risk(world.other_account, world.other_kam, "high", "high")
    calm = AccountFactory.create(team=world.team, owner=world.kam)
    _risk(calm, world.kam, "low", "low")
    director = client_for(world.director)
    url = reverse("plans:portfolio_risks")
    director.get(url)
    with django_assert_num_queries(PORTFOLIO_QUERIES):
        response = director.get(url)
    content = response.content.decode()
    rows = content.count('data-testid="account-at-risk"')
    assert rows == 1  # the director sees their team only; the calm account carries no grave risk
    assert "¥9,500,000" in content
    executive = client_for(world.executive).get(url).content.decode()
    assert executive.count('data-testid="account-at-risk"') == 2
