"""The corrected rules of the assessment (issue 20), on plain facts: leadership over the State
responsible for the act, one grade rule for every element (secondary sources corroborate, they
do not prove), awareness inferred only on met elements, and review only for contradicting
evidence as reliable as the best support."""

from __future__ import annotations

import pytest

from services.assessment import score as assessment_score
from services.assessment.score import method_text
from tests.test_services.assessment_builder import ASPECTS, BY, KP, PUBLIC, RU, Facts, assess, complete, statuses

SECONDARY = ["sanctions_listing", "statement_of_reasons", "press_report"]

# --- E2: leadership over the State that committed the act -----------------------------------


def test_a_leader_of_another_state_is_no_leader_for_this_act():
    """The President of Belarus publicly endorsing a decision linked only to Russia's act."""
    f = Facts()
    f.tenure(state=BY, supported="A1")
    involvement = f.involvement(role="publicly_endorsed", grade="A1")  # the act is Russia's
    f.support(involvement.decision.acts[0], grade="A1")
    result = assess(f)
    assert result.element("E2").status == "gap"
    assert statuses(result)["E4"] == statuses(result)["E6"] == "gap"
    act = involvement.decision.acts[0]
    gap = next(g for g in result.gaps if "E2" in g.elements)
    assert gap.text == (
        f"No leadership post in Russian Federation, the State responsible for aggression act {act.title},"
        " at the date of a decision serving it"
    )
    assert gap.target == ("official", 1) and gap.action == "tenure"
    assert "Belarus" in result.element("E2").reason
    assert result.element("E2").facts == ()
    assert result.score < assess(complete("A1")[0]).score


@pytest.mark.parametrize(
    ("role", "awareness"),
    [
        ("signed", "inferred"),
        # allowing the use of territory is conduct, not one of the roles knowledge is inferred from
        ("allowed", "gap"),
    ],
)
def test_a_co_aggressors_leader_qualifies_for_the_act_of_their_own_state(role, awareness):
    f = Facts()
    f.tenure(state=BY, supported="A1")
    involvement = f.involvement(role=role, grade="A1", acts=[f.act(states=(BY,), aspects=ASPECTS, grade="A2")])
    f.support(involvement.decision.acts[0], grade="A1")
    result = assess(f)
    assert statuses(result) == {"E1": "met", "E2": "met", "E3": "met", "E4": awareness, "E5": "met", "E6": awareness}
    assert "Belarus" in result.element("E2").reason


def test_one_of_several_responsible_states_is_enough():
    f = Facts()
    f.tenure(state=KP, supported="B2")
    f.involvement(grade="A1", acts=[f.act(states=(RU, KP))])
    assert assess(f).element("E2").status == "met"


def test_the_tenure_must_be_in_the_state_of_the_act_its_decision_served():
    """A Belarusian post covers a decision serving Belarus's act, not one serving only Russia's."""
    f = Facts()
    tenure = f.tenure(state=BY, supported="A1")
    own = f.involvement(grade="A1", acts=[f.act(states=(BY,))])
    other = f.involvement(grade="A1")
    e2 = assess(f).element("E2")
    assert e2.status == "met"
    assert {x.id for x in e2.of_kind("involvement")} == {own.id} and e2.of_kind("tenure")[0].id == tenure.id
    assert other.id not in {x.id for x in e2.facts}


def test_an_act_without_a_responsible_state_asks_for_one():
    f = Facts()
    f.tenure(supported="A1")
    involvement = f.involvement(grade="A1", acts=[f.act(states=())])
    result = assess(f)
    assert result.element("E2").status == "gap"
    act = involvement.decision.acts[0]
    gap = next(g for g in result.gaps if "E2" in g.elements)
    assert (gap.target, gap.action) == (("act", act.id), "act")
    assert gap.text == f"Record the State responsible for aggression act {act.title}"


def test_a_senior_post_in_the_right_state_is_partial_and_the_gap_names_the_state():
    f = Facts()
    f.tenure(tier="senior", state=KP, supported="A1")
    involvement = f.involvement(grade="A1", acts=[f.act(states=(KP,))])
    result = assess(f)
    assert result.element("E2").status == "partial"
    gap = next(g for g in result.gaps if "E2" in g.elements)
    assert gap.text == (
        "Show a leadership-tier post in Democratic People's Republic of Korea at the date of a decision serving "
        f"{involvement.decision.acts[0].title}"
    )


# --- one grade rule for every element -------------------------------------------------------


@pytest.mark.parametrize("grade", ["D1", "E3", "F6"])
def test_leadership_is_partial_on_a_tenure_backed_only_by_weak_sources(grade):
    f = Facts()
    tenure = f.tenure(supported=grade)
    f.involvement(grade="A1")
    result = assess(f)
    assert result.element("E2").status == "partial"
    gap = next(g for g in result.gaps if g.target == ("tenure", tenure.id))
    assert gap.text.endswith(f"rests only on {grade[0]}-graded sources")


@pytest.mark.parametrize("kind", SECONDARY)
@pytest.mark.parametrize("fact", ["involvement", "tenure", "act"])
def test_a_secondary_source_alone_never_proves_however_it_is_graded(kind, fact):
    f = Facts()
    tenure = f.tenure()
    involvement = f.involvement()
    act = involvement.decision.acts[0]
    target = {"involvement": involvement, "tenure": tenure, "act": act}[fact]
    for other in {"involvement": involvement, "tenure": tenure, "act": act}.values():
        if other is not target:
            f.support(other, grade="A1")
    f.support(target, grade="A1", kind=kind)
    result = assess(f)
    element = {"involvement": "E1", "tenure": "E2", "act": "E3"}[fact]
    assert result.element(element).status == "partial"
    assert not result.complete
    gap = next(g for g in result.gaps if g.target == (fact, target.id))
    assert "rests only on secondary sources" in gap.text and "corroborate them with a primary exhibit" in gap.text


def test_a_secondary_source_corroborates_a_primary_one():
    f = Facts()
    f.tenure(supported="B2")
    involvement = f.involvement(grade="B2", kind="sanctions_listing")
    f.support(involvement.decision.acts[0], grade="A1")
    assert assess(f).element("E1").status == "partial"
    f.support(involvement, grade="C3", kind="official_statement")
    assert assess(f).element("E1").status == "met"


def test_a_weak_primary_and_a_secondary_source_are_named_together():
    f = Facts()
    involvement = f.involvement(grade="D2")
    f.support(involvement, grade="B2", kind="sanctions_listing")
    gap = next(g for g in assess(f).gaps if g.target == ("involvement", involvement.id))
    assert gap.text.endswith("rests only on D-graded and secondary sources (sanctions listing)")


def test_a_fact_whose_only_evidence_is_withheld_says_so():
    f = Facts()
    involvement = f.involvement()
    f.support(involvement, grade="A1", classification="confidential")
    gap = next(g for g in assess(f, visible=PUBLIC).gaps if g.target == ("involvement", involvement.id))
    assert gap.text.endswith(": evidence exists that you are not cleared to see")
    assert "no supporting evidence" not in gap.text
    cleared = assess(f)
    assert not any(g.target == ("involvement", involvement.id) for g in cleared.gaps)


# --- E4 and E6 are inferred only on met elements ------------------------------------------


def test_awareness_stays_open_until_the_state_act_is_met():
    f = Facts()
    f.tenure(supported="A1")
    f.involvement(grade="A1")  # the act has no evidence
    result = assess(f)
    assert statuses(result)["E1"] == statuses(result)["E2"] == "met"
    assert statuses(result)["E3"] == "partial"
    assert statuses(result)["E4"] == "gap" and statuses(result)["E6"] == "gap"
    assert "E3" in result.element("E4").reason


# --- review -------------------------------------------------------------------------------


def test_a_low_grade_denial_on_a_shared_act_raises_no_review():
    f, involvement = complete("A1")
    act = involvement.decision.acts[0]
    f.support(act, grade="A1")
    f.support(act, grade="C5", stance="contradicts", kind="press_report")
    result = assess(f)
    assert not result.review
    assert [x.grade for x in result.element("E3").contradicting] == ["C5"]  # still shown, still disclosed


def test_a_denial_as_reliable_as_the_best_support_is_flagged_and_named():
    f, involvement = complete("B2")  # the act's support is B2
    act = involvement.decision.acts[0]
    denial = f.support(act, grade="B4", stance="contradicts")
    result = assess(f)
    e3 = result.element("E3")
    assert e3.review and [x.exhibit_no for x in e3.review_by] == [denial.exhibit.exhibit_no]
    assert not result.element("E1").review and not result.element("E2").review


def test_any_denial_flags_an_element_nothing_supports():
    f = Facts()
    involvement = f.involvement()
    f.support(involvement, grade="F6", stance="contradicts")
    assert assess(f).element("E1").review


# --- E5 on the act's own facts: character, gravity, scale ------------------------------------


def _e5(aspects=ASPECTS, grade="A1", act_grade="A1"):
    f = Facts()
    f.tenure(supported="A1")
    act = f.act(aspects=aspects, grade=grade)
    involvement = f.involvement(grade="A1", acts=[act])
    if act_grade:
        f.support(act, grade=act_grade)
    return f, act, involvement


def test_the_manifest_violation_is_met_when_character_gravity_and_scale_are_all_proved():
    f, act, _i = _e5()
    result = assess(f)
    e5 = result.element("E5")
    assert e5.status == "met" and result.complete
    assert [x.id for x in e5.of_kind("act_assessment")] == [x.id for x in act.assessments]
    assert e5.of_kind("act_assessment")[0].label == f"Character of {act.title}: The character of act {act.id}"
    assert e5.of_kind("act") == ()  # the act's own evidence is E3's


def test_the_manifest_violation_is_no_longer_the_state_act_again():
    f, act, _i = _e5(aspects=())
    result = assess(f)
    assert result.element("E3").status == "met"
    assert result.element("E5").status == "gap"
    assert result.element("E4").status == "inferred" and result.element("E6").status == "gap"
    assert "E5" in result.element("E6").reason
    gaps = [g for g in result.gaps if "E5" in g.elements]
    assert [(g.target, g.action, g.text) for g in gaps] == [
        (("act", act.id), aspect, f"Record the {aspect} of aggression act {act.title}") for aspect in ASPECTS
    ]


def test_some_aspects_recorded_is_partial_and_asks_for_the_rest():
    f, act, _i = _e5(aspects=("character", "gravity"))
    result = assess(f)
    assert result.element("E5").status == "partial" and result.element("E6").status == "gap"
    gaps = [(g.target, g.action) for g in result.gaps if "E5" in g.elements]
    assert gaps == [(("act", act.id), "scale")]


@pytest.mark.parametrize(("grade", "kind"), [("D2", "document"), ("B2", "press_report"), (None, None)])
def test_an_aspect_not_proved_keeps_it_partial_with_the_reason(grade, kind):
    f, act, _i = _e5()
    scale = act.assessment("scale")
    f.supports = [s for s in f.supports if s.target != ("act_assessment", scale.id)]
    if grade:
        f.support(scale, grade=grade, kind=kind)
    result = assess(f)
    assert result.element("E5").status == "partial"
    gap = next(g for g in result.gaps if g.target == ("act_assessment", scale.id))
    assert gap.text.startswith(f"Scale of {act.title}") and gap.action == "evidence"
    assert gap.elements == ("E5",)


def test_aspects_of_two_acts_do_not_add_up():
    f = Facts()
    f.tenure(supported="A1")
    first = f.act(aspects=("character", "gravity"), grade="A1")
    second = f.act(aspects=("scale",), grade="A1")
    f.involvement(grade="A1", acts=[first, second])
    f.support(first, grade="A1")
    assert assess(f).element("E5").status == "partial"


def test_a_denial_of_the_gravity_as_reliable_as_its_support_flags_e5():
    """E6 also rests on the A-graded conduct and post: a B denial does not outweigh them there."""
    f, act, _i = _e5(grade="B2")
    denial = f.support(act.assessment("gravity"), grade="B3", stance="contradicts")
    result = assess(f)
    assert {e.code for e in result.elements if e.review} == {"E5"}
    assert [x.exhibit_no for x in result.element("E5").review_by] == [denial.exhibit.exhibit_no]


# --- an explained strength --------------------------------------------------------------------


def _official(role, grade="A1", tenure="A1", troika=None):
    f = Facts()
    f.tenure(supported=tenure, troika=troika)
    act = f.act(aspects=ASPECTS, grade="A1")
    f.involvement(role=role, grade=grade, acts=[act])
    f.support(act, grade="A1")
    return f


def components(result):
    return {c.name.split()[0] if c.name[:1] == "E" else c.name: c for c in result.score_components}


def test_a_head_of_state_who_signed_outranks_an_official_who_only_attended_a_meeting():
    signer = assess(_official("signed", troika="head_of_state"))
    attendee = assess(_official("attended"))
    assert signer.complete and attendee.complete  # both meet every element ...
    assert signer.score > attendee.score  # ... but signing is more of the crime than attending
    assert "co-perpetration" in components(signer)["E1"].explanation
    assert "common purpose" in components(attendee)["E1"].explanation


def test_grades_weigh_the_elements_they_prove():
    strong, weak = assess(_official("signed", grade="A1")), assess(_official("signed", grade="C3"))
    assert strong.element("E1").status == weak.element("E1").status == "met"
    assert components(strong)["E1"].points > components(weak)["E1"].points
    assert strong.score > weak.score


def test_shared_act_evidence_lifts_the_state_act_and_nothing_else():
    f = _official("signed", grade="C3", tenure="C3")
    before = assess(f)
    act = f.involvements[0].decision.acts[0]
    for _n in range(8):
        f.support(act, grade="A1")
    after = assess(f)
    for name in ("E1", "E2", "E4", "E6", "Corroboration"):
        assert components(after)[name].points == components(before)[name].points, name
    assert "does not count here" in components(after)["Corroboration"].explanation


def test_a_contradiction_weighs_by_its_grade():
    def with_denial(grade):
        f = _official("signed")
        f.support(f.involvements[0].decision.acts[0], grade=grade, stance="contradicts")
        return assess(f)

    clean, weak, strong = assess(_official("signed")), with_denial("E5"), with_denial("A1")
    assert clean.score >= weak.score > strong.score
    assert clean.score - weak.score <= 1  # one low-grade denial on a shared act costs next to nothing
    assert not weak.review and strong.review
    lost = components(strong)["Contradicting evidence"]
    assert lost.points < 0 and "E3 loses 50 %" in lost.explanation


def test_every_component_says_how_it_was_computed():
    result = assess(_official("ordered"))
    for component in result.score_components:
        assert component.explanation
    assert components(result)["E1"].explanation.startswith("30 points, met: all its points")


def test_the_method_in_words_states_the_figures_the_score_uses(monkeypatch):
    """The page and the PDF print the method from the score's own figures, not from a copy that
    could go on saying A 100 % after the weights change."""
    text = method_text()
    assert "E1 30, E2 25, E3 10, E4 10, E5 10, E6 5" in text
    assert "reliability A 100 %, B 90 %, C 80 %, D 50 %, E 30 %, F 10 %" in text
    assert "direct or co-perpetration (signed, voted for, authored) 100 %" in text
    assert "contributing to a common purpose (attended) 50 %" in text
    monkeypatch.setitem(assessment_score.RELIABILITY_WEIGHT, "D", 0.4)
    monkeypatch.setattr(assessment_score, "CORROBORATION_MAX", 12)
    changed = method_text()
    assert "D 40 %" in changed and "Up to 12 points" in changed


# --- each exhibit once per element, with the facts it bears on --------------------------------


def test_an_exhibit_on_an_involvement_and_its_decision_is_one_line_naming_both():
    f = Facts()
    involvement = f.involvement()
    decree = f.exhibit("A1")
    f.support(involvement, exhibit=decree)
    f.support(involvement.decision, exhibit=decree)
    f.support(involvement, grade="C3")
    e1 = assess(f).element("E1")
    assert len(e1.exhibits) == 3  # every link is still there for the API and the score
    lines = e1.supporting_lines
    assert [line.exhibit.exhibit_no for line in lines] == [decree.exhibit_no, lines[1].exhibit.exhibit_no]
    labels = {fact.target: fact.label for fact in e1.facts}
    assert lines[0].facts == (labels[("involvement", involvement.id)], labels[("decision", involvement.decision.id)])
    assert lines[1].facts == (labels[("involvement", involvement.id)],)


def test_an_element_counts_the_links_its_viewer_may_not_see():
    f = Facts()
    involvement = f.involvement()
    f.support(involvement, grade="A1", classification="confidential")
    f.support(involvement.decision, grade="A1", classification="confidential")
    hidden, cleared = assess(f, visible=PUBLIC).element("E1"), assess(f).element("E1")
    assert hidden.exhibits == () and hidden.withheld == 2
    assert len(cleared.exhibits) == 2 and cleared.withheld == 0
