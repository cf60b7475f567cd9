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
