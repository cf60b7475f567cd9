"""Who sets and approves targets; an approved target is locked and a later change keeps its
reason in the history."""

from __future__ import annotations

from decimal import Decimal

import pytest

from openkam.common.errors import NotFound, PermissionDenied, ValidationError
from openkam.conftest import World
from openkam.performance.models import Level, Metric, Target, TargetStatus
from openkam.performance.services import (
    target_approve,
    target_decompose,
    target_set,
    target_submit,
)
from openkam.team.models import Team, User

pytestmark = pytest.mark.django_db


def set_team(world: World, user: User, team: Team | None = None, amount: str = "1200") -> Target:
    return target_set(
        user=user,
        year=2026,
        level=Level.TEAM,
        metric=Metric.SALES,
        amount=Decimal(amount),
        team=team or world.team,
    )


@pytest.mark.parametrize("persona", ["kam", "analyst", "viewer"])
def test_kams_analysts_and_viewers_may_not_set_targets(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        set_team(world, getattr(world, persona))
    assert not Target.objects.exists()


def test_a_director_does_not_see_another_teams_target(world: World) -> None:
    with pytest.raises(NotFound):
        set_team(world, world.director, world.other_team)
    assert not Target.objects.exists()


def test_only_an_executive_sets_the_company_target(world: World) -> None:
    with pytest.raises(PermissionDenied):
        target_set(
            user=world.director,
            year=2026,
            level=Level.COMPANY,
            metric=Metric.SALES,
            amount=Decimal(1),
        )
    target = target_set(
        user=world.executive, year=2026, level=Level.COMPANY, metric=Metric.SALES, amount=Decimal(1)
    )
    assert target.team is None


def test_the_executive_approves_the_target_and_its_decomposition(world: World) -> None:
    parent = set_team(world, world.director)
    target_decompose(user=world.director, parent=parent, amounts={world.kam.pk: Decimal("1200")})
    target_submit(user=world.director, target=parent)
    with pytest.raises(PermissionDenied):
        target_approve(user=world.director, target=parent)

    target_approve(user=world.executive, target=parent)

    assert set(Target.objects.values_list("status", "approved_by")) == {
        (TargetStatus.APPROVED, world.executive.pk)
    }


def test_a_change_after_approval_needs_a_reason_which_the_history_keeps(world: World) -> None:
    parent = set_team(world, world.director)
    target_approve(user=world.executive, target=parent)
    with pytest.raises(ValidationError) as refused:
        set_team(world, world.director, amount="1500")
    assert "reason" in refused.value.message_dict
    parent.refresh_from_db()
    assert parent.amount == Decimal("1200")

    changed = target_set(
        user=world.director,
        year=2026,
        level=Level.TEAM,
        metric=Metric.SALES,
        amount=Decimal("1500"),
        team=world.team,
        reason="新增大客户",
    )

    assert changed.pk == parent.pk
    assert changed.amount == Decimal("1500")
    latest = changed.history.first()
    assert latest is not None
    assert latest.history_change_reason == "新增大客户"
    assert changed.status == TargetStatus.APPROVED
