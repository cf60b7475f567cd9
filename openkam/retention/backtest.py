"""Does the warning work? Each alert rule replayed on the history, through the rule's own
`evaluate` (alerts/rules/<rule>.py) on a context as of a past date, then checked against what
happened next.

- Replay dates: the dates of the finished refreshes between 12 and 6 months before today
  (their snapshots are what the rules read; the ledger rules read the ledger up to the date).
  A date whose horizon has not passed yet is skipped.
- Replay as first raised: the context's `current()` is empty, so a rule with hysteresis is
  judged on its raising condition, and the tiers are the rule's settings (the company's).
- Outcome of a churn rule: of the accounts that bought in the twelve months up to the date
  (the population), those that bought nothing in the `horizon` months after it churned.
  Outcome of a payment rule (payment behaviour, credit exposure): of the accounts with an
  invoice falling due in the horizon (the population), those that left one not fully paid
  `late_days` after its due date paid late.
- Per rule, over every (date, account) of the population in the rule's tiers: `raised` the
  alerts it would have raised, `raised_then_bad` those followed by the outcome (precision =
  raised_then_bad / raised), `bad` the accounts with the outcome, `caught` those the rule
  had raised (recall = caught / bad). An alert outside the population (an account that had
  already stopped buying, or had nothing falling due) is not counted: it can be neither right
  nor wrong.
- Rules that watch something no later event confirms (data quality, concentration) and the
  visit rule (it reads the contacts as they are today) are not replayed: their row says so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_noop

from openkam.alerts.models import RuleSetting
from openkam.alerts.rules import RULES
from openkam.alerts.rules.base import Context, Rule
from openkam.common.months import add_months
from openkam.interactions.selectors import AddDays
from openkam.ledger.models import AccountPurchaseDay, Invoice, Payment
from openkam.portfolio.models import PortfolioRun
from openkam.retention.models import RuleBacktest

CHURN = "churn"
PAID_LATE = "paid_late"
PAYMENT_RULES = frozenset({"payment_worsening", "credit_exposure"})
# Why a rule is not replayed: stored as written here, translated where it is shown.
NOT_REPLAYED = {
    "visit_overdue": gettext_noop("reads the contacts as they are today"),
    "concentration": gettext_noop("a share of revenue, not a prediction"),
    "missing_cost": gettext_noop("data quality"),
    "no_owner": gettext_noop("data quality"),
    # The contracts and service cases are read as they stand today, not as they stood then.
    "contract_renewal_due": gettext_noop("reads the contracts as they are today"),
    "contract_shortfall": gettext_noop("reads the contracts as they are today"),
    "service_sla_breach": gettext_noop("reads the service cases as they are today"),
}
Progress = Callable[[str], None]


class ReplayContext(Context):
    """The rules' context on a past date, with no alert raised yet (no hysteresis)."""

    def current(self, rule: str) -> dict[int, dict[str, Any]]:
        return {}


@dataclass(frozen=True)
class Outcomes:
    """Who could be judged on one date, and who turned out badly."""

    population: frozenset[int]
    bad: frozenset[int]


def _buyers(start: dt.date, end: dt.date) -> set[int]:
    """Accounts with a purchase day in (start, end]."""
    days = AccountPurchaseDay.objects.filter(day__gt=start, day__lte=end)
    return set(days.order_by().values_list("account_id", flat=True).distinct())


def churn_outcomes(day: dt.date, end: dt.date) -> Outcomes:
    before = _buyers(day - dt.timedelta(days=365), day)
    after = _buyers(day, end)
    return Outcomes(frozenset(before), frozenset(before - after))


def paid_late_outcomes(day: dt.date, end: dt.date, *, late_days: int) -> Outcomes:
    paid = (
        Payment.objects.filter(invoice=OuterRef("pk"))
        .filter(payment_date__lte=AddDays(OuterRef("due_date"), Value(late_days)))
        .order_by()
        .values("invoice")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    money = DecimalField(max_digits=18, decimal_places=2)
    rows = (
        Invoice.objects.filter(due_date__gt=day, due_date__lte=end, amount__gt=0)
        .annotate(paid=Coalesce(Subquery(paid, output_field=money), Value(0, money)))
        .values_list("account_id", F("amount") - F("paid"))
    )
    population: set[int] = set()
    bad: set[int] = set()
    for account_id, unpaid in rows.iterator(chunk_size=5000):
        population.add(account_id)
        if unpaid > 0:
            bad.add(account_id)
    return Outcomes(frozenset(population), frozenset(bad))


def replay_dates(today: dt.date) -> list[dt.date]:
    """The dates of the finished refreshes between 12 and 6 months ago (oldest first)."""
    start, end = add_months(today, -12), add_months(today, -6)
    done = PortfolioRun.objects.filter(
        status=PortfolioRun.Status.DONE, as_of__gte=start, as_of__lte=end
    )
    return sorted(set(done.values_list("as_of", flat=True)))


def _settings(rule: Rule, stored: dict[str, RuleSetting]) -> Any:
    row = stored.get(rule.key)
    return rule.settings(row.settings if row else {})


@dataclass
class Tally:
    accounts: int = 0
    raised: int = 0
    raised_then_bad: int = 0
    bad: int = 0
    caught: int = 0
    dates: list[str] = field(default_factory=list)

    def add(self, flagged: set[int], outcomes: Outcomes, in_tiers: set[int]) -> None:
        population = outcomes.population & in_tiers
        bad = outcomes.bad & in_tiers
        raised = flagged & population
        self.accounts += len(population)
        self.raised += len(raised)
        self.raised_then_bad += len(raised & bad)
        self.bad += len(bad)
        self.caught += len(bad & flagged)


def _flagged(rule: Rule, settings: Any, context: Context) -> set[int]:
    return {finding.account_id for finding in rule.evaluate(context, settings)}


def run_backtest(
    *,
    today: dt.date | None = None,
    horizon_months: int = 6,
    late_days: int = 30,
    dates: Iterable[dt.date] | None = None,
    rules: Iterable[str] | None = None,
    progress: Progress | None = None,
) -> list[RuleBacktest]:
    """Replay each rule (all, or those named) on each date and store one row per rule."""
    day = today or timezone.localdate()
    chosen = [d for d in (dates or replay_dates(day)) if add_months(d, horizon_months) <= day]
    keys = list(rules) if rules is not None else list(RULES)
    say = progress or (lambda _step: None)
    stored = {row.rule: row for row in RuleSetting.objects.all()}
    tallies = {key: Tally(dates=[d.isoformat() for d in chosen]) for key in keys}
    for when in chosen:
        end = add_months(when, horizon_months)
        context = ReplayContext(as_of=when)
        outcomes = {CHURN: churn_outcomes(when, end)}
        if PAYMENT_RULES & set(keys):
            outcomes[PAID_LATE] = paid_late_outcomes(when, end, late_days=late_days)
        for key in keys:
            say(f"{when} {key}")
            if key in NOT_REPLAYED:
                continue
            rule = RULES[key]
            settings = _settings(rule, stored)
            tiers = set(settings.tiers)
            in_tiers = {pk for pk, (tier, _owner) in context.accounts.items() if tier in tiers}
            watched = outcomes[PAID_LATE if key in PAYMENT_RULES else CHURN]
            tallies[key].add(_flagged(rule, settings, context), watched, in_tiers)
    return [_store(key, tallies[key], stored, horizon_months, chosen) for key in keys]


def _store(
    key: str,
    tally: Tally,
    stored: dict[str, RuleSetting],
    horizon: int,
    chosen: list[dt.date],
) -> RuleBacktest:
    rule = RULES[key]
    no_refresh = gettext_noop("no refresh between 12 and 6 months ago")
    note = NOT_REPLAYED.get(key, "" if chosen else no_refresh)
    settings = _settings(rule, stored)
    return RuleBacktest.objects.create(
        rule=key,
        replay_dates=tally.dates if key not in NOT_REPLAYED else [],
        horizon_months=horizon,
        outcome=PAID_LATE if key in PAYMENT_RULES else CHURN,
        settings=dataclasses.asdict(settings),
        accounts=tally.accounts,
        raised=tally.raised,
        raised_then_bad=tally.raised_then_bad,
        bad=tally.bad,
        caught=tally.caught,
        note=note,
    )


def latest_backtests() -> dict[str, RuleBacktest]:
    """The newest stored backtest of each rule."""
    found: dict[str, RuleBacktest] = {}
    for row in RuleBacktest.objects.order_by("rule", "-computed_at", "-pk"):
        found.setdefault(row.rule, row)
    return found
