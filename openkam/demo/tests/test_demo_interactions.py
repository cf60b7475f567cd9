"""The demo's interactions: consistent with the accounts, their tiers and relationship
stages, so the relationship map and "my week" are full from the first login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, F

from openkam.accounts.models import Account
from openkam.demo.services import DemoReport
from openkam.demo.tests.conftest import TODAY
from openkam.interactions.coverage import coverage_matrix
from openkam.interactions.models import ContactCadence, Interaction, Status
from openkam.relationships.stages import assess_stage
from openkam.surveys.models import Response

pytestmark = pytest.mark.django_db

Participants = Interaction.their_participants.through


def test_the_demo_writes_interactions_with_people_on_both_sides(demo: DemoReport) -> None:
    # The interactions step writes them all but the survey answers' follow-ups, written later.
    follow_ups = Response.objects.filter(follow_up__isnull=False).count()
    assert demo.rows["interactions_interaction"] + follow_ups == Interaction.objects.count() > 300
    assert not Interaction.objects.filter(their_participants__isnull=True).exists()
    assert Interaction.objects.filter(our_participants__isnull=False).distinct().count() == (
        Interaction.objects.count()
    )
    strangers = Participants.objects.exclude(contact__account_id=F("interaction__account_id"))
    assert not strangers.exists()


def test_done_is_in_the_past_and_planned_in_the_next_two_weeks(demo: DemoReport) -> None:
    planned = Interaction.objects.filter(status=Status.PLANNED)
    assert planned.exists()
    days = {i.starts_at.date() for i in planned}
    assert min(days) >= TODAY
    assert max(days) <= TODAY + dt.timedelta(days=16)
    assert not Interaction.objects.filter(status=Status.DONE, starts_at__date__gte=TODAY).exists()


def test_strategic_accounts_are_visited_far_more_often_than_general_ones(demo: DemoReport) -> None:
    per_tier = {
        row["tier"]: row["n"] / row["accounts"]
        for row in Account.objects.values("tier").annotate(
            n=Count("interactions"), accounts=Count("id", distinct=True)
        )
    }
    assert per_tier["strategic"] > 3 * per_tier["general"]
    assert per_tier["major"] > per_tier["general"]


def test_the_stage_assessed_from_the_matrix_mostly_matches_the_recorded_one(
    demo: DemoReport,
) -> None:
    accounts = Account.objects.exclude(tier="general").exclude(lifecycle_stage="lost")
    agree = sum(
        assess_stage(coverage_matrix(account, today=TODAY).coverage).stage
        == account.relationship_stage
        for account in accounts
    )
    assert agree >= 0.6 * accounts.count()


def test_the_default_cadence_is_in_place_after_the_wipe(demo: DemoReport) -> None:
    assert dict(ContactCadence.objects.values_list("tier", "every_days")) == {
        "strategic": 30,
        "key": 42,
        "major": 90,
        "general": 180,
    }
