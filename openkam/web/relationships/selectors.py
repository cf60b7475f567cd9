"""The relationship map of an account: its contacts with when we last met them, the coverage
matrix, buying-stage coverage, the org chart and the influencer wheel. It reads the contacts
(relationships) and the interactions together, so it sits in the top layer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from openkam.accounts.models import Account, RelationshipStage
from openkam.interactions.coverage import CoverageMatrix, coverage_matrix
from openkam.interactions.selectors import with_contact_last_met
from openkam.relationships.labels import describe_missing
from openkam.relationships.models import Contact
from openkam.relationships.selectors import (
    StageCoverage,
    buying_stage_coverage,
    influencer_wheel,
    org_chart,
)
from openkam.relationships.stages import STAGES, StageAssessment, assess_stage


def contacts_for_map(account: Account) -> QuerySet[Contact]:
    """The account's contacts, most influential first, with `last_met_on`/`contact_due_on`."""
    return with_contact_last_met(
        Contact.objects.filter(account=account).select_related("reports_to")
    ).order_by("-is_active", "-influence_level", "name")


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
