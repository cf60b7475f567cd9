"""Every account's stage from the newest refresh, in bulk: moves logged with their source,
an override kept until the data contradict it twice in a row, a back-dated refresh leaving
the stages alone, and the number of queries independent of the number of accounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from openkam.accounts.models import Account, LifecycleStage
from openkam.conftest import World
from openkam.factories import AccountFactory
from openkam.plans.tests.builders import snapshot
from openkam.portfolio.hooks import run_after_refresh
from openkam.retention import services
from openkam.retention.models import ChangeSource, LifecycleChange, LifecycleOverride

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 30)
STABLE: dict[str, Any] = {
    "purchase_days": 40, "age_weeks": 200.0, "days_since_last_purchase": 20, "p_alive": 0.9,
    "churn_level": "low", "revenue_12m": Decimal("100"), "revenue_prev_12m": Decimal("100"),
}  # fmt: skip


def _stage(account: Account) -> str:
    account.refresh_from_db()
    return account.lifecycle_stage


def test_a_refresh_moves_each_account_to_its_stage_and_logs_the_move(world: World) -> None:
    snapshot(world.account, DAY, **{**STABLE, "churn_level": "high"})
    snapshot(world.other_account, DAY, **STABLE)  # already in maintenance: no move
    result = services.lifecycle_refresh(as_of=DAY)
    assert (result.accounts, result.changed) == (3, 1)
    assert _stage(world.account) == LifecycleStage.CHURN_WARNING
    assert _stage(world.unassigned_account) == LifecycleStage.MAINTENANCE  # no snapshot: kept
    move = LifecycleChange.objects.get()
    assert (move.account, move.day, move.from_stage, move.to_stage, move.source) == (
        world.account,
        DAY,
        "maintenance",
        "churn_warning",
        ChangeSource.DATA,
    )
    services.lifecycle_refresh(as_of=DAY)
    assert LifecycleChange.objects.count() == 1  # nothing moves twice


def test_the_refresh_hook_suggests_stages_but_not_after_a_back_dated_refresh(
    world: World,
) -> None:
    snapshot(world.account, DAY, **{**STABLE, "churn_level": "high"})
    snapshot(world.account, DAY - dt.timedelta(days=90), **STABLE)
    run_after_refresh(DAY - dt.timedelta(days=90), warm=False)
    assert _stage(world.account) == LifecycleStage.MAINTENANCE
    run_after_refresh(DAY, warm=False)
    assert _stage(world.account) == LifecycleStage.CHURN_WARNING


def test_an_override_holds_until_two_refreshes_in_a_row_suggest_a_third_stage(
    world: World,
) -> None:
    snapshot(world.account, DAY, **{**STABLE, "churn_level": "high"})
    services.lifecycle_refresh(as_of=DAY)
    override = services.lifecycle_override(
        user=world.kam, account_id=world.account.pk, stage="maintenance",
        reason="客户计划内停产检修", today=DAY,
    )  # fmt: skip
    assert override.overrode == LifecycleStage.CHURN_WARNING
    assert _stage(world.account) == LifecycleStage.MAINTENANCE
    services.lifecycle_refresh(as_of=DAY)  # the same evidence the KAM overrode: kept
    assert _stage(world.account) == LifecycleStage.MAINTENANCE
    later = DAY + dt.timedelta(days=30)
    snapshot(world.account, later, **{**STABLE, "days_since_last_purchase": 400, "p_alive": 0.01})
    services.lifecycle_refresh(as_of=later)  # first contradiction: still kept
    override.refresh_from_db()
    assert (override.contradicted, override.ended_on) == (1, None)
    assert _stage(world.account) == LifecycleStage.MAINTENANCE
    services.lifecycle_refresh(as_of=later)  # second in a row: the data win
    override.refresh_from_db()
    assert (override.contradicted, override.ended_on) == (2, later)
    assert _stage(world.account) == LifecycleStage.LOST
    last = LifecycleChange.objects.order_by("pk").last()
    assert last is not None
    assert last.source == ChangeSource.OVERRIDE_ENDED
    assert override.history.count() == 3  # set; contradicted once; twice, and ended


def test_a_refresh_that_agrees_resets_the_count(world: World) -> None:
    snapshot(world.account, DAY, **{**STABLE, "days_since_last_purchase": 400, "p_alive": 0.01})
    override = services.lifecycle_override(
        user=world.kam, account_id=world.account.pk, stage="deepening", reason="新项目", today=DAY
    )
    services.lifecycle_refresh(as_of=DAY)
    override.refresh_from_db()
    assert override.contradicted == 0  # "lost" was what the KAM overrode
    snapshot(world.account, DAY + dt.timedelta(days=1), **{**STABLE, "churn_level": "high"})
    services.lifecycle_refresh(as_of=DAY + dt.timedelta(days=1))
    override.refresh_from_db()
    assert override.contradicted == 1
    silent = {**STABLE, "days_since_last_purchase": 402, "p_alive": 0.01}
    snapshot(world.account, DAY + dt.timedelta(days=2), **silent)
    services.lifecycle_refresh(as_of=DAY + dt.timedelta(days=2))
    override.refresh_from_db()
    assert (override.contradicted, override.ended_on) == (0, None)
    assert _stage(world.account) == LifecycleStage.DEEPENING


def test_an_override_needs_a_reason_and_a_writer(world: World) -> None:
    with pytest.raises(ValidationError):
        services.lifecycle_override(
            user=world.kam, account_id=world.account.pk, stage="lost", reason=" "
        )
    with pytest.raises(PermissionDenied):
        services.lifecycle_override(
            user=world.viewer, account_id=world.account.pk, stage="lost", reason="不再合作"
        )
    assert not LifecycleOverride.objects.exists()
    assert _stage(world.account) == LifecycleStage.MAINTENANCE


def _queries(accounts: int) -> int:
    for _ in range(accounts):
        snapshot(AccountFactory.create(), DAY, **{**STABLE, "churn_level": "high"})
    with CaptureQueriesContext(connection) as queries:
        services.lifecycle_refresh(as_of=DAY)
    return len(queries)


def test_the_refresh_costs_the_same_queries_for_3_or_30_accounts(db: None) -> None:
    few = _queries(3)
    Account.objects.update(lifecycle_stage="maintenance")
    LifecycleChange.objects.all().delete()
    assert _queries(27) == few
    assert LifecycleChange.objects.count() == 30


def test_a_landed_target_stays_served_though_its_ledger_is_empty(
    world: World, settings: Any
) -> None:
    """Promotion mode: a target whose project landed is served from the landing; the refresh,
    which finds no purchase for it, does not send it back to identification. Without a landed
    project (or in the sales mode) the data's stage stands."""
    from openkam.pipeline.models import Stage
    from openkam.pipeline.tests.builders import opportunity

    settings.OPENKAM_MODE = "promotion"
    served = {"lifecycle_stage": LifecycleStage.MAINTENANCE, "team": world.team, "owner": world.kam}
    landed = AccountFactory.create(**served)
    signed = AccountFactory.create(**served)
    opportunity(landed, stage=Stage.LANDED, title="动力电池基地")
    opportunity(signed, stage=Stage.SIGNED, title="储能项目")
    for account in (landed, signed):
        snapshot(account, DAY, **{**STABLE, "purchase_days": 0})
    services.lifecycle_refresh(as_of=DAY)
    assert _stage(landed) == LifecycleStage.MAINTENANCE
    assert _stage(signed) == LifecycleStage.IDENTIFICATION
    settings.OPENKAM_MODE = "sales"
    services.lifecycle_refresh(as_of=DAY)
    assert _stage(landed) == LifecycleStage.IDENTIFICATION
