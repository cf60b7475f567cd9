"""The two contract rules of the alert engine, evaluated alone as `openkam alerts --rule`
does: renewal due from the notice deadline, shortfall from the execution against the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import translation

from openkam.accounts.models import Account, Tier
from openkam.alerts.models import Alert, Level
from openkam.alerts.rules import RULES, message_of
from openkam.conftest import World
from openkam.contracts import services
from openkam.contracts.tests.builders import bought, contract
from openkam.factories import AccountFactory, ProductFactory

pytestmark = pytest.mark.django_db
MARCH_END = dt.date(2026, 3, 31)


def raised(rule: str, as_of: dt.date) -> dict[int, Alert]:
    call_command("alerts", "--as-of", as_of.isoformat(), "--rule", rule)
    return {alert.account_id: alert for alert in Alert.objects.filter(rule=rule)}


def key_account(world: World) -> Account:
    return AccountFactory.create(team=world.team, owner=world.kam, tier=Tier.KEY)


def test_both_rules_are_registered() -> None:
    assert {"contract_renewal_due", "contract_shortfall"} <= set(RULES)


def test_renewal_due_from_the_notice_deadline_most_urgent_contract_first(world: World) -> None:
    soon, later, draft_only, renewed = (key_account(world) for _ in range(4))
    contract(soon, number="HT-SOON", ends_on=dt.date(2026, 4, 30), notice_days=30,
             committed_value=Decimal("500000"))  # fmt: skip
    contract(soon, number="HT-SOON-2", ends_on=dt.date(2026, 5, 31))
    contract(later, number="HT-LATER", ends_on=dt.date(2026, 12, 31), auto_renew=True)
    contract(draft_only, number="HT-DRAFT", ends_on=dt.date(2026, 4, 30), signed=False)
    old = contract(renewed, number="HT-OLD", ends_on=dt.date(2026, 4, 30))
    new = services.contract_renew(user=world.executive, contract=old, number="HT-NEW")
    services.contract_sign(user=world.executive, contract=new, signed_on=dt.date(2026, 3, 1))
    found = raised("contract_renewal_due", MARCH_END)
    assert list(found) == [soon.pk]  # notice by 2026-03-31: today, 0 days left
    alert = found[soon.pk]
    assert (alert.level, alert.value_at_risk) == (Level.HIGH, Decimal("500000.00"))
    assert alert.params["number"] == "HT-SOON"
    assert alert.params["days_left"] == 0
    with translation.override("en"):
        assert "HT-SOON ends on 2026-04-30" in message_of("contract_renewal_due", alert.params)


def test_an_automatic_renewal_is_flagged_before_its_notice_deadline(world: World) -> None:
    account = key_account(world)
    contract(account, number="HT-AUTO", ends_on=dt.date(2026, 6, 30), notice_days=60,
             auto_renew=True)  # fmt: skip
    alert = raised("contract_renewal_due", MARCH_END)[account.pk]
    assert alert.params["notice_by"] == "2026-05-01"
    assert alert.level == Level.MEDIUM  # 31 days left
    with translation.override("en"):
        assert "renews automatically" in message_of("contract_renewal_due", alert.params)


def test_shortfall_raised_on_the_hand_checked_pace_and_quiet_within_tolerance(
    world: World,
) -> None:
    short, on_pace, early = key_account(world), key_account(world), key_account(world)
    product = ProductFactory.create(family="曳引机")
    contract(short, number="HT-SHORT", committed_value=Decimal("1200000"))
    bought(short, product, on=dt.date(2026, 2, 1), amount="150000")
    contract(on_pace, number="HT-PACE", committed_value=Decimal("1200000"))
    bought(on_pace, product, on=dt.date(2026, 2, 1), amount="280000")  # 6.7 % behind
    contract(early, number="HT-EARLY", starts_on=dt.date(2026, 3, 1),
             ends_on=dt.date(2027, 2, 28), committed_value=Decimal("1200000"))  # fmt: skip
    found = raised("contract_shortfall", MARCH_END)
    assert list(found) == [short.pk]  # "early" is 1/12 into its year: not judged yet
    alert = found[short.pk]
    # 300,000 due by the end of March, 150,000 bought: 50 % behind, high.
    assert alert.level == Level.HIGH
    assert alert.value_at_risk == Decimal("150000.00")
    assert alert.params == {"number": "HT-SHORT", "due": 300000.0, "actual": 150000.0,
                            "behind": 0.5, "elapsed": 0.25}  # fmt: skip
    with translation.override("en"):
        assert message_of("contract_shortfall", alert.params) == (
            "Contract HT-SHORT is 50% behind: ¥150K bought against ¥300K due by now "
            "(25% of the period elapsed)."
        )
    with translation.override("zh-hans"):
        chinese = message_of("contract_shortfall", alert.params)
    assert "¥15万" in chinese, chinese
    assert "¥30万" in chinese, chinese


def test_shortfall_clears_when_purchases_catch_up(world: World) -> None:
    account = key_account(world)
    product = ProductFactory.create(family="曳引机")
    contract(account, committed_value=Decimal("1200000"))
    bought(account, product, on=dt.date(2026, 2, 1), amount="150000")
    assert account.pk in raised("contract_shortfall", MARCH_END)
    bought(account, product, on=dt.date(2026, 3, 30), amount="150000")
    raised("contract_shortfall", MARCH_END)
    assert Alert.objects.get(rule="contract_shortfall").resolved_at is not None


def test_general_accounts_are_not_watched_for_shortfall_by_default(world: World) -> None:
    contract(world.account, committed_value=Decimal("1200000"))  # a general account
    assert raised("contract_shortfall", MARCH_END) == {}
