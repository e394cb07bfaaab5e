"""The modes of liability (Rome Statute Art. 25(3), with Art. 25(3 bis)), on plain facts: which
roles suggest which mode, each mode's elements met, partial or a gap by the grade rule of the
elements of the crime, the leadership clause as E2's result, intent as E4's."""

from __future__ import annotations

import pytest

from models.enums import LIABILITY_MODES
from services.assessment.modes import MODE_CODES, MODES
from tests.test_services.assessment_builder import ASPECTS, BY, PUBLIC, Facts, assess

DECIDING = 7  # the institution that takes the decisions below, when one is named


def suggested(result):
    return {m.code for m in result.suggested_modes}


def element_statuses(mode):
    return {e.code: e.status for e in mode.elements}


def proved_case(role, *, tenure_grade="A1", act_grade="A1", decision_grade="A1", grade="A1", **involvement):
    """A proved leadership post in the deciding institution, and a proved involvement in ``role``
    in a proved decision serving a proved act."""
    f = Facts()
    f.tenure(supported=tenure_grade, institution=DECIDING)
    involvement = f.involvement(role=role, grade=grade, institution=DECIDING, **involvement)
    if act_grade:
        f.support(involvement.decision.acts[0], grade=act_grade)
    if decision_grade:
        f.support(involvement.decision, grade=decision_grade)
    return f, involvement


# --- which modes the roles suggest ------------------------------------------------------------


def test_the_modes_are_the_enumerated_ones_in_order():
    assert MODE_CODES == LIABILITY_MODES
    for mode in MODES:
        assert mode.elements[0] == "leadership", mode.code
        assert {"conduct", "act", "intent"} <= set(mode.elements), mode.code


@pytest.mark.parametrize(
    ("role", "modes"),
    [
        ("signed", {"co_perpetration"}),
        ("voted_for", {"co_perpetration"}),
        ("authored", {"co_perpetration"}),
        ("ordered", {"ordering", "indirect_perpetration"}),
        ("commanded", {"ordering", "indirect_perpetration"}),
        ("proposed", {"inducing"}),
        ("publicly_endorsed", {"inducing"}),
        ("supplied", {"aiding"}),
        ("allowed", {"aiding"}),
        ("implemented", {"aiding"}),
        ("attended", {"common_purpose"}),
    ],
)
def test_each_role_suggests_its_modes(role, modes):
    f, _involvement = proved_case(role)
    result = assess(f)
    assert suggested(result) == modes
    assert len(result.modes) == len(MODES)  # every mode is assessed, suggested or not
    for mode in result.modes:
        assert mode.roles == ((role,) if mode.code in modes else ())


def test_roles_in_decisions_linked_to_no_act_suggest_nothing():
    f = Facts()
    f.tenure(supported="A1")
    f.involvement(role="signed", grade="A1", acts=[])
    f.involvement(role="ordered", grade="A1", when="2010-01-01")  # before the temporal scope
    result = assess(f)
    assert suggested(result) == set()
    for mode in result.modes:
        assert mode.status == "gap"
        assert "a role that suggests this mode" in mode.reason
        assert all(e.status == "gap" for e in mode.elements if e.code != "leadership")


def test_a_mode_not_suggested_still_shows_the_leadership_clause():
    f, _involvement = proved_case("signed")
    ordering = assess(f).mode("ordering")
    assert ordering.status == "gap" and not ordering.suggested
    assert element_statuses(ordering) == {"leadership": "met", "conduct": "gap", "act": "gap", "intent": "gap"}


# --- each mode, met ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "code", "elements"),
    [
        ("signed", "co_perpetration", ["leadership", "conduct", "plan", "act", "intent"]),
        ("ordered", "indirect_perpetration", ["leadership", "conduct", "control", "act", "intent"]),
        ("ordered", "ordering", ["leadership", "conduct", "act", "intent"]),
        ("publicly_endorsed", "inducing", ["leadership", "conduct", "act", "intent"]),
        ("negotiated", "aiding", ["leadership", "conduct", "act", "intent"]),
        ("attended", "common_purpose", ["leadership", "plan", "conduct", "act", "intent"]),
    ],
)
def test_each_mode_is_met_on_proved_facts(role, code, elements):
    f, involvement = proved_case(role)
    mode = assess(f).mode(code)
    assert [e.code for e in mode.elements] == elements
    assert mode.status == "met", [(e.code, e.status, e.reason) for e in mode.elements]
    assert all(e.status == "met" for e in mode.elements if e.code != "intent")
    assert mode.element("intent").status == "inferred"
    assert mode.element("conduct").of_kind("involvement")[0].id == involvement.id
    assert mode.article.startswith("Art. 25(3)(")


# --- conduct: the grade rule -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("grade", "kind", "status", "reason"),
    [
        ("A1", "document", "met", "is proved by a primary source graded A–C"),
        ("C3", "document", "met", "is proved by a primary source graded A–C"),
        ("D2", "document", "partial", "rests only on D-graded sources"),
        ("F6", "document", "partial", "rests only on F-graded sources"),
        ("A1", "sanctions_listing", "partial", "rests only on secondary sources (sanctions listing)"),
        ("B2", "press_report", "partial", "rests only on secondary sources (press report)"),
        ("A1", "statement_of_reasons", "partial", "rests only on secondary sources (statement of reasons)"),
        (None, "document", "partial", "has no supporting evidence"),
    ],
)
def test_conduct_is_proved_by_a_primary_source_graded_a_to_c(grade, kind, status, reason):
    f = Facts()
    f.tenure(supported="A1")
    involvement = f.involvement(role="ordered", grade=grade, kind=kind)
    f.support(involvement.decision.acts[0], grade="A1")
    mode = assess(f).mode("ordering")
    conduct = mode.element("conduct")
    assert conduct.status == status
    assert reason in conduct.reason
    assert mode.status == ("met" if status == "met" else "partial")
    assert assess(f).element("E1").status == status  # the same rule as E1's


def test_a_secondary_source_corroborates_a_primary_one():
    f = Facts()
    f.tenure(supported="A1")
    involvement = f.involvement(role="allowed", grade="A1", kind="sanctions_listing")
    assert assess(f).mode("aiding").element("conduct").status == "partial"
    f.support(involvement, grade="B2")
    assert assess(f).mode("aiding").element("conduct").status == "met"


def test_conduct_dated_only_possibly_in_scope_is_partial():
    f = Facts()
    f.tenure(supported="A1", start="2000-01-01")
    f.involvement(role="signed", grade="A1", when="2014-02")  # February 2014: the scope starts on the 20th
    conduct = assess(f).mode("co_perpetration").element("conduct")
    assert conduct.status == "partial"
    assert "only possibly" in conduct.reason
    assert conduct.facts[0].certainty == "possible" and conduct.possible


def test_withheld_evidence_counts_for_nothing_and_is_named_as_withheld():
    f = Facts()
    f.tenure(supported="A1")
    involvement = f.involvement(role="signed")
    f.support(involvement, grade="A1", classification="confidential")
    conduct = assess(f, visible=PUBLIC).mode("co_perpetration").element("conduct")
    assert conduct.status == "partial"
    assert conduct.reason.endswith("evidence exists that you are not cleared to see.")
    assert conduct.withheld == 1 and conduct.exhibits == ()
    assert assess(f).mode("co_perpetration").element("conduct").status == "met"


def test_the_best_of_several_involvements_decides():
    f = Facts()
    f.tenure(supported="A1")
    weak = f.involvement(role="voted_for", grade="E5")
    strong = f.involvement(role="signed", grade="B2")
    mode = assess(f).mode("co_perpetration")
    assert mode.roles == ("voted_for", "signed")
    assert mode.element("conduct").status == "met"
    assert {x.id for x in mode.element("conduct").of_kind("involvement")} == {weak.id, strong.id}


# --- the leadership clause (Art. 25(3 bis)) is E2 --------------------------------------------


@pytest.mark.parametrize(
    ("tenure", "status"),
    [
        ({"supported": "A1"}, "met"),
        ({"supported": "D4"}, "partial"),
        ({"supported": "B2", "tier": "senior"}, "partial"),
        ({"supported": "A1", "state": BY}, "gap"),  # a post in a State not responsible for the act
        (None, "gap"),
    ],
)
def test_the_leadership_clause_is_e2s_result(tenure, status):
    f = Facts()
    if tenure is not None:
        f.tenure(**tenure)
    f.involvement(role="ordered", grade="A1")
    result = assess(f)
    assert result.element("E2").status == status
    for mode in result.modes:
        leadership = mode.element("leadership")
        assert (leadership.status, leadership.reason) == (status, result.element("E2").reason)
        assert leadership.of_kind("tenure") == result.element("E2").of_kind("tenure")
    if status != "met":
        assert result.mode("ordering").status == "partial"


# --- plan, control, act, intent ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision_grade", "kind", "status"),
    [
        ("A2", "document", "met"),
        ("D2", "document", "partial"),
        ("B1", "press_report", "partial"),
        (None, "", "partial"),
    ],
)
def test_the_common_plan_is_the_decision_proved_on_its_own_evidence(decision_grade, kind, status):
    f, involvement = proved_case("voted_for", decision_grade=None)
    if decision_grade:
        f.support(involvement.decision, grade=decision_grade, kind=kind)
    result = assess(f)
    plan = result.mode("co_perpetration").element("plan")
    assert plan.status == status
    assert plan.of_kind("decision")[0].id == involvement.decision.id
    assert result.mode("co_perpetration").status == ("met" if status == "met" else "partial")


def test_the_group_of_a_common_purpose_is_the_decision_too():
    f, involvement = proved_case("attended", decision_grade=None)
    plan = assess(f).mode("common_purpose").element("plan")
    assert plan.status == "partial" and "has no supporting evidence" in plan.reason
    f.support(involvement.decision, grade="B3")
    assert assess(f).mode("common_purpose").element("plan").status == "met"


@pytest.mark.parametrize(
    ("tenure", "status", "reason"),
    [
        ({"supported": "A1", "institution": DECIDING}, "met", "covers its date and is proved"),
        ({"supported": "A1", "institution": DECIDING, "tier": "senior"}, "partial", "senior-tier"),
        ({"supported": "D3", "institution": DECIDING}, "partial", "rests only on D-graded sources"),
        ({"supported": "A1", "institution": DECIDING, "start": "2022"}, "partial", "only possibly"),
        ({"supported": "A1", "institution": 8}, "partial", "control over that organisation is not shown"),
        ({"supported": "A1", "institution": DECIDING, "start": "2023-01-01"}, "gap", "No post in the institution"),
    ],
)
def test_control_over_the_organisation_is_a_post_in_the_deciding_institution(tenure, status, reason):
    f = Facts()
    f.tenure(**tenure)
    f.involvement(role="commanded", grade="A1", institution=DECIDING)
    control = assess(f).mode("indirect_perpetration").element("control")
    assert control.status == status
    assert reason in control.reason


def test_control_needs_the_deciding_institution_to_be_known():
    f = Facts()
    f.tenure(supported="A1", institution=DECIDING)
    f.involvement(role="ordered", grade="A1")  # the decision names no institution
    control = assess(f).mode("indirect_perpetration").element("control")
    assert control.status == "partial" and "not shown" in control.reason


@pytest.mark.parametrize(("act_grade", "status"), [("B3", "met"), ("E2", "partial"), (None, "partial")])
def test_the_act_committed_is_proved_on_the_act(act_grade, status):
    f, involvement = proved_case("signed", act_grade=act_grade)
    act = assess(f).mode("co_perpetration").element("act")
    assert act.status == status == assess(f).element("E3").status
    assert act.of_kind("act")[0].id == involvement.decision.acts[0].id


def test_the_act_counts_only_through_the_modes_own_decisions():
    """An act proved through another decision does not make this mode's act met."""
    f = Facts()
    f.tenure(supported="A1")
    signed = f.involvement(role="signed", grade="A1")
    f.support(signed.decision.acts[0], grade="A1")
    f.involvement(role="allowed", grade="A1")  # its act has no evidence
    result = assess(f)
    assert result.mode("co_perpetration").element("act").status == "met"
    assert result.mode("aiding").element("act").status == "partial"


def test_intent_is_inferred_as_awareness_is_and_never_met():
    f, _involvement = proved_case("signed")
    result = assess(f)
    assert result.element("E4").status == "inferred"
    intent = result.mode("co_perpetration").element("intent")
    assert intent.status == "inferred" and "(E4)" in intent.reason


def test_purpose_is_open_when_the_only_conduct_is_not_a_knowing_role():
    """Allowing the use of territory is assistance; awareness, and so purpose, is shown apart."""
    f = Facts()
    f.tenure(state=BY, supported="A1")
    involvement = f.involvement(role="allowed", grade="A1", acts=[f.act(states=(BY,), aspects=ASPECTS, grade="A2")])
    f.support(involvement.decision.acts[0], grade="A1")
    result = assess(f)
    aiding = result.mode("aiding")
    assert element_statuses(aiding) == {"leadership": "met", "conduct": "met", "act": "met", "intent": "gap"}
    assert aiding.element("intent").reason == result.element("E4").reason
    assert aiding.status == "partial" and "Purpose of facilitating" in aiding.reason
    # a knowing role in another linked decision lets awareness, and purpose, be inferred
    other = f.involvement(role="negotiated", grade="A1", acts=[involvement.decision.acts[0]])
    assert other.role == "negotiated"
    assert assess(f).mode("aiding").status == "met"


def test_a_mode_with_any_element_short_is_partial_and_says_which():
    f, _involvement = proved_case("signed", decision_grade=None, act_grade="D1")
    mode = assess(f).mode("co_perpetration")
    assert mode.status == "partial"
    assert mode.reason.startswith("Roles that suggest it: signed. Not yet met: ")
    assert "Common plan" in mode.reason and "The act of aggression was committed" in mode.reason
    assert "Essential contribution" not in mode.reason


def test_exhibits_are_those_on_each_elements_facts():
    f, involvement = proved_case("signed")
    mode = assess(f).mode("co_perpetration")
    assert {x.target for x in mode.element("conduct").exhibits} == {("involvement", involvement.id)}
    assert {x.target for x in mode.element("plan").exhibits} == {("decision", involvement.decision.id)}
    assert {x.target[0] for x in mode.element("leadership").exhibits} == {"tenure"}


def test_contradicting_evidence_as_reliable_flags_the_mode_element_for_review():
    f, involvement = proved_case("ordered", grade="B2")
    f.support(involvement, grade="B1", stance="contradicts")
    conduct = assess(f).mode("ordering").element("conduct")
    assert conduct.review and conduct.status == "met"
    f2, involvement2 = proved_case("ordered", grade="B2")
    f2.support(involvement2, grade="E1", stance="contradicts")
    assert not assess(f2).mode("ordering").element("conduct").review


def test_the_modes_can_be_left_out_where_only_figures_are_kept():
    from services.assessment.elements import assess_dossier
    from tests.test_services.assessment_builder import SCOPE, TODAY

    f, _involvement = proved_case("signed")
    built = f.build()
    full = assess_dossier(built, visible=PUBLIC, scope_start=SCOPE, today=TODAY)
    bare = assess_dossier(built, visible=PUBLIC, scope_start=SCOPE, today=TODAY, with_modes=False)
    assert bare.modes == () and len(full.modes) == len(MODES)
    assert (bare.elements, bare.score, bare.gaps) == (full.elements, full.score, full.gaps)
