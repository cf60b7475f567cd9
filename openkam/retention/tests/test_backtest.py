"""Does the warning work? The rules replayed on a hand-built history: one refresh six months
before today, purchases before and after it, invoices falling due after it. Precision,
recall and base rate are counted by hand below each scenario."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from openkam.alerts.rules import RULES
from openkam.conftest import World, client_for
from openkam.factories import AccountFactory
from openkam.ledger.models import Invoice, Payment
from openkam.plans.tests.builders import snapshot
from openkam.retention.backtest import paid_late_outcomes, replay_dates, run_backtest
from openkam.retention.models import RuleBacktest
from openkam.retention.tests.builders import purchase_days

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 7)
REPLAY = dt.date(2026, 6, 1)  # between 12 and 6 months before TODAY; horizon ends 2026-12-01


@pytest.fixture
def history(db: None) -> dict[str, int]:
    """A: warned and churned; B: warned, kept buying; C: not warned by P(alive), churned;
    D: quiet and buying; E: warned but had stopped over a year before (not judged);
    F: a general account (outside the rules' tiers)."""
    rows = {
        # name: (tier, p_alive, mean gap, days since, purchases)
        "A": ("key", 0.10, 30.0, 92, [dt.date(2026, 3, 1)]),
        "B": ("key", 0.20, 60.0, 120, [dt.date(2026, 2, 1), dt.date(2026, 8, 1)]),
        "C": ("key", 0.80, 30.0, 61, [dt.date(2026, 4, 1)]),
        "D": ("key", 0.90, 30.0, 31, [dt.date(2026, 5, 1), dt.date(2026, 7, 1)]),
        "E": ("key", 0.05, 30.0, 516, [dt.date(2025, 1, 1)]),
        "F": ("general", 0.10, 30.0, 151, [dt.date(2026, 1, 1)]),
    }
    ids = {}
    for name, (tier, p_alive, gap, since, days) in rows.items():
        account = AccountFactory.create(tier=tier, legal_name=f"客户{name}")
        snapshot(account, REPLAY, p_alive=p_alive, mean_gap_days=gap, purchase_days=5,
                 days_since_last_purchase=since, clv=Decimal("1000"))  # fmt: skip
        purchase_days(account, *days)
        ids[name] = account.pk
    return ids


def _row(rows: list[RuleBacktest], rule: str) -> RuleBacktest:
    return next(row for row in rows if row.rule == rule)


def test_the_replay_dates_are_the_refreshes_of_6_to_12_months_ago(history: dict) -> None:
    snapshot(AccountFactory.create(), dt.date(2026, 9, 1))  # three months ago: too recent
    snapshot(AccountFactory.create(), dt.date(2025, 11, 30))  # over a year ago
    assert replay_dates(TODAY) == [REPLAY]


def test_p_alive_low_caught_half_the_churn_with_half_its_alerts_right(history: dict) -> None:
    rows = run_backtest(today=TODAY, rules=["p_alive_low"])
    row = _row(rows, "p_alive_low")
    # judged (key accounts buying in the year before): A, B, C, D; warned: A, B; churned: A, C
    assert (row.accounts, row.raised, row.raised_then_bad, row.bad, row.caught) == (4, 2, 1, 2, 1)
    assert (row.precision, row.recall, row.base_rate) == (0.5, 0.5, 0.5)
    assert row.replay_dates == ["2026-06-01"]
    assert row.settings["cut"] == 0.3


def test_purchase_gap_caught_every_churned_account(history: dict) -> None:
    row = _row(run_backtest(today=TODAY, rules=["purchase_gap"]), "purchase_gap")
    # gap ratios: A 3.07, B 2.0, C 2.03, D 1.03: warned A, B, C; churned A, C
    assert (row.raised, row.raised_then_bad, row.bad, row.caught) == (3, 2, 2, 2)
    assert row.precision == pytest.approx(2 / 3)
    assert row.recall == 1.0


def test_the_horizon_must_have_passed(history: dict) -> None:
    row = _row(run_backtest(today=dt.date(2026, 11, 30), rules=["p_alive_low"]), "p_alive_low")
    assert (row.raised, row.replay_dates, row.precision) == (0, [], None)


def test_rules_no_later_event_confirms_are_not_replayed(history: dict) -> None:
    row = _row(run_backtest(today=TODAY, rules=["no_owner"]), "no_owner")
    assert (row.raised, row.replay_dates, row.note) == (0, [], "data quality")


def _invoice(account_id: int, due: dt.date, paid: list[tuple[dt.date, str]]) -> None:
    invoice = Invoice.objects.create(
        account_id=account_id, invoice_no=f"INV-{account_id}-{due}", amount=Decimal("100"),
        invoice_date=due - dt.timedelta(days=30), due_date=due,
    )  # fmt: skip
    for day, amount in paid:
        Payment.objects.create(
            account_id=account_id, invoice=invoice, payment_date=day, amount=Decimal(amount)
        )


def test_paid_late_means_not_fully_paid_30_days_after_due(history: dict[str, int]) -> None:
    _invoice(history["A"], dt.date(2026, 7, 1), [(dt.date(2026, 7, 31), "100")])  # 30 days
    _invoice(history["B"], dt.date(2026, 8, 1), [(dt.date(2026, 8, 5), "60"),
                                                 (dt.date(2026, 9, 15), "40")])  # fmt: skip
    _invoice(history["C"], dt.date(2026, 9, 1), [])
    _invoice(history["D"], dt.date(2026, 5, 1), [])  # fell due before the replay date
    outcomes = paid_late_outcomes(REPLAY, dt.date(2026, 12, 1), late_days=30)
    assert outcomes.population == {history["A"], history["B"], history["C"]}
    assert outcomes.bad == {history["B"], history["C"]}


def test_the_command_stores_the_figures_and_the_rules_page_shows_them(
    world: World, history: dict, english: None
) -> None:
    out = StringIO()
    call_command("backtest", "--today", TODAY.isoformat(), stderr=out, stdout=out)
    assert RuleBacktest.objects.count() == len(RULES)
    assert "p_alive_low" in out.getvalue()
    response = client_for(world.viewer).get(reverse("retention:rules"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-rule="p_alive_low"' in page
    assert "50%" in page
