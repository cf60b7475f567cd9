"""The service_sla_breach rule, evaluated alone as `openkam alerts --rule` does: an open case
past its deadline raises an alert on its account; resolving it clears it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import translation

from openkam.alerts.models import Alert, Level
from openkam.alerts.rules import RULES, message_of
from openkam.conftest import World
from openkam.service.services import case_resolve
from openkam.service.tests.builders import case

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)
OPENED = dt.datetime(2026, 5, 31, 1, 0, tzinfo=dt.UTC)  # the day before, 09:00 Shanghai


def raised() -> dict[int, Alert]:
    call_command("alerts", "--as-of", DAY.isoformat(), "--rule", "service_sla_breach")
    return {alert.account_id: alert for alert in Alert.objects.filter(rule="service_sla_breach")}


def test_a_late_open_case_raises_and_its_resolution_clears(world: World) -> None:
    assert "service_sla_breach" in RULES
    # High: response due 4 h after opening, never answered: late on the day evaluated.
    late = case(world.account, severity="high", opened_at=OPENED)
    # Low, answered in time, due in 10 days: not late. Another account's: within SLA.
    case(world.account, severity="low", opened_at=OPENED, first_response_at=OPENED,
         resolution_due=OPENED + dt.timedelta(days=10))  # fmt: skip
    case(world.other_account, severity="low", opened_at=OPENED, first_response_at=OPENED,
         resolution_due=OPENED + dt.timedelta(days=10))  # fmt: skip
    alerts = raised()
    assert set(alerts) == {world.account.pk}
    alert = alerts[world.account.pk]
    assert alert.level == Level.HIGH
    assert alert.params == {"case_id": late.pk, "title": "曳引机异响", "count": 1}
    with translation.override("zh-hans"):
        assert message_of("service_sla_breach", alert.params) == (
            f"服务工单 #{late.pk} 曳引机异响 已超出服务时限。"
        )
    case_resolve(user=world.kam, case_id=late.pk, root_cause="因", corrective_action="改",
                 resolved_at=OPENED + dt.timedelta(hours=2))  # fmt: skip
    raised()
    assert Alert.objects.get(rule="service_sla_breach").resolved_at is not None
