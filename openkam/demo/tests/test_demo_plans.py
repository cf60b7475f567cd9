"""The demo's account plans: one per strategic and key account, every status of the cycle,
risks of every rating, overdue actions; and, after refreshes, two reviews per active plan."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from openkam.accounts.models import Account, Tier
from openkam.demo.account_plans import MIN_PLANS, demo_plan_reviews
from openkam.demo.services import DemoReport
from openkam.demo.tests.conftest import TODAY
from openkam.plans.models import AccountPlan, Action, ActionStatus, PlanStatus, Risk
from openkam.plans.risks import Rating
from openkam.portfolio.services import portfolio_refresh

pytestmark = pytest.mark.django_db


def test_every_key_account_has_a_plan_and_every_status_shows(demo: DemoReport) -> None:
    key = set(
        Account.objects.filter(tier__in=(Tier.STRATEGIC, Tier.KEY)).values_list("pk", flat=True)
    )
    planned = set(AccountPlan.objects.values_list("account_id", flat=True))
    assert key <= planned
    assert len(planned) == max(len(key), MIN_PLANS)
    assert set(AccountPlan.objects.values_list("status", flat=True)) == set(PlanStatus.values)


def test_risks_of_every_rating_and_overdue_actions(demo: DemoReport) -> None:
    assert set(Risk.objects.values_list("rating", flat=True)) == set(Rating.values)
    overdue = Action.objects.filter(status=ActionStatus.OPEN, due_on__lt=TODAY)
    assert overdue.exists()
    assert Action.objects.filter(status=ActionStatus.DONE).exists()


def test_reviews_compare_the_snapshots_of_the_refreshes(demo: DemoReport) -> None:
    first, second = TODAY - dt.timedelta(days=91), TODAY - dt.timedelta(days=1)
    for day in (TODAY - dt.timedelta(days=182), first, second):
        portfolio_refresh(as_of=day)
    reviewed = demo_plan_reviews(today=TODAY, first=first, second=second)
    active = AccountPlan.objects.filter(status=PlanStatus.ACTIVE)
    assert reviewed == 2 * active.count()
    counts = set(active.annotate(n=Count("reviews")).values_list("n", flat=True))
    assert counts == {2}
    review = active.first().reviews.order_by("held_on").last()  # type: ignore[union-attr]
    assert review is not None
    assert review.figures["before"]["revenue_12m"]
    assert review.figures["after"]["revenue_12m"]


def test_synergistic_accounts_record_joint_projects_and_board_meetings(demo: DemoReport) -> None:
    from openkam.accounts.models import RelationshipStage
    from openkam.interactions.coverage import recorded_joint_work
    from openkam.relationships.stages import SYNERGISTIC_BOARD_MEETINGS, SYNERGISTIC_JOINT_FIELDS

    synergistic = Account.objects.filter(relationship_stage=RelationshipStage.SYNERGISTIC)
    assert synergistic.exists()
    for account in synergistic:
        recorded = recorded_joint_work(account, since=TODAY - dt.timedelta(days=365), today=TODAY)
        assert len(recorded["joint_projects"]) >= SYNERGISTIC_JOINT_FIELDS
        assert recorded["board_meetings"] >= SYNERGISTIC_BOARD_MEETINGS
    planned = AccountPlan.objects.filter(account__in=synergistic)
    assert all(plan.joint_projects.exists() for plan in planned)
