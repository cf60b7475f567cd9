"""assess_stage: the KAM relationship stage read from the coverage matrix (pure)."""

from __future__ import annotations

from openkam.relationships.stages import Coverage, assess_stage

BOW_TIE = {("sales", "purchasing"): 5}
WIDER = {("sales", "purchasing"): 6, ("sales", "engineering"): 2, ("sales", "management"): 1}
DIAMOND = {**WIDER, ("rnd", "engineering"): 3, ("quality", "quality"): 2}
SYNERGY = {
    ("sales", "purchasing"): 8,
    ("management", "management"): 4,
    ("rnd", "engineering"): 5,
    ("quality", "she"): 4,
    ("service", "operations"): 4,
    ("finance", "finance"): 4,
}


def codes(coverage: Coverage) -> list[str]:
    return [missing.code for missing in assess_stage(coverage).missing]


def test_no_interaction_is_pre_kam_and_a_first_one_is_missing() -> None:
    assessment = assess_stage(Coverage(matrix={}))
    assert (assessment.stage, assessment.next_stage) == ("pre", "early")
    assert codes(Coverage(matrix={})) == ["first_interaction"]


def test_one_seller_with_one_buyer_is_the_early_bow_tie() -> None:
    coverage = Coverage(matrix=BOW_TIE, their_people=1, our_people=1)
    assessment = assess_stage(coverage)
    assert assessment.stage == "early"
    assert [(m.code, m.needed, m.have) for m in assessment.missing] == [
        ("their_people", 3, 1),
        ("their_functions", 2, 1),
    ]


def test_three_people_in_two_functions_is_mid_kam() -> None:
    coverage = Coverage(matrix=WIDER, their_people=3, our_people=1)
    assert assess_stage(coverage).stage == "mid"
    assert codes(coverage) == ["counterpart_pairs", "our_functions"]


def test_three_counterpart_pairs_with_sales_and_purchasing_is_the_diamond() -> None:
    coverage = Coverage(matrix=DIAMOND, their_people=5, our_people=3)
    assessment = assess_stage(coverage)
    assert assessment.stage == "partnership"
    assert codes(coverage) == ["regular_pairs", "board_meetings", "joint_projects"]


def test_counterparts_met_once_a_year_are_not_yet_a_partnership() -> None:
    once = {**WIDER, ("rnd", "engineering"): 1, ("quality", "quality"): 1}
    coverage = Coverage(matrix=once, their_people=5, our_people=3)
    assert assess_stage(coverage).stage == "mid"


def test_a_partnership_needs_sales_to_meet_purchasing_twice() -> None:
    matrix = {**DIAMOND, ("sales", "purchasing"): 1, ("finance", "finance"): 3}
    coverage = Coverage(matrix=matrix, their_people=5, our_people=4)
    assert assess_stage(coverage).stage == "mid"
    assert "sales_purchasing" in codes(coverage)


def synergy(**recorded: object) -> Coverage:
    """Quarterly counterparts, with joint projects and board meetings as recorded."""
    values: dict[str, object] = {
        "joint_projects": frozenset({"new_products", "operations"}),
        "board_meetings": 2,
        **recorded,
    }
    return Coverage(matrix=SYNERGY, their_people=8, our_people=6, **values)  # type: ignore[arg-type]


def test_quarterly_pairs_recorded_board_meetings_and_joint_teams_are_synergistic() -> None:
    assessment = assess_stage(synergy())
    assert (assessment.stage, assessment.next_stage, assessment.missing) == (
        "synergistic",
        None,
        (),
    )


def test_meetings_of_top_management_are_no_board_meetings_until_recorded() -> None:
    # Top management met quarterly (in SYNERGY), but no joint board meeting is recorded.
    coverage = synergy(board_meetings=1)
    assert assess_stage(coverage).stage == "partnership"
    board = next(m for m in assess_stage(coverage).missing if m.code == "board_meetings")
    assert (board.needed, board.have) == (2, 1)


def test_counterparts_meeting_often_are_no_joint_project_until_recorded() -> None:
    coverage = synergy(joint_projects=frozenset({"new_products"}))
    assert assess_stage(coverage).stage == "partnership"
    joint = next(m for m in assess_stage(coverage).missing if m.code == "joint_projects")
    assert (joint.needed, joint.have) == (2, 1)
    assert joint.items == ("operations", "logistics", "she", "market_research")


def test_a_board_meeting_kind_is_not_a_joint_project_field() -> None:
    coverage = synergy(joint_projects=frozenset({"board_meeting", "logistics"}))
    assert "joint_projects" in codes(coverage)
