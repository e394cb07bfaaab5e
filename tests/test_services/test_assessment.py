"""The dossier assessment, element by element, on facts built by hand (no database, no app)."""

from __future__ import annotations

import datetime as dt

import pytest

from models.enums import INVOLVEMENT_ROLES
from models.partial_date import PartialDate
from services.assessment.elements import KNOWING_ROLES
from services.assessment.types import FactsDecision, FactsInvolvement
from tests.test_services.assessment_builder import (
    ASPECTS,
    PUBLIC,
    TROIKA_TEXT,
    Facts,
    assess,
    complete,
    statuses,
)

# --- the whole ------------------------------------------------------------------------------


def test_a_complete_dossier_meets_every_element_and_lists_no_gap():
    f, involvement = complete()
    result = assess(f)
    assert statuses(result) == {"E1": "met", "E2": "met", "E3": "met", "E4": "inferred", "E5": "met", "E6": "inferred"}
    assert result.complete and result.gaps == () and not result.review
    assert [e.code for e in result.elements] == ["E1", "E2", "E3", "E4", "E5", "E6"]
    e1 = result.element("E1")
    assert [f.id for f in e1.of_kind("involvement")] == [involvement.id]
    assert [f.id for f in e1.of_kind("decision")] == [involvement.decision.id]
    assert e1.of_kind("involvement")[0].label == f"signed: {involvement.decision.title} (2022-02-21)"
    on_involvement = next(s for s in f.supports if s.target == ("involvement", involvement.id))
    assert [(x.exhibit_no, x.grade, x.target) for x in e1.exhibits] == [
        (on_involvement.exhibit.exhibit_no, "B2", ("involvement", involvement.id))
    ]
    assert result.element("E2").of_kind("tenure")[0].label == "Post leadership, Institution (2012-05-07 – present)"
    assert [a.id for a in result.element("E3").of_kind("act")] == [involvement.decision.acts[0].id]


def test_no_facts_at_all_is_all_gaps_scored_zero():
    result = assess(Facts())
    assert set(statuses(result).values()) == {"gap"}
    assert result.score == 0 and not result.complete
    linked = next(g for g in result.gaps if g.text == "No involvement in any decision linked to an aggression act")
    # one action, four elements: leadership is assessed over the State responsible for a linked act
    assert linked.target == ("official", 1) and linked.elements == ("E1", "E2", "E3", "E5")


def test_the_function_is_pure():
    f, _ = complete()
    built = f.build()
    assert assess(built) == assess(built)
    assert built == f.build()


# --- E1 conduct -----------------------------------------------------------------------------


@pytest.mark.parametrize("grade", ["A1", "B6", "C3"])
def test_conduct_met_with_a_to_c_evidence_on_the_involvement(grade):
    f, _ = complete(grade)
    assert assess(f).element("E1").status == "met"


@pytest.mark.parametrize("grade", ["D1", "E2", "F6"])
def test_conduct_partial_on_weaker_sources_with_the_grade_in_the_gap(grade):
    f, involvement = complete(grade)
    result = assess(f)
    assert result.element("E1").status == "partial"
    gap = next(g for g in result.gaps if g.target == ("involvement", involvement.id))
    assert gap.text.endswith(f"rests only on {grade[0]}-graded sources") and "E1" in gap.elements


def test_conduct_partial_without_evidence_on_the_involvement_even_with_evidence_on_the_decision():
    f = Facts()
    involvement = f.involvement()
    f.support(involvement.decision, grade="A1")  # evidence that the decision was taken, not of the role
    result = assess(f)
    assert result.element("E1").status == "partial"
    gap = next(g for g in result.gaps if g.target == ("involvement", involvement.id))
    assert gap.text == f"Involvement signed: {involvement.decision.title} (2022-02-21) has no supporting evidence"


def test_conduct_gap_when_the_decision_served_no_aggression_act():
    f = Facts()
    f.tenure(supported=True)
    f.involvement(acts=(), grade="A1")
    result = assess(f)
    assert result.element("E1").status == "gap"
    assert result.element("E3").status == "gap" and result.element("E5").status == "gap"
    assert result.element("E2").status == "gap"  # no act: no State whose leadership would count


# --- E2 leadership --------------------------------------------------------------------------


def test_leadership_partial_when_the_tenure_is_unsupported():
    f = Facts()
    tenure = f.tenure()
    f.involvement(grade="B2")
    result = assess(f)
    assert result.element("E2").status == "partial"
    gap = next(g for g in result.gaps if g.target == ("tenure", tenure.id))
    assert gap.text == "Tenure Post leadership, Institution (2012-05-07 – present) has no supporting evidence"
    assert gap.elements == ("E2",)


def test_leadership_partial_when_only_senior_even_if_supported():
    f = Facts()
    f.tenure(tier="senior", supported=True)
    f.involvement(grade="B2")
    result = assess(f)
    assert result.element("E2").status == "partial"
    assert any(g.target == ("official", 1) and g.elements == ("E2",) for g in result.gaps)


def test_leadership_gap_with_an_operational_post_only():
    f = Facts()
    f.tenure(tier="operational", supported=True)
    f.involvement(grade="B2")
    assert assess(f).element("E2").status == "gap"


def test_leadership_gap_when_the_tenure_ended_before_the_decision():
    f = Facts()
    f.tenure(start="2008-05-12", end="2020-01-15", supported=True)
    f.involvement(grade="B2")
    result = assess(f)
    assert result.element("E2").status == "gap"
    assert result.element("E2").facts == ()


# --- E3 / E5 --------------------------------------------------------------------------------


def test_state_act_partial_without_evidence_on_the_act():
    f = Facts()
    involvement = f.involvement(grade="B2")
    f.support(involvement.decision, grade="A1")  # on the decision, not on the act
    result = assess(f)
    assert result.element("E3").status == "partial" and result.element("E5").status == "gap"
    act = involvement.decision.acts[0]
    gap = next(g for g in result.gaps if g.target == ("act", act.id) and g.action == "evidence")
    assert gap.text == f"Aggression act {act.title} has no supporting evidence" and gap.elements == ("E3",)


def test_state_act_met_by_one_supported_act_among_several():
    f = Facts()
    supported, bare = f.act(), f.act(start="2024-10")
    f.involvement(acts=(supported, bare))
    f.support(supported)
    result = assess(f)
    assert result.element("E3").status == "met" and result.element("E5").status == "gap"
    assert {a.id for a in result.element("E3").of_kind("act")} == {supported.id, bare.id}


# --- E4 / E6 --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", sorted(KNOWING_ROLES))
def test_awareness_inferred_from_every_knowing_role(role):
    f = Facts()
    f.tenure(supported=True)
    involvement = f.involvement(role=role, grade="A1", acts=[f.act(aspects=ASPECTS, grade="A1")])
    f.support(involvement.decision.acts[0])
    result = assess(f)
    assert result.element("E4").status == "inferred" and result.element("E6").status == "inferred"


def test_every_knowing_role_is_an_involvement_role():
    assert KNOWING_ROLES < set(INVOLVEMENT_ROLES)
    assert set(INVOLVEMENT_ROLES) - KNOWING_ROLES == {"implemented", "supplied", "allowed"}


@pytest.mark.parametrize("role", ["implemented", "supplied", "allowed"])
def test_carrying_out_or_assisting_is_not_a_knowing_role(role):
    f = Facts()
    f.tenure(supported=True)
    involvement = f.involvement(role=role, grade="A1")
    f.support(involvement.decision.acts[0])
    result = assess(f)
    assert result.element("E1").status == "met" and result.element("E2").status == "met"
    assert result.element("E4").status == "gap" and result.element("E6").status == "gap"
    gap = next(g for g in result.gaps if g.elements == ("E4", "E6"))
    assert gap.target == ("official", 1)


def test_awareness_needs_the_knowing_role_to_meet_conduct_itself():
    f = Facts()
    f.tenure(supported=True)
    implemented = f.involvement(role="implemented", grade="A1")
    f.support(implemented.decision.acts[0])
    voted = f.involvement(role="voted_for", grade="D2")
    result = assess(f)
    assert result.element("E4").status == "gap"
    gap = next(g for g in result.gaps if g.target == ("involvement", voted.id))
    assert gap.elements == ("E4", "E6") and gap.text.endswith("rests only on D-graded sources")


@pytest.mark.parametrize("missing", ["conduct", "leadership"])
def test_awareness_open_until_conduct_and_leadership_are_met(missing):
    f = Facts()
    f.tenure(supported=missing != "leadership")
    f.involvement(grade="D1" if missing == "conduct" else "A1")
    result = assess(f)
    assert result.element("E4").status == "gap" and result.element("E6").status == "gap"


# --- what the viewer may see ----------------------------------------------------------------


def test_hidden_evidence_does_not_count_and_is_only_counted():
    f = Facts()
    f.tenure(supported=True)
    involvement = f.involvement()
    secret = f.support(involvement, grade="A1", classification="confidential")
    public_view = assess(f, visible=PUBLIC)
    assert public_view.element("E1").status == "partial"
    assert public_view.withheld_count == 1
    assert all(secret.exhibit.exhibit_no not in g.text for g in public_view.gaps)
    assert all(x.exhibit_id != secret.exhibit.id for e in public_view.elements for x in e.exhibits)
    cleared = assess(f, visible=("public", "restricted", "confidential"))
    assert cleared.element("E1").status == "met" and cleared.withheld_count == 0
    assert public_view.score < cleared.score


def test_hidden_contradicting_evidence_flags_nothing():
    f, involvement = complete()
    f.support(involvement, stance="contradicts", classification="strictly_confidential")
    result = assess(f, visible=PUBLIC)
    assert not result.review and result.withheld_count == 1
    assert result.score == assess(complete()[0], visible=PUBLIC).score


def test_supports_on_facts_of_someone_else_are_ignored():
    f, _ = complete()
    stranger = FactsInvolvement(999, "signed", FactsDecision(998, "Elsewhere", PartialDate.parse("2022-02-22")))
    f.support(stranger, classification="confidential")
    result = assess(f, visible=PUBLIC)
    assert result.withheld_count == 0


# --- contradicting evidence -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fact", "flagged"),
    [
        ("involvement", {"E1", "E2", "E4", "E6"}),
        ("decision", {"E1", "E4", "E6"}),
        ("tenure", {"E2", "E4", "E6"}),
        ("act", {"E3"}),
        ("act_assessment", {"E5", "E6"}),
    ],
)
def test_contradicting_evidence_flags_every_element_resting_on_the_fact(fact, flagged):
    f, involvement = complete()
    target = {
        "involvement": involvement,
        "decision": involvement.decision,
        "tenure": f.tenures[0],
        "act": involvement.decision.acts[0],
        "act_assessment": involvement.decision.acts[0].assessments[1],
    }[fact]
    contra = f.support(target, grade="A1", stance="contradicts")
    result = assess(f)
    assert {e.code for e in result.elements if e.review} == flagged
    assert result.complete  # review whatever the status: nothing is downgraded
    for code in flagged:
        assert [x.exhibit_no for x in result.element(code).contradicting] == [contra.exhibit.exhibit_no]
    assert result.score < assess(complete()[0]).score


def test_contradicting_evidence_flags_partial_and_open_elements_too():
    f = Facts()
    f.tenure(supported=True)
    involvement = f.involvement(grade="D3")
    f.support(involvement, stance="contradicts")
    result = assess(f)
    assert (result.element("E1").status, result.element("E1").review) == ("partial", True)
    assert (result.element("E4").status, result.element("E4").review) == ("gap", True)


def test_an_involvement_in_no_aggression_act_is_behind_no_element():
    f = Facts()
    f.tenure()
    involvement = f.involvement(acts=())
    f.support(involvement, stance="contradicts")
    result = assess(f)
    assert not result.review
    assert result.element("E1").status == "gap" and all(e.facts == () for e in result.elements)


# --- troika ---------------------------------------------------------------------------------


def test_troika_notice_for_a_sitting_head_of_state():
    f, _ = complete()
    tenure = f.tenure(start="2012-05-07", troika="head_of_state")
    notice = assess(f).troika
    assert notice is not None and notice.text == TROIKA_TEXT
    assert notice.kind == "head_of_state" and notice.tenure.id == tenure.id and notice.tenure.certainty == "certain"


@pytest.mark.parametrize("kind", ["head_of_government", "foreign_minister"])
def test_troika_notice_for_the_other_two_posts(kind):
    f = Facts()
    f.tenure(troika=kind)
    assert assess(f).troika.kind == kind


def test_no_troika_notice_once_out_of_office_or_before_taking_office_or_off_the_troika():
    f = Facts()
    f.tenure(start="2012-05-08", end="2020-01-16", troika="head_of_government")
    f.tenure(start="2026-01-01", troika="foreign_minister")
    f.tenure(start="2012-05-07", troika=None)
    assert assess(f).troika is None


def test_troika_notice_when_the_end_of_office_is_only_known_to_the_year():
    f = Facts()
    f.tenure(start="2004-03-09", end="2025", troika="foreign_minister")
    notice = assess(f).troika
    assert notice is not None and notice.tenure.certainty == "possible"
    assert assess(f, today=dt.date(2026, 1, 1)).troika is None
