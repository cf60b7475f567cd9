"""The KAM relationship stage (KAM 发展阶段, DOMAIN §4) assessed from the coverage matrix.

Pure: counts in, an assessment out; no Django, no database. The matrix holds, for each pair
(one of our functions, one of their functions), the interactions of the last twelve months in
which people of both took part.

The stages, and the rule that reads each one from the matrix:

- Pre-KAM: no interaction at all in the last twelve months.
- Early KAM ("bow tie"): we talk, but one seller to one buyer: at least one interaction.
- Mid KAM: more contacts. At least 3 of their people met, in at least 2 of their functions.
- Partnership KAM ("diamond"): functions talk to their counterparts. Besides Mid, at least 3
  counterpart pairs active (met at least twice in the year: our sales with their purchasing,
  our R&D with their engineering, ...), one of them sales with purchasing, and at least 2 of
  our functions involved in total.
- Synergistic KAM: joint teams and joint board meetings. Besides Partnership, at least 5
  counterpart pairs met at least quarterly (4 times in the year); at least 2 joint board
  meetings recorded in the year; and recorded joint project teams (active in the year) in at
  least 2 of the fields operations, logistics, new products, safety-health-environment and
  market research. Joint projects and board meetings are recorded as such (JointProject), not
  guessed from how often people met.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

STAGES = ("pre", "early", "mid", "partnership", "synergistic")

# Our function -> the functions of theirs that are its natural counterparts.
COUNTERPARTS: dict[str, frozenset[str]] = {
    "management": frozenset({"management"}),
    "sales": frozenset({"purchasing"}),
    "rnd": frozenset({"engineering"}),
    "operations": frozenset({"operations", "she"}),
    "logistics": frozenset({"logistics"}),
    "quality": frozenset({"quality", "she"}),
    "finance": frozenset({"finance"}),
    "service": frozenset({"projects", "operations"}),
    "marketing": frozenset({"marketing"}),
}
# The fields of joint project teams in a synergistic relationship (JointProjectKind values).
JOINT_PROJECT_FIELDS = ("operations", "logistics", "new_products", "she", "market_research")

MID_CONTACTS = 3
MID_THEIR_FUNCTIONS = 2
PARTNERSHIP_PAIRS = 3
PARTNERSHIP_PAIR_MEETINGS = 2
PARTNERSHIP_OUR_FUNCTIONS = 2
SYNERGISTIC_PAIRS = 5
SYNERGISTIC_PAIR_MEETINGS = 4
SYNERGISTIC_JOINT_FIELDS = 2
SYNERGISTIC_BOARD_MEETINGS = 2

Pair = tuple[str, str]


@dataclass(frozen=True)
class Coverage:
    """What the last twelve months of interactions show: (ours, theirs) -> interactions."""

    matrix: Mapping[Pair, int]
    their_people: int = 0  # distinct contacts of theirs met
    our_people: int = 0  # distinct people of ours who met them
    joint_projects: frozenset[str] = frozenset()  # fields with a joint project team this year
    board_meetings: int = 0  # joint board meetings held this year

    @property
    def interactions(self) -> int:
        return sum(self.matrix.values())

    def their_functions(self) -> set[str]:
        return {theirs for (_ours, theirs), count in self.matrix.items() if count > 0}

    def our_functions(self) -> set[str]:
        return {ours for (ours, _theirs), count in self.matrix.items() if count > 0}

    def counterpart_pairs(self, *, at_least: int) -> set[Pair]:
        return {
            (ours, theirs)
            for (ours, theirs), count in self.matrix.items()
            if count >= at_least and theirs in COUNTERPARTS.get(ours, frozenset())
        }


@dataclass(frozen=True)
class Missing:
    """One thing the account lacks for the next stage: a code, what is needed, what there is."""

    code: str
    needed: int = 0
    have: int = 0
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class StageAssessment:
    stage: str
    next_stage: str | None
    missing: tuple[Missing, ...] = field(default_factory=tuple)

    @property
    def rank(self) -> int:
        return STAGES.index(self.stage)


def _missing_for_early(coverage: Coverage) -> list[Missing]:
    return [] if coverage.interactions > 0 else [Missing("first_interaction", 1, 0)]


def _missing_for_mid(coverage: Coverage) -> list[Missing]:
    missing = []
    if coverage.their_people < MID_CONTACTS:
        missing.append(Missing("their_people", MID_CONTACTS, coverage.their_people))
    functions = len(coverage.their_functions())
    if functions < MID_THEIR_FUNCTIONS:
        missing.append(Missing("their_functions", MID_THEIR_FUNCTIONS, functions))
    return missing


def _missing_for_partnership(coverage: Coverage) -> list[Missing]:
    pairs = coverage.counterpart_pairs(at_least=PARTNERSHIP_PAIR_MEETINGS)
    missing = []
    if len(pairs) < PARTNERSHIP_PAIRS:
        missing.append(Missing("counterpart_pairs", PARTNERSHIP_PAIRS, len(pairs)))
    if ("sales", "purchasing") not in pairs:
        missing.append(Missing("sales_purchasing", PARTNERSHIP_PAIR_MEETINGS))
    ours = len(coverage.our_functions())
    if ours < PARTNERSHIP_OUR_FUNCTIONS:
        missing.append(Missing("our_functions", PARTNERSHIP_OUR_FUNCTIONS, ours))
    return missing


def _missing_for_synergistic(coverage: Coverage) -> list[Missing]:
    pairs = coverage.counterpart_pairs(at_least=SYNERGISTIC_PAIR_MEETINGS)
    missing = []
    if len(pairs) < SYNERGISTIC_PAIRS:
        missing.append(Missing("regular_pairs", SYNERGISTIC_PAIRS, len(pairs)))
    if coverage.board_meetings < SYNERGISTIC_BOARD_MEETINGS:
        missing.append(
            Missing("board_meetings", SYNERGISTIC_BOARD_MEETINGS, coverage.board_meetings)
        )
    fields = [name for name in JOINT_PROJECT_FIELDS if name in coverage.joint_projects]
    if len(fields) < SYNERGISTIC_JOINT_FIELDS:
        absent = tuple(name for name in JOINT_PROJECT_FIELDS if name not in fields)
        missing.append(Missing("joint_projects", SYNERGISTIC_JOINT_FIELDS, len(fields), absent))
    return missing


REQUIREMENTS = (
    ("early", _missing_for_early),
    ("mid", _missing_for_mid),
    ("partnership", _missing_for_partnership),
    ("synergistic", _missing_for_synergistic),
)


def assess_stage(coverage: Coverage) -> StageAssessment:
    """The highest stage whose requirements, and those of every stage below, are met; and
    what is missing for the next one."""
    stage = "pre"
    for candidate, missing_for in REQUIREMENTS:
        missing = missing_for(coverage)
        if missing:
            return StageAssessment(stage=stage, next_stage=candidate, missing=tuple(missing))
        stage = candidate
    return StageAssessment(stage=stage, next_stage=None)
