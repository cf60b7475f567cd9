"""A case's cost goes to the account's cost to serve when the case is resolved or closed:
one ledger row (indirect, after-sales service) per case, for the account and the year of the
resolution, so resolving again changes nothing and a change of the cost changes the row.
Readers are refused (403) and another team's case is not found (404), nothing saved."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from openkam.accounts.models import Account
from openkam.common.errors import ValidationError
from openkam.conftest import World, client_for
from openkam.ledger.models import CostToServe
from openkam.service import services
from openkam.service.models import ServiceCase
from openkam.service.selectors import COST_SOURCE
from openkam.service.tests.builders import case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "frozen")]

CAUSE = {"root_cause": "密封圈老化", "corrective_action": "更换密封圈"}


def cost_to_serve(account: Account, year: int = 2026) -> Decimal:
    rows = CostToServe.objects.filter(account=account, year=year, kind="indirect")
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal("0")


@pytest.fixture
def imported(world: World) -> CostToServe:
    """The account's cost to serve before any case: 10,000.00 of freight from the ERP."""
    return CostToServe.objects.create(
        account=world.account, year=2026, kind="indirect", category="freight",
        amount=Decimal("10000.00"), source="erp", external_id="F-1",
    )  # fmt: skip


def test_resolving_books_the_cost_once(world: World, imported: CostToServe) -> None:
    made = case(world.account, kind="quality_claim")
    client = client_for(world.kam)
    response = client.post(reverse("service:resolve", args=[made.pk]), {**CAUSE, "cost": "1234.50"})
    assert response.status_code == 302
    assert cost_to_serve(world.account) == Decimal("11234.50")
    row = CostToServe.objects.get(source=COST_SOURCE)
    assert (row.external_id, row.account, row.category, row.amount) == (
        str(made.pk),
        world.account,
        "service",
        Decimal("1234.50"),
    )
    assert f"#{made.pk}" in row.note
    # Closing, reopening and resolving again: still the one row.
    services.case_move(user=world.kam, case_id=made.pk, status="closed")
    services.case_move(user=world.kam, case_id=made.pk, status="reopened")
    services.case_resolve(user=world.kam, case_id=made.pk)
    services.case_move(user=world.kam, case_id=made.pk, status="closed")
    assert cost_to_serve(world.account) == Decimal("11234.50")
    assert CostToServe.objects.filter(source=COST_SOURCE).count() == 1
    page = client.get(made.get_absolute_url()).content.decode()
    assert 'data-testid="case-cost-booked"' in page
    assert "In the cost to serve of 2026" in page


def test_a_changed_cost_changes_the_booked_row(world: World, imported: CostToServe) -> None:
    made = case(world.account, kind="service_request", cost=Decimal("800.00"))
    services.case_resolve(user=world.kam, case_id=made.pk)
    assert cost_to_serve(world.account) == Decimal("10800.00")
    services.case_update(user=world.kam, case_id=made.pk, cost=Decimal("1500.25"))
    assert cost_to_serve(world.account) == Decimal("11500.25")
    assert CostToServe.objects.filter(source=COST_SOURCE).count() == 1
    services.case_update(user=world.kam, case_id=made.pk, cost=Decimal("0"))
    assert cost_to_serve(world.account) == Decimal("10000.00")
    assert not CostToServe.objects.filter(source=COST_SOURCE).exists()


def test_an_open_case_is_not_booked_until_resolved(world: World, imported: CostToServe) -> None:
    made = case(world.account, kind="training_request")
    services.case_update(user=world.kam, case_id=made.pk, cost=Decimal("300.00"))
    assert cost_to_serve(world.account) == Decimal("10000.00")
    services.case_resolve(user=world.kam, case_id=made.pk)
    assert cost_to_serve(world.account) == Decimal("10300.00")
    assert CostToServe.objects.get(source=COST_SOURCE).category == "training"


def test_a_negative_cost_is_refused_by_name(world: World) -> None:
    made = case(world.account, kind="quality_claim")
    response = client_for(world.kam).post(
        reverse("service:resolve", args=[made.pk]), {**CAUSE, "cost": "-5"}
    )
    assert response.status_code == 200
    assert "greater than or equal to 0" in response.content.decode()
    with pytest.raises(ValidationError, match="cannot be negative") as refused:
        services.case_resolve(
            user=world.kam, case_id=made.pk, cost=Decimal("-5"),
            root_cause="密封圈老化", corrective_action="更换密封圈",
        )  # fmt: skip
    assert set(refused.value.message_dict) == {"cost"}
    assert ServiceCase.objects.get().status == "new"
    assert not CostToServe.objects.exists()


@pytest.mark.parametrize("who", ["viewer", "analyst", "other_kam"])
def test_readers_and_other_teams_book_nothing(
    world: World, imported: CostToServe, who: str
) -> None:
    made = case(world.account, kind="quality_claim", cost=Decimal("500.00"))
    before = list(ServiceCase.objects.values())
    client = client_for(getattr(world, who))
    expected = 404 if who == "other_kam" else 403
    resolved = client.post(reverse("service:resolve", args=[made.pk]), {**CAUSE, "cost": "900"})
    assert resolved.status_code == expected
    moved = client.post(reverse("service:move", args=[made.pk]), {"status": "closed"})
    assert moved.status_code == expected
    assert list(ServiceCase.objects.values()) == before
    assert cost_to_serve(world.account) == Decimal("10000.00")
    assert not CostToServe.objects.filter(source=COST_SOURCE).exists()


def test_the_booking_carries_the_month_of_the_resolution(
    world: World, imported: CostToServe
) -> None:
    """Resolved at 17:30 UTC on 31 March is 01:30 on 1 April in Shanghai: booked to April
    2026. Reopening keeps the row where it is until it is resolved again (in May)."""
    import datetime as dt

    made = case(
        world.account, kind="service_request", cost=Decimal("640.00"),
        opened_at=dt.datetime(2026, 3, 30, 8, 0, tzinfo=dt.UTC),
    )  # fmt: skip
    services.case_resolve(
        user=world.kam, case_id=made.pk, resolved_at=dt.datetime(2026, 3, 31, 17, 30, tzinfo=dt.UTC)
    )
    row = CostToServe.objects.get(source=COST_SOURCE)
    assert (row.year, row.month, row.amount) == (2026, 4, Decimal("640.00"))
    services.case_move(user=world.kam, case_id=made.pk, status="reopened")
    assert CostToServe.objects.get(source=COST_SOURCE).month == 4
    services.case_resolve(
        user=world.kam, case_id=made.pk, resolved_at=dt.datetime(2026, 5, 20, 2, 0, tzinfo=dt.UTC)
    )
    row = CostToServe.objects.get(source=COST_SOURCE)
    assert (row.year, row.month) == (2026, 5)
    assert cost_to_serve(world.account) == Decimal("10640.00")
    assert imported.month is None  # a whole year's cost from the ERP has no month
