"""The contract register: the user's contracts only, soonest renewal first, filtered by status,
by a renewal due within N days and by account or number, sorted, paged, with an empty state and
a pinned number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from openkam.conftest import World, client_for
from openkam.contracts.tests.builders import contract

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen")]
TODAY = dt.date(2026, 6, 1)
LIST_QUERIES = 4  # session, user, count, the rows with their account, owner and status


def numbers(response: Any) -> list[str]:
    return [row.number for row in response.context["page"].object_list]


def test_a_kam_sees_their_team_contracts_soonest_renewal_first(world: World) -> None:
    later = contract(world.account, number="HT-LATER", ends_on=dt.date(2026, 12, 31))
    soon = contract(world.account, number="HT-SOON", ends_on=dt.date(2026, 7, 15))
    contract(world.other_account, number="HT-OTHER")
    response = client_for(world.kam).get(reverse("contracts:list"))
    assert response.status_code == 200
    assert numbers(response) == [soon.number, later.number]


def test_status_is_read_from_the_dates(world: World) -> None:
    contract(world.account, number="HT-DRAFT", signed=False)
    contract(world.account, number="HT-ACTIVE", ends_on=dt.date(2026, 12, 31))
    contract(world.account, number="HT-EXPIRING", ends_on=dt.date(2026, 9, 30), notice_days=30)
    contract(world.account, number="HT-EXPIRED", starts_on=dt.date(2025, 1, 1),
             ends_on=dt.date(2025, 12, 31))  # fmt: skip
    response = client_for(world.kam).get(reverse("contracts:list"))
    status = {row.number: row.status for row in response.context["page"].object_list}
    # 2026-09-30 less 30 days' notice = 2026-08-31, within 60 days of 2026-06-01? No: 91 days.
    assert status == {"HT-DRAFT": "draft", "HT-ACTIVE": "active", "HT-EXPIRING": "active",
                      "HT-EXPIRED": "expired"}  # fmt: skip
    contract(world.account, number="HT-SOON", ends_on=dt.date(2026, 8, 30), notice_days=30)
    response = client_for(world.kam).get(reverse("contracts:list"), {"status": "expiring"})
    assert numbers(response) == ["HT-SOON"]  # notice by 2026-07-31: 60 days ahead


def test_renewal_due_within_n_days_filters_live_contracts_by_notice_deadline(
    world: World,
) -> None:
    contract(world.account, number="HT-20", ends_on=dt.date(2026, 6, 21))
    contract(world.account, number="HT-45", ends_on=dt.date(2026, 8, 15), notice_days=30)
    contract(world.account, number="HT-200", ends_on=dt.date(2026, 12, 18))
    contract(world.account, number="HT-DRAFT", ends_on=dt.date(2026, 6, 10), signed=False)
    client = client_for(world.kam)
    assert numbers(client.get(reverse("contracts:list"), {"within": "50"})) == ["HT-20", "HT-45"]
    assert numbers(client.get(reverse("contracts:list"), {"within": "20"})) == ["HT-20"]


def test_search_finds_by_account_name_or_number(world: World) -> None:
    world.account.legal_name = "上海三菱电梯有限公司"
    world.account.save()
    contract(world.account, number="HT-A1")
    contract(world.account, number="KJ-2026-07")
    client = client_for(world.kam)
    assert numbers(client.get(reverse("contracts:list"), {"q": "三菱"})) == ["HT-A1", "KJ-2026-07"]
    assert numbers(client.get(reverse("contracts:list"), {"q": "KJ-2026"})) == ["KJ-2026-07"]


def test_sorting_by_value_descending(world: World) -> None:
    contract(world.account, number="HT-S", committed_value=Decimal("100"))
    contract(world.account, number="HT-L", committed_value=Decimal("900"))
    response = client_for(world.kam).get(reverse("contracts:list"), {"sort": "-value"})
    assert numbers(response) == ["HT-L", "HT-S"]


def test_pages_of_the_configured_size(world: World, settings: Any) -> None:
    settings.OPENKAM_PAGE_SIZE = 2
    for n in range(5):
        contract(world.account, number=f"HT-P{n}", ends_on=dt.date(2026, 7, 1 + n))
    client = client_for(world.kam)
    assert numbers(client.get(reverse("contracts:list"), {"page": "3"})) == ["HT-P4"]
    assert "5–5 of 5" in client.get(reverse("contracts:list"), {"page": "3"}).content.decode()


def test_no_contract_shows_the_empty_state(world: World) -> None:
    response = client_for(world.kam).get(reverse("contracts:list"))
    assert "No contracts match" in response.content.decode()


def test_the_list_runs_a_fixed_number_of_queries(
    world: World, django_assert_num_queries: Any
) -> None:
    for n in range(3):
        contract(world.account, number=f"HT-Q{n}", committed_value=Decimal("10"))
    client = client_for(world.kam)
    with django_assert_num_queries(LIST_QUERIES):
        client.get(reverse("contracts:list"))
    for n in range(3, 9):
        contract(world.account, number=f"HT-Q{n}")
    with django_assert_num_queries(LIST_QUERIES):
        assert len(numbers(client.get(reverse("contracts:list")))) == 9
