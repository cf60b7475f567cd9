"""The survey_detractor rule, evaluated alone as `openkam alerts --rule` does: a recent
detractor, or CSAT falling a point since the survey before, raises an alert on the account;
an old detractor or a general-tier account does not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import translation

from openkam.alerts.models import Alert, Level
from openkam.alerts.rules import RULES, message_of
from openkam.conftest import World
from openkam.factories import AccountFactory
from openkam.surveys.tests.builders import answer, campaign, contact

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(2), tzinfo=dt.UTC)


def raised() -> dict[int, Alert]:
    call_command("alerts", "--as-of", DAY.isoformat(), "--rule", "survey_detractor")
    return {alert.account_id: alert for alert in Alert.objects.filter(rule="survey_detractor")}


def test_recent_detractors_and_falling_scores_raise_alerts(world: World) -> None:
    assert "survey_detractor" in RULES
    for account in (world.account, world.other_account):
        account.tier = "key"
        account.save()
    falling = AccountFactory.create(tier="strategic", team=world.team)
    old = AccountFactory.create(tier="key", team=world.team)
    general = AccountFactory.create(tier="general", team=world.team)
    may = campaign("五月", end=dt.date(2026, 5, 31))
    answer(may, contact(world.account, name="王总"), 2, at=at(dt.date(2026, 5, 20)))
    answer(may, contact(world.account, name="李工"), 5, at=at(dt.date(2026, 5, 21)))
    answer(may, contact(world.other_account, name="张经理"), 6, at=at(dt.date(2026, 5, 22)))
    answer(may, contact(general), 0, at=at(dt.date(2026, 5, 22)))
    answer(may, contact(old), 9, at=at(dt.date(2026, 5, 22)))
    last_year = campaign("去年", end=dt.date(2025, 10, 31))
    answer(last_year, contact(old), 1, at=at(dt.date(2025, 10, 20)))  # long ago
    answer(last_year, contact(falling), 9, csat=5, at=at(dt.date(2025, 10, 20)))
    answer(may, contact(falling), 8, csat=3, at=at(dt.date(2026, 5, 20)))  # passive, CSAT -2
    alerts = raised()
    assert set(alerts) == {world.account.pk, world.other_account.pk, falling.pk}
    mine = alerts[world.account.pk]
    assert mine.level == Level.HIGH  # 2/10 is below 4
    assert mine.params == {"nps": 2, "contact": "王总", "count": 2}
    assert alerts[world.other_account.pk].level == Level.MEDIUM
    assert alerts[falling.pk].params == {"csat_fall": 2.0}
    with translation.override("zh-hans"):
        assert message_of("survey_detractor", mine.params) == (
            "近期答卷中有2名贬损者，最低为王总（2/10）。"
        )
        assert message_of("survey_detractor", {"csat_fall": 2.0}) == "满意度较上次调查下降2.0分。"
    with translation.override("en"):
        assert message_of("survey_detractor", {"nps": 6, "contact": "张经理", "count": 1}) == (
            "张经理 answered the survey as a detractor (6/10)."
        )
