"""The pipeline pages read in a fixed number of queries, however many opportunities."""

from __future__ import annotations

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.pipeline.models import ProspectScreening
from openkam.pipeline.tests.builders import opportunity

pytestmark = pytest.mark.django_db


def _many(world: World, n: int) -> None:
    for i in range(n):
        opportunity(world.account, stage=("needs_analysis", "quotation", "won")[i % 3])
    ProspectScreening.objects.create(
        account=world.account, outcome="qualified", reason="好", screened_on="2026-01-01"
    )


@pytest.mark.parametrize(
    ("name", "queries"),
    [("pipeline:board", 4), ("pipeline:list", 6), ("pipeline:figures", 12),
     ("pipeline:prospects", 3)],
)  # fmt: skip
def test_each_list_page_reads_in_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: object, name: str, queries: int
) -> None:
    client = client_for(world.kam)
    _many(world, 3)
    client.get(reverse(name))  # warm the session and the caches
    _many(world, 9)
    with django_assert_num_queries(queries):  # type: ignore[operator]
        assert client.get(reverse(name)).status_code == 200


def _targets(world: World, n: int) -> None:
    from openkam.factories import AccountFactory, ContactFactory

    for _ in range(n):
        target = AccountFactory.create(team=world.team, owner=world.kam)
        ContactFactory.create(account=target)
        opportunity(target, stage="site_visit")


@pytest.mark.parametrize(
    ("name", "queries"),
    [("pipeline:matrix", 9), ("pipeline:weights", 4), ("pipeline:plan-opportunities", 5)],
)  # fmt: skip
def test_the_promotion_pages_and_the_plan_card_read_in_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: object, name: str, queries: int, settings: object
) -> None:
    from openkam.pipeline import promotion
    from openkam.plans.tests.builders import plan

    settings.OPENKAM_MODE = "promotion"  # type: ignore[attr-defined]
    url = reverse(name, args=[plan(world.account).pk]) if "plan" in name else reverse(name)
    client = client_for(world.kam)
    _targets(world, 2)
    client.get(url)  # warm the session and the caches
    with django_assert_num_queries(queries):  # type: ignore[operator]
        assert client.get(url).status_code == 200
    _targets(world, 6)
    _many(world, 6)
    promotion.promotion_weights_set(user=world.executive, weights={
        "investment": 20, "tax_per_mu": 20, "leverage": 20, "technology": 20, "park_fit": 20,
    })  # fmt: skip
    with django_assert_num_queries(queries):  # type: ignore[operator]
        assert client.get(url).status_code == 200
