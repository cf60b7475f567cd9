"""The account list: search, filters, sorting and pagination, all kept in the links."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from openkam.accounts.models import Account, LifecycleStage, Region, Tier
from openkam.common.months import add_months
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, AccountMonthFactory, TeamFactory, UserFactory
from openkam.team.models import Role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
URL = reverse("accounts:list")


def names(client: Client, **params: str) -> list[str]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [account.legal_name for account in response.context["page"].object_list]


@pytest.fixture
def executive(world: World) -> Client:
    return client_for(world.executive)


@pytest.fixture
def accounts(world: World) -> dict[str, Account]:
    """Three accounts in the first team on top of the world's, with distinct attributes."""
    Account.objects.all().delete()
    kam_b = UserFactory.create(username="kam-b", display_name="李经理", role=Role.KAM)
    team_b = TeamFactory.create(name="华北大客户部")
    this_month = add_months(timezone.localdate(), 0)
    alpha = AccountFactory.create(
        legal_name="阿尔法电梯有限公司",
        short_name="阿尔法",
        tier=Tier.GENERAL,
        lifecycle_stage=LifecycleStage.MAINTENANCE,
        region=Region.EAST,
        city="上海市",
        owner=world.kam,
        team=world.team,
    )
    beta = AccountFactory.create(
        legal_name="贝塔建设集团",
        short_name="贝塔",
        tier=Tier.STRATEGIC,
        lifecycle_stage=LifecycleStage.IDENTIFICATION,
        region=Region.NORTH,
        city="北京市",
        owner=kam_b,
        team=team_b,
    )
    gamma = AccountFactory.create(
        legal_name="伽马地产股份有限公司",
        short_name="伽马",
        tier=Tier.KEY,
        lifecycle_stage=LifecycleStage.CHURN_WARNING,
        region=Region.SOUTH,
        city="深圳市",
        owner=world.kam,
        team=world.team,
    )
    AccountMonthFactory.create(account=alpha, month=this_month, revenue="3000")
    AccountMonthFactory.create(account=beta, month=this_month, revenue="1000")
    AccountMonthFactory.create(account=gamma, month=this_month, revenue="2000")
    # Revenue older than 12 months does not count towards the 12-month figure.
    AccountMonthFactory.create(account=beta, month=add_months(this_month, -12), revenue="99999")
    return {"alpha": alpha, "beta": beta, "gamma": gamma}


def test_search_matches_the_legal_name(executive: Client, accounts: dict) -> None:
    assert names(executive, q="建设") == ["贝塔建设集团"]


def test_search_matches_the_short_name(executive: Client, accounts: dict) -> None:
    assert names(executive, q="伽马") == ["伽马地产股份有限公司"]


def test_search_matches_the_credit_code(executive: Client, accounts: dict) -> None:
    code = accounts["alpha"].credit_code
    assert names(executive, q=code[-8:].lower()) == ["阿尔法电梯有限公司"]


def test_a_search_without_match_shows_the_empty_state(executive: Client, accounts: dict) -> None:
    response = executive.get(URL, {"q": "不存在的公司"})
    html = response.content.decode()
    assert "No accounts match" in html
    assert 'data-testid="account-table"' not in html


def test_filters_narrow_the_list(executive: Client, accounts: dict, world: World) -> None:
    assert names(executive, tier="strategic") == ["贝塔建设集团"]
    assert names(executive, lifecycle="churn_warning") == ["伽马地产股份有限公司"]
    assert names(executive, region="east") == ["阿尔法电梯有限公司"]
    assert set(names(executive, owner=str(world.kam.pk))) == {
        "阿尔法电梯有限公司",
        "伽马地产股份有限公司",
    }
    assert names(executive, team=str(accounts["beta"].team_id)) == ["贝塔建设集团"]


def test_filters_combine(executive: Client, accounts: dict, world: World) -> None:
    assert names(executive, owner=str(world.kam.pk), tier="key") == ["伽马地产股份有限公司"]


def test_default_order_is_by_tier_strategic_first(executive: Client, accounts: dict) -> None:
    assert names(executive) == ["贝塔建设集团", "伽马地产股份有限公司", "阿尔法电梯有限公司"]


def test_sorting_by_revenue_of_the_last_12_months(executive: Client, accounts: dict) -> None:
    assert names(executive, sort="-revenue") == [
        "阿尔法电梯有限公司",
        "伽马地产股份有限公司",
        "贝塔建设集团",
    ]
    assert names(executive, sort="revenue") == [
        "贝塔建设集团",
        "伽马地产股份有限公司",
        "阿尔法电梯有限公司",
    ]


def test_the_revenue_column_counts_only_the_last_12_months(
    executive: Client, accounts: dict
) -> None:
    response = executive.get(URL, {"sort": "revenue"})
    first = response.context["page"].object_list[0]
    assert first.legal_name == "贝塔建设集团"
    assert first.revenue_12m == 1000
    assert "¥1,000" in response.content.decode()


def test_sorting_by_lifecycle_follows_the_lifecycle_order(
    executive: Client, accounts: dict
) -> None:
    assert names(executive, sort="lifecycle") == [
        "贝塔建设集团",
        "阿尔法电梯有限公司",
        "伽马地产股份有限公司",
    ]
    assert names(executive, sort="-lifecycle")[0] == "伽马地产股份有限公司"


def test_sorting_by_region_and_by_name(executive: Client, accounts: dict) -> None:
    assert names(executive, sort="region") == [
        "阿尔法电梯有限公司",
        "伽马地产股份有限公司",
        "贝塔建设集团",
    ]
    by_name = names(executive, sort="name")
    assert by_name == sorted(by_name)
    assert names(executive, sort="-name") == by_name[::-1]


def test_sort_headers_toggle_direction_and_keep_filters(executive: Client, accounts: dict) -> None:
    html = executive.get(URL, {"tier": "key", "sort": "name", "page": "1"}).content.decode()
    assert 'href="?tier=key&amp;sort=-name"' in html
    assert 'href="?tier=key&amp;sort=revenue"' in html


def test_bad_filter_values_are_ignored_with_a_message(executive: Client, accounts: dict) -> None:
    response = executive.get(
        URL, {"tier": "platinum", "owner": "abc", "sort": "password", "page": "x"}
    )
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 3
    assert "Some filters were not valid and have been ignored." in response.content.decode()


def test_filters_can_not_reach_a_kam_outside_the_users_accounts(
    world: World, accounts: dict
) -> None:
    kam_b = accounts["beta"].owner
    response = client_for(world.kam).get(URL, {"owner": str(kam_b.pk)})
    assert response.status_code == 200
    assert [a.legal_name for a in response.context["page"].object_list] == [
        "伽马地产股份有限公司",
        "阿尔法电梯有限公司",
    ]


def test_htmx_requests_get_only_the_results(executive: Client, accounts: dict) -> None:
    response = executive.get(URL, {"q": "贝塔"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="account-results"')
    assert "贝塔建设集团" in html
    assert "<html" not in html
