"""A case's deadlines come from the SLA of its account's tier and its severity, and the
database tells whether it kept them (hand-checked hours)."""

from __future__ import annotations

import datetime as dt

import pytest

from openkam.conftest import World
from openkam.service.models import ServiceCase, SlaPolicy
from openkam.service.selectors import with_breach
from openkam.service.services import case_open, case_resolve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
NINE = dt.datetime(2026, 6, 1, 1, 0, tzinfo=dt.UTC)  # 09:00 in Shanghai


def flags(case: ServiceCase) -> tuple[bool, bool, bool]:
    row = with_breach(ServiceCase.objects.filter(pk=case.pk)).get()
    return row.response_breached, row.resolution_breached, row.breached  # type: ignore[attr-defined]


def test_a_high_case_answered_five_hours_after_opening_breached_its_four_hour_response(
    world: World,
) -> None:
    made = case_open(
        user=world.kam, account_id=world.account.pk, kind="complaint", severity="high",
        title="曳引机异响", opened_at=NINE, first_response_at=NINE + dt.timedelta(hours=5),
    )  # fmt: skip
    assert made.response_due == NINE + dt.timedelta(hours=4)  # 13:00, answered 14:00
    assert made.resolution_due == NINE + dt.timedelta(hours=72)
    assert made.status == "in_progress"
    assert flags(made) == (True, False, True)


def test_an_answer_within_the_hours_keeps_the_sla(world: World) -> None:
    made = case_open(
        user=world.kam, account_id=world.account.pk, kind="complaint", severity="high",
        title="t", opened_at=NINE, first_response_at=NINE + dt.timedelta(hours=3, minutes=59),
    )  # fmt: skip
    assert flags(made) == (False, False, False)


def test_a_case_not_yet_answered_breaches_once_its_deadline_passes(world: World) -> None:
    # Critical: 2 h. Opened at 09:00, now is 20:00 (12:00 UTC): 9 h, no answer.
    late = case_open(
        user=world.kam, account_id=world.account.pk, kind="complaint", severity="critical",
        title="t", opened_at=NINE,
    )  # fmt: skip
    # Low: 24 h. The same opening is still within.
    calm = case_open(
        user=world.kam, account_id=world.account.pk, kind="complaint", severity="low",
        title="t", opened_at=NINE,
    )  # fmt: skip
    assert flags(late) == (True, False, True)
    assert flags(calm) == (False, False, False)


def test_a_late_resolution_breaches_the_resolution_sla(world: World) -> None:
    made = case_open(
        user=world.kam, account_id=world.account.pk, kind="service_request", severity="high",
        title="t", opened_at=NINE - dt.timedelta(hours=80),
        first_response_at=NINE - dt.timedelta(hours=79),
    )  # fmt: skip
    case_resolve(user=world.kam, case_id=made.pk, resolved_at=NINE)  # 80 h after, 72 h due
    assert flags(made) == (False, True, True)


def test_the_tiers_own_policy_replaces_the_default(world: World) -> None:
    SlaPolicy.objects.create(
        tier=world.account.tier, severity="high", response_hours=1, resolution_hours=8
    )
    made = case_open(
        user=world.kam, account_id=world.account.pk, kind="complaint", severity="high",
        title="t", opened_at=NINE, first_response_at=NINE + dt.timedelta(hours=2),
    )  # fmt: skip
    assert made.response_due == NINE + dt.timedelta(hours=1)
    assert made.resolution_due == NINE + dt.timedelta(hours=8)
    assert flags(made) == (True, True, True)  # answered after 1 h; unresolved after 11 h


def test_the_tiers_service_level_caps_a_technical_support_first_response(world: World) -> None:
    """The settings page's technical-support response time of the tier (TierServiceLevel): a
    low technical-support case is due in 24 h by default, in 3 h for a tier promised 3 h; a low
    complaint keeps its 24 h; resolution unchanged."""
    from openkam.portfolio.models import TierServiceLevel

    TierServiceLevel.objects.update_or_create(
        tier=world.account.tier, defaults={"support_response_hours": 3}
    )
    support = case_open(
        user=world.kam, account_id=world.account.pk, kind="technical_support", severity="low",
        title="t", opened_at=NINE,
    )  # fmt: skip
    complaint = case_open(
        user=world.kam, account_id=world.account.pk, kind="complaint", severity="low",
        title="t", opened_at=NINE,
    )  # fmt: skip
    assert support.response_due == NINE + dt.timedelta(hours=3)
    assert support.resolution_due == NINE + dt.timedelta(hours=240)
    assert complaint.response_due == NINE + dt.timedelta(hours=24)
