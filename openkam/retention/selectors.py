"""Reads of the retention app. Every list starts from accounts_visible_to (the team rule is
never re-derived); one case or action is fetched through case_for / action_for (NotFound when
the user does not see its account)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncQuarter
from django.utils.translation import gettext as _

from openkam.accounts.models import Account, LifecycleStage, Tier
from openkam.accounts.selectors import accounts_visible_to, writable_account_for
from openkam.alerts.models import Alert
from openkam.common.errors import NotFound
from openkam.common.months import add_months
from openkam.ledger.models import AccountMonth
from openkam.retention.models import (
    OPEN_CASE,
    ActionStatus,
    Cause,
    LifecycleChange,
    Outcome,
    WinBackAction,
    WinBackCase,
)
from openkam.team.models import User


def cases_visible_to(user: User) -> QuerySet[WinBackCase]:
    cases = WinBackCase.objects.select_related("account", "account__team", "owner", "alert")
    if user.is_authenticated and user.is_active and user.sees_all_accounts:
        return cases
    return cases.filter(account__in=accounts_visible_to(user).values("pk"))


def case_for(user: User, pk: int, *, write: bool = False) -> WinBackCase:
    """The case `pk` as the user may read it (NotFound otherwise); `write`: also
    PermissionDenied for a role that reads only."""
    try:
        case = cases_visible_to(user).get(pk=pk)
    except WinBackCase.DoesNotExist as exc:
        raise NotFound(_("No win-back case with this ID.")) from exc
    if write:
        writable_account_for(user, case.account_id)
    return case


def action_for(user: User, pk: int) -> WinBackAction:
    found = (
        WinBackAction.objects.select_related("case", "case__account", "owner")
        .filter(pk=pk, case__account__in=accounts_visible_to(user).values("pk"))
        .first()
    )
    if found is None:
        raise NotFound(_("No win-back action with this ID."))
    return found


def churn_alert_for(user: User, pk: int) -> Alert:
    """A visible alert a case may be opened from (NotFound for an invisible one)."""
    found = (
        Alert.objects.select_related("account")
        .filter(pk=pk, account__in=accounts_visible_to(user).values("pk"))
        .first()
    )
    if found is None:
        raise NotFound(_("No alert with this ID."))
    return found


def open_case_of(alert: Alert) -> WinBackCase | None:
    return WinBackCase.objects.filter(OPEN_CASE, account_id=alert.account_id).first()


def open_actions_for(user: User) -> QuerySet[WinBackAction]:
    """The user's open win-back actions on open cases of accounts they still see."""
    return (
        WinBackAction.objects.filter(owner=user, status=ActionStatus.OPEN, case__outcome="")
        .filter(case__account__in=accounts_visible_to(user).values("pk"))
        .select_related("case", "case__account")
        .order_by("due_on", "pk")
    )


# --- History -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    when: dt.datetime
    who: User | None
    kind: str  # "+", "~" or "-"
    what: str
    label: str


def case_history(case: WinBackCase, *, limit: int = 40) -> list[HistoryEntry]:
    """Who changed the case and its actions, and when, newest first (two queries)."""
    sources: list[tuple[Any, str, str]] = [
        (WinBackCase.history.filter(id=case.pk), str(WinBackCase._meta.verbose_name), "cause"),
        (WinBackAction.history.filter(case_id=case.pk), _("action"), "title"),
    ]
    entries = []
    for records, what, label in sources:
        for record in records.select_related("history_user").order_by("-history_date")[:limit]:
            text = (
                record.get_outcome_display() or record.get_cause_display()
                if label == "cause"
                else f"{record.title} ({record.get_status_display()})"
            )
            entries.append(
                HistoryEntry(record.history_date, record.history_user, record.history_type,
                             what, text)
            )  # fmt: skip
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries[:limit]


# --- Lost-account analysis -----------------------------------------------------------------


@dataclass(frozen=True)
class LostAnalysis:
    quarters: list[str]
    causes: list[tuple[str, str]]  # (code, label)
    counts: dict[str, list[int]]  # cause -> count per quarter
    revenue: dict[str, list[float]]  # cause -> revenue lost per quarter
    by_cause: list[tuple[str, int, Decimal]]  # (label, count, revenue), largest revenue first
    total_count: int
    total_revenue: Decimal

    @property
    def by_quarter(self) -> list[tuple[str, int, float]]:
        return [
            (
                quarter,
                sum(self.counts[code][i] for code, _label in self.causes),
                sum(self.revenue[code][i] for code, _label in self.causes),
            )
            for i, quarter in enumerate(self.quarters)
        ]

    @property
    def chart(self) -> dict[str, Any]:
        """What the chart draws: a stacked bar of revenue per cause for each quarter, with the
        counts for the tooltip (causes that lost nothing are left out)."""
        return {
            "quarters": self.quarters,
            "series": [
                {"name": label, "revenue": self.revenue[code], "count": self.counts[code]}
                for code, label in self.causes
                if sum(self.counts[code])
            ],
        }


def _quarter(day: dt.date | dt.datetime) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def lost_analysis(cases: QuerySet[WinBackCase]) -> LostAnalysis:
    """Cases closed as lost, counted and their revenue at stake summed by cause and by the
    quarter of the outcome (one grouped query)."""
    rows = (
        cases.filter(outcome=Outcome.LOST)
        .order_by()
        .values("cause", quarter=TruncQuarter("outcome_on"))
        .annotate(n=Count("pk"), revenue=Sum("revenue_at_stake"))
    )
    grouped = [(r["cause"], _quarter(r["quarter"]), r["n"], r["revenue"] or 0) for r in rows]
    quarters = sorted({q for _c, q, _n, _r in grouped})
    causes = [(code, str(label)) for code, label in Cause.choices]
    counts = {code: [0] * len(quarters) for code, _label in causes}
    revenue = {code: [0.0] * len(quarters) for code, _label in causes}
    for cause, quarter, n, money in grouped:
        counts[cause][quarters.index(quarter)] += n
        revenue[cause][quarters.index(quarter)] += float(money)
    by_cause = [
        (label, sum(counts[code]), Decimal(str(round(sum(revenue[code]), 2))))
        for code, label in causes
        if sum(counts[code])
    ]
    by_cause.sort(key=lambda row: row[2], reverse=True)
    return LostAnalysis(
        quarters=quarters,
        causes=causes,
        counts=counts,
        revenue=revenue,
        by_cause=by_cause,
        total_count=sum(row[1] for row in by_cause),
        total_revenue=sum((row[2] for row in by_cause), Decimal("0")),
    )


# --- Retention and the lifecycle funnel ----------------------------------------------------


@dataclass(frozen=True)
class RateRow:
    label: str
    base: int  # accounts buying a year ago
    kept: int  # of those, still buying
    lost: int  # of those, now in the lost stage

    @property
    def retention(self) -> float | None:
        return self.kept / self.base if self.base else None

    @property
    def lost_rate(self) -> float | None:
        return self.lost / self.base if self.base else None


def _bought(start: dt.date, end: dt.date) -> Exists:
    return Exists(
        AccountMonth.objects.filter(
            account=OuterRef("pk"), month__gte=start, month__lt=end, revenue__gt=0
        )
    )


def retention_rates(
    accounts: QuerySet[Account], *, as_of: dt.date
) -> tuple[RateRow, list[RateRow], list[RateRow]]:
    """Retention (of the accounts that bought in the twelve months before a year ago, the
    share that bought in the last twelve months) and the lost-account rate (the share of them
    now in the lost stage): in total, by tier and by team (three grouped queries)."""
    end = add_months(as_of.replace(day=1), 1)
    year_ago = add_months(end, -12)
    base: QuerySet[Any] = (
        accounts.order_by()
        .annotate(before=_bought(add_months(end, -24), year_ago), now=_bought(year_ago, end))
        .filter(before=True)
    )
    figures = {
        "n": Count("pk"),
        "kept": Count("pk", filter=Q(now=True)),
        "lost": Count("pk", filter=Q(lifecycle_stage=LifecycleStage.LOST)),
    }
    total = base.aggregate(**figures)
    tier_rows: list[dict[str, Any]] = list(base.values("tier").annotate(**figures))
    tiers = {row["tier"]: row for row in tier_rows}
    by_tier = [
        RateRow(str(label), tiers[code]["n"], tiers[code]["kept"], tiers[code]["lost"])
        for code, label in Tier.choices
        if code in tiers
    ]
    teams: list[dict[str, Any]] = list(
        base.values("team__name").annotate(**figures).order_by("team__name")
    )
    by_team = [
        RateRow(row["team__name"] or _("No team"), row["n"], row["kept"], row["lost"])
        for row in teams
    ]
    return RateRow(_("All accounts"), total["n"], total["kept"], total["lost"]), by_tier, by_team


def _stage_on(day: dt.date) -> Coalesce:
    """An account's stage at the end of `day`: the stage its first later change left, or its
    stage now when it has not changed since."""
    first_after = (
        LifecycleChange.objects.filter(account=OuterRef("pk"), day__gt=day)
        .order_by("day", "pk")
        .values("from_stage")[:1]
    )
    return Coalesce(Subquery(first_after), F("lifecycle_stage"))


@dataclass(frozen=True)
class Funnel:
    stages: list[tuple[str, str]]
    start: dict[str, int]
    end: dict[str, int]
    moves: list[tuple[str, str, int]]  # (from label, to label, accounts), most first

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "code": code,
                "label": label,
                "start": self.start[code],
                "end": self.end[code],
                "change": self.end[code] - self.start[code],
            }
            for code, label in self.stages
        ]


def funnel_movement(accounts: QuerySet[Account], *, start: dt.date, end: dt.date) -> Funnel:
    """Accounts per lifecycle stage on two dates and the moves between them (one query)."""
    rows = (
        accounts.order_by()
        .annotate(stage_a=_stage_on(start), stage_b=_stage_on(end))
        .values("stage_a", "stage_b")
        .annotate(n=Count("pk"))
    )
    labels = dict(LifecycleStage.choices)
    at_start: Counter[str] = Counter()
    at_end: Counter[str] = Counter()
    moves = []
    for row in rows:
        at_start[row["stage_a"]] += row["n"]
        at_end[row["stage_b"]] += row["n"]
        if row["stage_a"] != row["stage_b"]:
            moves.append((str(labels[row["stage_a"]]), str(labels[row["stage_b"]]), row["n"]))
    moves.sort(key=lambda move: -move[2])
    stages = [(code, str(label)) for code, label in LifecycleStage.choices]
    return Funnel(
        stages=stages,
        start={code: at_start[code] for code, _label in stages},
        end={code: at_end[code] for code, _label in stages},
        moves=moves,
    )


def lifecycle_changes_of(account: Account, *, limit: int = 30) -> QuerySet[LifecycleChange]:
    return account.lifecycle_changes.select_related("user").order_by("-day", "-pk")[:limit]
