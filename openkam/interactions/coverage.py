"""Who of ours met whom of theirs: the coverage matrix of our functions x their functions,
from the interactions done in the last twelve months. The relationship map shows it, the
relationship stage is assessed from it, and an account plan reads it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from openkam.accounts.models import Account
from openkam.interactions.models import Interaction, Status
from openkam.relationships.models import (
    JointProject,
    JointProjectKind,
    JointProjectStatus,
    TheirFunction,
)
from openkam.relationships.stages import COUNTERPARTS, Coverage
from openkam.team.models import Function

COVERAGE_DAYS = 365


@dataclass
class MatrixCell:
    interactions: int = 0
    last_on: dt.date | None = None
    pairs: list[tuple[str, str, int]] = field(default_factory=list)  # (ours, theirs, count)
    counterpart: bool = False


@dataclass
class CoverageMatrix:
    since: dt.date
    our_functions: list[tuple[str, str]]  # (code, label) of rows
    their_functions: list[tuple[str, str]]  # (code, label) of columns
    cells: dict[tuple[str, str], MatrixCell]
    coverage: Coverage

    def rows(self) -> list[tuple[tuple[str, str], list[MatrixCell]]]:
        return [
            (
                ours,
                [
                    self.cells.get((ours[0], theirs[0]), MatrixCell())
                    for theirs in self.their_functions
                ],
            )
            for ours in self.our_functions
        ]

    @property
    def max_count(self) -> int:
        return max((cell.interactions for cell in self.cells.values()), default=0)


def coverage_matrix(account: Account, *, today: dt.date) -> CoverageMatrix:
    """Who of ours met whom of theirs in the interactions done in the last twelve months: one
    query, grouped by (our person, their person) in the database."""
    since = today - dt.timedelta(days=COVERAGE_DAYS)
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    pairs = (
        Interaction.objects.filter(account=account, status=Status.DONE, starts_at__gte=start)
        .filter(our_participants__isnull=False, their_participants__isnull=False)
        .values(
            "our_participants__id",
            "our_participants__display_name",
            "our_participants__username",
            "our_participants__function",
            "their_participants__id",
            "their_participants__name",
            "their_participants__function",
        )
        .annotate(count=Count("id", distinct=True), last=Max("starts_at"))
        .order_by()
    )
    cells: dict[tuple[str, str], MatrixCell] = defaultdict(MatrixCell)
    interactions_by_cell: dict[tuple[str, str], int] = defaultdict(int)
    ours_seen: set[int] = set()
    theirs_seen: set[int] = set()
    for row in pairs:
        key = (row["our_participants__function"], row["their_participants__function"] or "")
        cell = cells[key]
        cell.pairs.append(
            (
                row["our_participants__display_name"] or row["our_participants__username"],
                row["their_participants__name"],
                row["count"],
            )
        )
        last = timezone.localdate(row["last"])
        cell.last_on = max(cell.last_on, last) if cell.last_on else last
        ours_seen.add(row["our_participants__id"])
        theirs_seen.add(row["their_participants__id"])
    for key, count in _interactions_per_cell(account, start).items():
        interactions_by_cell[key] = count
    for key, cell in cells.items():
        cell.interactions = interactions_by_cell.get(key, 0)
        cell.counterpart = key[1] in COUNTERPARTS.get(key[0], frozenset())
        cell.pairs.sort(key=lambda pair: -pair[2])
    their_choices = [*TheirFunction.choices, ("", "—")]
    return CoverageMatrix(
        since=since,
        our_functions=[(code, str(label)) for code, label in Function.choices],
        their_functions=[
            (code, str(label))
            for code, label in their_choices
            if code or any(key[1] == "" for key in cells)
        ],
        cells=dict(cells),
        coverage=Coverage(
            matrix={key: cell.interactions for key, cell in cells.items()},
            their_people=len(theirs_seen),
            our_people=len(ours_seen),
            **recorded_joint_work(account, since=since, today=today),
        ),
    )


def recorded_joint_work(account: Account, *, since: dt.date, today: dt.date) -> dict[str, Any]:
    """The joint project fields with a team at work in the window, and the joint board
    meetings held in it, in one query: what the Synergistic stage asks for."""
    rows = (
        JointProject.objects.filter(account=account, starts_on__lte=today)
        .exclude(status=JointProjectStatus.CANCELLED)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=since))
        .values("kind")
        .annotate(held=Count("id", filter=Q(starts_on__gte=since)))
        .order_by()
    )
    kinds = {row["kind"]: row["held"] for row in rows}
    return {
        "joint_projects": frozenset(kinds) - {JointProjectKind.BOARD_MEETING},
        "board_meetings": kinds.get(JointProjectKind.BOARD_MEETING, 0),
    }


def _interactions_per_cell(account: Account, start: dt.datetime) -> dict[tuple[str, str], int]:
    """Distinct interactions per (our function, their function): two people of the same
    function in one meeting count it once."""
    rows = (
        Interaction.objects.filter(account=account, status=Status.DONE, starts_at__gte=start)
        .filter(our_participants__isnull=False, their_participants__isnull=False)
        .values("our_participants__function", "their_participants__function")
        .annotate(count=Count("id", distinct=True))
        .order_by()
    )
    return {
        (row["our_participants__function"], row["their_participants__function"] or ""): row["count"]
        for row in rows
    }
