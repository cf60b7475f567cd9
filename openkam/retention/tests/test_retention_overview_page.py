"""The retention overview: of the accounts buying a year ago, the share still buying and the
share now lost, in total, by tier and by team, for what the user sees; the lifecycle funnel
on two dates read back from the stage moves."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from openkam.accounts.models import Account
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.retention.models import LifecycleChange
from openkam.retention.selectors import funnel_movement, retention_rates
from openkam.retention.tests.builders import months

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 15)  # last twelve months: 2025-07 to 2026-06; before: 2024-07 to 2025-06


@pytest.fixture
def buyers(world: World) -> Account:
    world.account.tier = "key"
    world.account.save()
    months(world.account, {dt.date(2025, 3, 1): "10", dt.date(2026, 2, 1): "10"})  # kept
    world.other_account.lifecycle_stage = "lost"
    world.other_account.save()
    months(world.other_account, {dt.date(2024, 9, 1): "10"})  # stopped, lost
    months(world.unassigned_account, {dt.date(2025, 8, 1): "10"})  # new: not in the base
    quiet = AccountFactory.create(team=world.team, owner=world.kam, lifecycle_stage="churn_warning")
    months(quiet, {dt.date(2024, 7, 1): "10", dt.date(2025, 6, 1): "10"})  # stopped
    months(quiet, {dt.date(2025, 7, 1): "0"})  # a month with no revenue is no purchase
    return quiet


def _rows(rows: list) -> list[tuple[str, int, int, int]]:
    return [(row.label, row.base, row.kept, row.lost) for row in rows]


def test_the_rates_count_the_accounts_buying_a_year_ago(
    world: World, buyers: Account, english: None
) -> None:
    total, by_tier, by_team = retention_rates(Account.objects.all(), as_of=AS_OF)
    assert (total.base, total.kept, total.lost) == (3, 1, 1)
    assert total.retention == pytest.approx(1 / 3)
    assert total.lost_rate == pytest.approx(1 / 3)
    assert _rows(by_tier) == [("Key", 1, 1, 0), ("General", 2, 0, 1)]
    assert _rows(by_team) == [("华东大客户部", 2, 1, 0), ("华南大客户部", 1, 0, 1)]


def test_a_kam_sees_the_rates_of_their_teams(world: World, buyers: Account, english: None) -> None:
    response = client_for(world.kam).get(reverse("retention:overview"), {"end": "2026-06-15"})
    assert response.status_code == 200
    assert response.context["total"].base == 2
    assert response.context["total"].kept == 1
    assert [row.label for row in response.context["rate_tables"][1][1]] == ["华东大客户部"]
    assert "50.0%" in response.content.decode()


def test_the_funnel_reads_each_accounts_stage_on_both_dates(world: World, english: None) -> None:
    world.account.lifecycle_stage = "win_back"
    world.account.save()
    for day, old, new in [(dt.date(2026, 3, 1), "maintenance", "churn_warning"),
                          (dt.date(2026, 5, 1), "churn_warning", "win_back")]:  # fmt: skip
        LifecycleChange.objects.create(
            account=world.account, day=day, from_stage=old, to_stage=new, source="data"
        )
    funnel = funnel_movement(
        Account.objects.all(), start=dt.date(2026, 2, 1), end=dt.date(2026, 4, 1)
    )
    assert funnel.start["maintenance"] == 3
    assert (funnel.end["maintenance"], funnel.end["churn_warning"]) == (2, 1)
    assert [(a, b, n) for a, b, n in funnel.moves] == [("Maintenance", "Churn warning", 1)]
    now = funnel_movement(Account.objects.all(), start=dt.date(2026, 4, 1), end=AS_OF)
    assert now.end["win_back"] == 1


def test_the_overview_page_costs_a_fixed_number_of_queries(
    world: World, buyers: Account, django_assert_num_queries: object
) -> None:
    client = client_for(world.executive)
    client.get(reverse("retention:overview"))
    with django_assert_num_queries(6):  # type: ignore[operator]
        response = client.get(reverse("retention:overview"))
    assert response.status_code == 200
