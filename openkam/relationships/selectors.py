"""Reads behind the relationship map: contacts with their last contact, the coverage matrix
of our functions x their functions, buying-stage coverage and the chart data."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from openkam.accounts.models import Account, RelationshipStage
from openkam.interactions.models import Interaction, Status
from openkam.interactions.selectors import with_contact_last_met
from openkam.relationships.labels import describe_missing
from openkam.relationships.models import BUYING_STAGES, Contact, InfluenceType, TheirFunction
from openkam.relationships.stages import (
    COUNTERPARTS,
    STAGES,
    Coverage,
    StageAssessment,
    assess_stage,
)
from openkam.team.models import Function

COVERAGE_DAYS = 365


def contacts_for_map(account: Account) -> QuerySet[Contact]:
    """The account's contacts, most influential first, with `last_met_on`/`contact_due_on`."""
    return with_contact_last_met(
        Contact.objects.filter(account=account).select_related("reports_to")
    ).order_by("-is_active", "-influence_level", "name")


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
        ),
    )


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


@dataclass
class StageCoverage:
    field: str
    label: str
    contacts: list[Contact]

    @property
    def supporters(self) -> list[Contact]:
        return [contact for contact in self.contacts if contact.support > 0]

    @property
    def opponents(self) -> list[Contact]:
        return [contact for contact in self.contacts if contact.support < 0]

    @property
    def status(self) -> str:
        """gap: nobody; risk: no supporter, or more opponents than supporters; covered."""
        if not self.contacts:
            return "gap"
        if not self.supporters or len(self.opponents) > len(self.supporters):
            return "risk"
        return "covered"


def buying_stage_coverage(contacts: list[Contact]) -> list[StageCoverage]:
    active = [contact for contact in contacts if contact.is_active]
    return [
        StageCoverage(
            field=name,
            label=str(label),
            contacts=sorted(
                (contact for contact in active if getattr(contact, name)),
                key=lambda contact: (-contact.influence_level, -contact.support, contact.name),
            ),
        )
        for name, label in BUYING_STAGES
    ]


def org_chart(account: Account, contacts: list[Contact]) -> dict[str, Any]:
    """An ECharts tree: the account at the root, each contact under the one they report to
    (contacts whose manager is unknown, or forms a loop, hang from the root)."""
    by_id = {contact.pk: contact for contact in contacts}
    children: dict[int | None, list[Contact]] = defaultdict(list)
    for contact in contacts:
        boss = contact.reports_to_id if contact.reports_to_id in by_id else None
        children[boss].append(contact)

    def node(contact: Contact, seen: frozenset[int]) -> dict[str, Any]:
        below = [c for c in children.get(contact.pk, []) if c.pk not in seen]
        return {
            "name": contact.name,
            "title": contact.title,
            "support": contact.support,
            "influence": contact.influence_level,
            "active": contact.is_active,
            "children": [node(c, seen | {c.pk}) for c in below],
        }

    roots = list(children.get(None, []))
    reached = _reachable(roots, children)
    roots += [contact for contact in contacts if contact.pk not in reached]
    return {
        "name": str(account),
        "title": "",
        "root": True,
        "children": [node(contact, frozenset({contact.pk})) for contact in roots],
    }


def _reachable(roots: list[Contact], children: dict[int | None, list[Contact]]) -> set[int]:
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        contact = stack.pop()
        if contact.pk in seen:
            continue
        seen.add(contact.pk)
        stack.extend(children.get(contact.pk, []))
    return seen


INFLUENCE_SECTORS = [code for code, _label in InfluenceType.choices] + [""]


def influencer_wheel(contacts: list[Contact]) -> dict[str, Any]:
    """Points for an ECharts polar chart: one sector per influence type (economic, user,
    technical buyer, coach), the most influential nearest the centre (radius 6 - influence),
    colour from support, size from participation. Contacts of a sector are spread across it."""
    active = [contact for contact in contacts if contact.is_active]
    sectors: dict[str, list[Contact]] = defaultdict(list)
    for contact in active:
        sectors[contact.influence_type or ""].append(contact)
    used = [code for code in INFLUENCE_SECTORS if sectors.get(code)]
    width = 360 / max(len(used), 1)
    nodes = []
    for index, code in enumerate(used):
        members = sorted(sectors[code], key=lambda c: (-c.influence_level, c.name))
        for position, contact in enumerate(members):
            nodes.append(
                {
                    "id": str(contact.pk),
                    "name": contact.name,
                    "title": contact.title,
                    "angle": round(width * index + width * (position + 0.5) / len(members), 1),
                    "radius": 6 - contact.influence_level,
                    "support": contact.support,
                    "influence": contact.influence_level,
                    "participation": contact.participation,
                    "type": code,
                }
            )
    return {
        "nodes": nodes,
        "sectors": [{"code": code, "start": round(width * i, 1)} for i, code in enumerate(used)],
        "width": round(width, 1),
    }


@dataclass
class RelationshipMap:
    account: Account
    today: dt.date
    contacts: list[Contact]
    stages: list[StageCoverage]
    matrix: CoverageMatrix
    assessment: StageAssessment
    org: dict[str, Any]
    wheel: dict[str, Any]

    @property
    def missing(self) -> list[str]:
        return [describe_missing(item) for item in self.assessment.missing]

    @property
    def stage_ladder(self) -> list[tuple[str, str, str]]:
        """(code, label, state) for each stage: reached, current, next, or ahead."""
        labels = dict(RelationshipStage.choices)
        ladder = []
        for rank, code in enumerate(STAGES):
            if code == self.assessment.stage:
                state = "current"
            elif rank < self.assessment.rank:
                state = "reached"
            elif code == self.assessment.next_stage:
                state = "next"
            else:
                state = "ahead"
            ladder.append((code, str(labels[code]), state))
        return ladder

    @property
    def stage_label(self) -> str:
        return str(dict(RelationshipStage.choices)[self.assessment.stage])

    @property
    def next_stage_label(self) -> str:
        stage = self.assessment.next_stage
        return str(dict(RelationshipStage.choices)[stage]) if stage else ""


def relationship_map(account: Account, *, today: dt.date) -> RelationshipMap:
    contacts = list(contacts_for_map(account))
    matrix = coverage_matrix(account, today=today)
    return RelationshipMap(
        account=account,
        today=today,
        contacts=contacts,
        stages=buying_stage_coverage(contacts),
        matrix=matrix,
        assessment=assess_stage(matrix.coverage),
        org=org_chart(account, contacts),
        wheel=influencer_wheel(contacts),
    )
