"""The demo's service cases (openkam.demo.service): each key account gets its closed 8D claim,
a complaint (every third one answered late), a training request, and every fourth one a
critical support case left open past its deadline."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from openkam.accounts.models import Tier
from openkam.conftest import World
from openkam.demo.service import write_service_cases
from openkam.factories import AccountFactory
from openkam.service.models import ServiceCase
from openkam.service.selectors import with_breach

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
TODAY = dt.date(2026, 6, 1)


def test_four_key_accounts_get_their_cases(world: World) -> None:
    accounts = [AccountFactory.create(tier=Tier.KEY, team=world.team) for _ in range(4)]
    AccountFactory.create(tier=Tier.GENERAL, team=world.team)
    assert write_service_cases(seed=1, today=TODAY) == 13  # 4 x 3, and one support case
    kinds = Counter(ServiceCase.objects.values_list("kind", flat=True))
    assert kinds == {"quality_claim": 4, "complaint": 4, "training_request": 4,
                     "technical_support": 1}  # fmt: skip
    assert set(ServiceCase.objects.values_list("account", flat=True)) == {a.pk for a in accounts}
    claim = ServiceCase.objects.filter(kind="quality_claim").first()
    assert claim is not None
    assert claim.root_cause
    assert claim.corrective_action
    late = with_breach(ServiceCase.objects.all(), now=dt.datetime(2026, 6, 1, 4, tzinfo=dt.UTC))
    breached = Counter(late.filter(breached=True).values_list("kind", flat=True))  # type: ignore[misc]
    # account 0: complaint answered 6 h after opening (4 h due) and the critical case unresolved
    # 8 days on (24 h due); the rest are within their hours at noon.
    assert breached == {"complaint": 2, "technical_support": 1}


def test_the_demo_support_case_keeps_the_tiers_support_response_time(world: World) -> None:
    """The demo passes the case's kind to the SLA, so a technical-support case is answered
    within the tier's support response time when that is shorter than the severity's (here a
    key tier promising one hour against the critical severity's two)."""
    from openkam.portfolio.models import TierServiceLevel

    TierServiceLevel.objects.update_or_create(tier=Tier.KEY, defaults={"support_response_hours": 1})
    AccountFactory.create(tier=Tier.KEY, team=world.team)
    write_service_cases(seed=1, today=TODAY)
    support = ServiceCase.objects.get(kind="technical_support")
    assert support.response_due - support.opened_at == dt.timedelta(hours=1)
    assert support.resolution_due - support.opened_at == dt.timedelta(hours=24)
    complaint = ServiceCase.objects.get(kind="complaint")  # no cap for other kinds: 4 h (high)
    assert complaint.response_due - complaint.opened_at == dt.timedelta(hours=4)


def test_the_demo_claims_are_rated_and_followed_by_a_training(world: World) -> None:
    from openkam.factories import ContactFactory
    from openkam.service.models import Training

    accounts = [AccountFactory.create(tier=Tier.KEY, team=world.team) for _ in range(2)]
    ContactFactory.create(account=accounts[0], influence_level=5)
    write_service_cases(seed=1, today=TODAY)
    rated = ServiceCase.objects.get(kind="quality_claim", account=accounts[0])
    assert rated.rating is not None
    assert 2 <= rated.rating <= 5
    assert rated.rated_at is not None
    unrated = ServiceCase.objects.get(kind="quality_claim", account=accounts[1])
    assert unrated.rating is None  # no contact to ask
    assert Training.objects.count() == 2
    training = Training.objects.get(account=accounts[0])
    assert list(training.cases.all()) == [rated]
    assert list(training.attendees.all()) == [rated.contact]
