"""Win-back cases through their services: opened from a churn alert of the account (owned by
its KAM, with the twelve months' revenue at stake, the account moved to win-back), refused
for other alerts and for a second open case; closed with an outcome on a day between its
opening and today; a closed case is final; actions get their done day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from openkam.accounts.models import LifecycleStage
from openkam.alerts.tests.builders import alert
from openkam.common.errors import NotFound
from openkam.conftest import World
from openkam.plans.tests.builders import snapshot
from openkam.retention import services
from openkam.retention.models import ChangeSource, LifecycleChange, WinBackAction, WinBackCase
from openkam.retention.tests.builders import case, churn_alert, months

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 5, 20)


def test_a_case_opened_from_a_churn_alert_belongs_to_the_kam_and_moves_the_account(
    world: World,
) -> None:
    months(world.account, {
        dt.date(2025, 4, 1): "999",  # before the twelve months: not counted
        dt.date(2025, 5, 1): "1000.50",
        dt.date(2026, 1, 1): "2000",
        dt.date(2026, 4, 1): "300",
        dt.date(2026, 5, 1): "777",  # the current month: not complete, not counted
    })  # fmt: skip
    raised = churn_alert(world.account)
    opened = services.winback_open(
        user=world.director, account_id=world.account.pk, alert_id=raised.pk, cause="competitor",
        notes=" 对手降价 ", today=TODAY,
    )  # fmt: skip
    opened.refresh_from_db()
    assert (opened.owner, opened.alert, opened.opened_on) == (world.kam, raised, TODAY)
    assert opened.revenue_at_stake == Decimal("3300.50")
    assert opened.notes == "对手降价"
    world.account.refresh_from_db()
    assert world.account.lifecycle_stage == LifecycleStage.WIN_BACK
    change = LifecycleChange.objects.get(account=world.account)
    assert (change.from_stage, change.to_stage, change.source) == (
        LifecycleStage.MAINTENANCE,
        LifecycleStage.WIN_BACK,
        ChangeSource.DATA,
    )


def test_a_payment_alert_opens_no_case(world: World) -> None:
    late = alert(world.account, rule="payment_worsening")
    with pytest.raises(ValidationError) as refused:
        services.winback_open(
            user=world.kam, account_id=world.account.pk, alert_id=late.pk, cause="price"
        )
    assert "alert" in refused.value.message_dict
    assert not WinBackCase.objects.exists()


def test_an_alert_of_another_account_is_refused(world: World) -> None:
    theirs = churn_alert(world.other_account)
    with pytest.raises(ValidationError):
        services.winback_open(
            user=world.kam, account_id=world.account.pk, alert_id=theirs.pk, cause="price"
        )
    assert not WinBackCase.objects.exists()


def test_an_account_has_one_open_case_at_a_time(world: World) -> None:
    case(world.account)
    with pytest.raises(ValidationError):
        services.winback_open(user=world.kam, account_id=world.account.pk, cause="price")
    assert WinBackCase.objects.count() == 1


@pytest.mark.parametrize(
    ("persona", "error"),
    [("other_kam", NotFound), ("viewer", PermissionDenied), ("analyst", PermissionDenied)],
)
def test_who_may_not_write_opens_nothing(world: World, persona: str, error: type) -> None:
    with pytest.raises(error):
        services.winback_open(
            user=getattr(world, persona), account_id=world.account.pk, cause="price"
        )
    assert not WinBackCase.objects.exists()


def test_the_outcome_closes_the_case_and_a_lost_account_is_lost(world: World) -> None:
    opened = services.winback_open(
        user=world.kam, account_id=world.account.pk, cause="quality", today=TODAY
    )
    closed = services.winback_record_outcome(
        user=world.kam, case=opened, outcome="lost", outcome_on=TODAY, note="转向对手",
        today=TODAY,
    )  # fmt: skip
    assert (closed.outcome, closed.outcome_on, closed.outcome_note) == ("lost", TODAY, "转向对手")
    world.account.refresh_from_db()
    assert world.account.lifecycle_stage == LifecycleStage.LOST
    with pytest.raises(ValidationError):
        services.winback_update(user=world.kam, case=closed, changes={"notes": "再试"})
    assert WinBackCase.objects.get().notes == ""


@pytest.mark.parametrize("day", [dt.date(2026, 5, 21), dt.date(2026, 3, 1)])
def test_the_outcome_date_lies_between_opening_and_today(world: World, day: dt.date) -> None:
    opened = case(world.account, opened_on=dt.date(2026, 3, 2))
    with pytest.raises(ValidationError) as refused:
        services.winback_record_outcome(
            user=world.kam, case=opened, outcome="retained", outcome_on=day, today=TODAY
        )
    assert "outcome_on" in refused.value.message_dict
    assert WinBackCase.objects.get().outcome == ""


def test_a_recovered_account_leaves_win_back_for_what_the_data_say(world: World) -> None:
    snapshot(world.account, TODAY - dt.timedelta(days=3), purchase_days=12, age_weeks=150.0,
             days_since_last_purchase=20, churn_level="low")  # fmt: skip
    opened = services.winback_open(
        user=world.kam, account_id=world.account.pk, cause="price", today=TODAY
    )
    services.winback_record_outcome(
        user=world.kam, case=opened, outcome="recovered", outcome_on=TODAY, today=TODAY
    )
    world.account.refresh_from_db()
    assert world.account.lifecycle_stage == LifecycleStage.MAINTENANCE
    assert list(LifecycleChange.objects.order_by("pk").values_list("to_stage", flat=True)) == [
        LifecycleStage.WIN_BACK,
        LifecycleStage.MAINTENANCE,
    ]


def test_an_action_done_records_the_day_and_its_owner_may_mark_it(world: World) -> None:
    opened = case(world.account)
    action = services.winback_action_add(
        user=world.kam, case=opened, title="总经理拜访", owner_id=world.viewer.pk,
        due_on=dt.date(2026, 6, 1),
    )  # fmt: skip
    services.winback_action_update(
        user=world.viewer, action=action, changes={"status": "done"}, today=TODAY
    )
    action.refresh_from_db()
    assert (action.status, action.done_on) == ("done", TODAY)
    services.winback_action_update(user=world.kam, action=action, changes={"status": "open"})
    action.refresh_from_db()
    assert (action.status, action.done_on) == ("open", None)


def test_someone_else_reading_only_may_not_mark_an_action(world: World) -> None:
    action = WinBackAction.objects.create(
        case=case(world.account), title="报价", owner=world.kam, due_on=TODAY
    )
    with pytest.raises(PermissionDenied):
        services.winback_action_update(user=world.viewer, action=action, changes={"status": "done"})
    action.refresh_from_db()
    assert action.status == "open"
