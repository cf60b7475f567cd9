"""The team page's workload section (issue 14, "a team page for directors"): the team's
people, and per account owner (a KAM, or an executive or director who runs an account
themselves: 任用高管人员负责) their accounts, key accounts, revenue, cadence compliance and
plan coverage. A fixed number of queries, whatever the team's size: every figure is an
aggregate grouped by owner."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum

from openkam.accounts.models import Account, AccountTeamMember, AccountTeamRole, Tier
from openkam.interactions.selectors import with_contact_due
from openkam.ledger.models import AccountMonth
from openkam.plans.models import AccountPlan, PlanStatus
from openkam.team.models import Role, Team, TeamMembership

KEY_TIERS = (Tier.STRATEGIC, Tier.KEY)


@dataclass(frozen=True)
class OwnerLoad:
    """One owner's share of the team's accounts. `owner_id` None: accounts with no KAM."""

    owner_id: int | None
    name: str
    role: str
    accounts: int
    key_accounts: int
    revenue: Decimal
    share: float | None  # of the team's revenue in the year
    due: int  # accounts owed a contact (lost ones are owed none)
    overdue: int  # ... whose next contact is past due today
    key_planned: int  # key accounts with a plan covering today (not closed)
    sponsored: int  # key accounts with an executive sponsor on their account team
    seats: int  # support seats on their accounts' teams

    @property
    def cadence_rate(self) -> float | None:
        """Share of the accounts owed a contact that are not overdue."""
        return (self.due - self.overdue) / self.due if self.due else None

    @property
    def plan_coverage(self) -> float | None:
        return self.key_planned / self.key_accounts if self.key_accounts else None

    @property
    def run_by_executive(self) -> bool:
        return self.role == Role.EXECUTIVE


@dataclass(frozen=True)
class Workload:
    members: list[TeamMembership]
    rows: list[OwnerLoad]
    total: OwnerLoad


def _planned(today: dt.date) -> Exists:
    live = AccountPlan.objects.filter(
        account=OuterRef("pk"), period_start__lte=today, period_end__gte=today
    ).exclude(status=PlanStatus.CLOSED)
    return Exists(live)


def _sponsored() -> Exists:
    sponsors = AccountTeamMember.objects.filter(
        account=OuterRef("pk"), role=AccountTeamRole.SPONSOR
    )
    return Exists(sponsors)


def team_workload(team: Team, *, year: int, today: dt.date) -> Workload:
    """The team's members and its accounts' load per owner: four queries (memberships,
    cadence settings, the accounts grouped by owner with their seats, the year's revenue)."""
    members = list(
        TeamMembership.objects.filter(team=team)
        .select_related("user")
        .order_by("team_role", "user__display_name", "user__username")
    )
    key = Q(tier__in=KEY_TIERS)
    accounts = (
        with_contact_due(Account.objects.filter(team=team))
        .annotate(planned=_planned(today), sponsored=_sponsored())
        .values("owner_id", "owner__display_name", "owner__username", "owner__role")
        .annotate(
            # The join to the seats repeats an account once per seat: count accounts once.
            n=Count("pk", distinct=True),
            key_n=Count("pk", filter=key, distinct=True),
            due_n=Count("pk", filter=Q(contact_due_on__isnull=False), distinct=True),
            overdue_n=Count("pk", filter=Q(contact_due_on__lt=today), distinct=True),
            planned_n=Count("pk", filter=key & Q(planned=True), distinct=True),
            sponsored_n=Count("pk", filter=key & Q(sponsored=True), distinct=True),
            seats_n=Count("team_members", distinct=True),
        )
        .order_by()
    )
    revenue = dict(
        AccountMonth.objects.filter(
            account__team=team, month__gte=dt.date(year, 1, 1), month__lt=dt.date(year + 1, 1, 1)
        )
        .values("account__owner_id")
        .annotate(total=Sum("revenue"))
        .order_by()
        .values_list("account__owner_id", "total")
    )
    team_revenue = sum(revenue.values(), Decimal("0"))
    rows = [
        OwnerLoad(
            owner_id=row["owner_id"],
            name=row["owner__display_name"] or row["owner__username"] or "",
            role=row["owner__role"] or "",
            accounts=row["n"],
            key_accounts=row["key_n"],
            revenue=revenue.get(row["owner_id"]) or Decimal("0"),
            share=_share(revenue.get(row["owner_id"]), team_revenue),
            due=row["due_n"],
            overdue=row["overdue_n"],
            key_planned=row["planned_n"],
            sponsored=row["sponsored_n"],
            seats=row["seats_n"],
        )
        for row in accounts
    ]
    rows += _idle_kams(members, {row.owner_id for row in rows})
    rows.sort(key=lambda row: (row.owner_id is None, -row.revenue, row.name))
    return Workload(members=members, rows=rows, total=_total(rows, team_revenue))


def _share(part: Decimal | None, whole: Decimal) -> float | None:
    return float((part or Decimal("0")) / whole) if whole else None


def _idle_kams(members: list[TeamMembership], owners: set[int | None]) -> list[OwnerLoad]:
    """The team's KAMs who own none of its accounts: a workload of zero is worth seeing."""
    return [
        OwnerLoad(m.user_id, str(m.user), m.user.role, 0, 0, Decimal("0"), None, 0, 0, 0, 0, 0)
        for m in members
        if m.team_role == TeamMembership.TeamRole.KAM
        and m.user.role == Role.KAM
        and m.user_id not in owners
    ]


def _total(rows: list[OwnerLoad], team_revenue: Decimal) -> OwnerLoad:
    return OwnerLoad(
        owner_id=None,
        name="",
        role="",
        accounts=sum(r.accounts for r in rows),
        key_accounts=sum(r.key_accounts for r in rows),
        revenue=team_revenue,
        share=1.0 if team_revenue else None,
        due=sum(r.due for r in rows),
        overdue=sum(r.overdue for r in rows),
        key_planned=sum(r.key_planned for r in rows),
        sponsored=sum(r.sponsored for r in rows),
        seats=sum(r.seats for r in rows),
    )
