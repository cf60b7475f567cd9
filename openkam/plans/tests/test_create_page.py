"""Creating a plan from the account: the page shows the data's suggestions (revenue target,
whitespace, the quadrant's strategy) to accept; who may not write the account is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from openkam.accounts.models import Industry, Tier
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory, ProductFactory
from openkam.ledger.models import Order, OrderLine
from openkam.plans.models import AccountPlan, Metric
from openkam.plans.selectors import plan_suggestions
from openkam.plans.tests.builders import snapshot

pytestmark = pytest.mark.django_db
CREATE_QUERIES = 9


def _data(world: World) -> None:
    """A forecast of 1,000,000 at a 50 % share (target 1,100,000), the key-account
    quadrant, and a product family one similar account buys and this one does not."""
    today = timezone.localdate()
    snapshot(
        world.account,
        today - dt.timedelta(days=10),
        forecast_year_1=Decimal("1000000"),
        forecast_method="trend",
        share_of_wallet=0.5,
        revenue_12m=Decimal("900000"),
        portfolio_quadrant="key_account",
    )
    elevators = Industry.objects.create(code="C3435", name="电梯", name_en="Elevators")
    world.account.industry = elevators
    world.account.tier = Tier.KEY
    world.account.save()
    peer = AccountFactory.create(industry=elevators, tier=Tier.KEY, team=world.team)
    order = Order.objects.create(account=peer, order_no="SO1", order_date=today)
    OrderLine.objects.create(
        order=order,
        account=peer,
        product=ProductFactory.create(family="门机"),
        quantity=Decimal(1),
        unit_price=Decimal("400000"),
        amount=Decimal("400000"),
    )


def _url(world: World) -> str:
    return reverse("plans:create", args=[world.account.pk])


def test_the_page_shows_the_suggestions(world: World, django_assert_num_queries: Any) -> None:
    _data(world)
    client = client_for(world.kam)
    client.get(_url(world))
    with django_assert_num_queries(CREATE_QUERIES):
        response = client.get(_url(world))
    content = response.content.decode()
    target = '<span class="okam-money" title="¥1,100,000">¥110万</span>'
    assert f'data-testid="suggested-target">{target}<' in content
    assert "门机" in content
    assert "资源优先" in content  # the quadrant's strategy, in the page's language
    # the forecast explained in the same line as on the account page (portfolio.forecast)
    explained = content.split('data-testid="forecast-explanation">')[1].split("<")[0]
    assert explained.startswith("预测："), explained
    assert "近三年" in explained, explained


def test_the_quadrant_strategy_reads_in_the_language_of_the_request(world: World) -> None:
    _data(world)
    with translation.override("en"):
        english = plan_suggestions(world.account, as_of=timezone.localdate()).strategy
    with translation.override("zh-hans"):
        chinese = plan_suggestions(world.account, as_of=timezone.localdate()).strategy
    assert english.startswith("Invest to keep and grow")
    assert chinese.startswith("投入以保持并发展")


def test_accepting_suggestions_creates_the_draft_with_them(world: World) -> None:
    _data(world)
    response = client_for(world.kam).post(
        _url(world),
        {"accept_revenue_target": "on", "accept_strategy": "on", "whitespace_families": ["门机"]},
    )
    created = AccountPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == created.get_absolute_url()
    assert [o.metric for o in created.objectives.order_by("position", "pk")] == [
        Metric.REVENUE,
        Metric.FREE_TEXT,
    ]
    assert created.objectives.get(metric=Metric.REVENUE).target == Decimal("1100000.00")
    assert created.strategies.count() == 1


def test_nothing_accepted_creates_an_empty_draft(world: World) -> None:
    _data(world)
    client_for(world.kam).post(_url(world), {})
    created = AccountPlan.objects.get()
    assert not created.objectives.exists()
    assert not created.strategies.exists()


def test_a_second_plan_for_the_period_names_the_field(world: World) -> None:
    client = client_for(world.kam)
    client.post(_url(world), {})
    response = client.post(_url(world), {})
    assert response.status_code == 200
    assert 'data-testid="error-period_start"' in response.content.decode()
    assert AccountPlan.objects.count() == 1


@pytest.mark.parametrize("persona", ["executive", "director", "kam"])
def test_writers_open_the_page(world: World, persona: str) -> None:
    assert client_for(getattr(world, persona)).get(_url(world)).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"), [("analyst", 403), ("viewer", 403), ("other_kam", 404)]
)
def test_who_may_not_write_the_account_is_refused(world: World, persona: str, status: int) -> None:
    client = client_for(getattr(world, persona))
    assert client.get(_url(world)).status_code == status
    assert client.post(_url(world), {"accept_strategy": "on"}).status_code == status
    assert not AccountPlan.objects.exists()


def test_anonymous_goes_to_login(world: World) -> None:
    response = Client().get(_url(world))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_the_account_card_offers_the_plan_and_its_counts(world: World) -> None:
    client_for(world.kam).post(_url(world), {})
    cards = reverse("accounts:tab", args=[world.account.pk, "cards"])
    html = client_for(world.kam).get(cards).content.decode()
    assert 'data-testid="account-plan-link"' in html
    assert 'data-testid="create-plan"' in html
    html = client_for(world.viewer).get(cards).content.decode()
    assert 'data-testid="account-plan-link"' in html
    assert 'data-testid="create-plan"' not in html
