"""Stored dossier summaries stay equal to a fresh assessment after every kind of edit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from models import ActAssessment, AggressionAct, Dossier, DossierSummary, Official, PartialDate, Support
from models.base import utcnow
from models.enums import CLASSIFICATIONS
from services.assessment.elements import assess_dossier
from services.dossiers import summaries as dossier_summaries
from services.dossiers.facts import load_facts

SCOPE = dt.date(2014, 2, 20)


def _stored(session, official_id: int) -> dict[str, DossierSummary]:
    rows = session.scalars(select(DossierSummary).where(DossierSummary.official_id == official_id))
    return {row.clearance: row for row in rows}


def assert_in_step(session, official_id: int) -> None:
    """Each clearance's row says what a fresh assessment at that clearance says."""
    session.flush()
    session.expire_all()
    stored = _stored(session, official_id)
    facts = load_facts(session, official_id)
    if facts is None:
        assert stored == {}
        return
    status = session.scalar(select(Dossier.status).where(Dossier.official_id == official_id)) or "candidate"
    assert set(stored) == set(CLASSIFICATIONS)
    for level, clearance in enumerate(CLASSIFICATIONS):
        fresh = assess_dossier(facts, visible=CLASSIFICATIONS[: level + 1], scope_start=SCOPE, today=dt.date.today())
        row = stored[clearance]
        assert (row.name, row.status, row.stale) == (facts.official_name, status, False)
        assert row.state_id == facts.official_state_id
        assert row.strength == fresh.score, clearance
        assert [row.element_status(e.code) for e in fresh.elements] == [e.status for e in fresh.elements]
        assert (row.review, row.complete) == (fresh.review, fresh.complete)
        assert (row.gap_count, row.withheld_count) == (len(fresh.gaps), fresh.withheld_count)


@dataclass
class Case:
    official: Official
    tenure: Any
    decision: Any
    involvement: Any
    act: AggressionAct
    exhibit: Any
    make: Any


def _act(session, title: str = "Invasion", start: str = "2022-02-24", states=()) -> AggressionAct:
    act = AggressionAct(title=title, states=list(states))
    act.start = PartialDate.parse(start)
    session.add(act)
    session.flush()
    return act


@pytest.fixture
def case(session, make) -> Case:
    """A dossier with every element met on public evidence."""
    official = make.official()
    position = make.position(tier="leadership")
    tenure = make.tenure(official=official, position=position, start="2010")
    act = _act(session, states=[position.institution.state])
    decision = make.decision(institution=position.institution, when="2022-02-22", acts=[act])
    involvement = make.involvement(official=official, decision=decision, role="ordered")
    exhibit = make.evidence(reliability="B")
    aspects = [ActAssessment(act=act, aspect=a, finding=f"The {a}") for a in ("character", "gravity", "scale")]
    session.add_all(aspects)
    session.flush()
    for target in (
        {"tenure": tenure},
        {"involvement": involvement},
        {"act": act},
        *({"act_assessment": a} for a in aspects),
    ):
        make.support(evidence=exhibit, **target)
    return Case(official, tenure, decision, involvement, act, exhibit, make)


def test_a_new_official_gets_a_row_per_clearance(session, make):
    official = make.official()
    assert_in_step(session, official.id)
    assert _stored(session, official.id)["public"].e1 == "gap"


def test_the_case_is_in_step_and_strong(session, case):
    assert_in_step(session, case.official.id)
    assert _stored(session, case.official.id)["public"].complete


def test_tenures_added_changed_and_removed(session, case):
    before = _stored(session, case.official.id)["public"].strength
    case.tenure.end = PartialDate.parse("2015-01-01")  # over before the decision: no leadership
    assert_in_step(session, case.official.id)
    assert _stored(session, case.official.id)["public"].strength < before
    case.make.tenure(official=case.official, position=case.make.position(tier="senior"), start="2021")
    assert_in_step(session, case.official.id)
    for support in list(case.tenure.supports):
        session.delete(support)
    session.delete(case.tenure)
    assert_in_step(session, case.official.id)


def test_the_states_responsible_for_an_act_and_an_institutions_state(session, case):
    """Leadership is assessed over the State responsible for the act: both sides are watched."""
    stored = lambda: _stored(session, case.official.id)["public"]  # noqa: E731
    assert stored().e2 == "met"
    case.act.states = []
    assert_in_step(session, case.official.id)
    assert stored().e2 == "gap"
    case.act.states = [case.tenure.position.institution.state]
    assert_in_step(session, case.official.id)
    assert stored().e2 == "met"
    case.tenure.position.institution.state = case.make.state()
    assert_in_step(session, case.official.id)
    assert stored().e2 == "gap"


def test_an_acts_character_gravity_and_scale_and_their_evidence(session, case):
    """E5 rests on the act's assessments: changing one, or its evidence, moves the summaries."""
    stored = lambda: _stored(session, case.official.id)["public"]  # noqa: E731
    assert stored().e5 == "met" and stored().e6 == "inferred"
    scale = case.act.assessment("scale")
    for support in list(scale.supports):
        session.delete(support)
    assert_in_step(session, case.official.id)
    assert stored().e5 == "partial" and stored().e6 == "gap"
    case.make.support(act_assessment=scale, evidence=case.make.evidence(reliability="A"))
    assert_in_step(session, case.official.id)
    assert stored().e5 == "met"
    scale.act = _act(session, title="Another act")
    assert_in_step(session, case.official.id)
    assert stored().e5 == "partial"


def test_a_tenure_moved_to_another_official_moves_both(session, case):
    other = case.make.official()
    case.tenure.official = other
    assert_in_step(session, case.official.id)
    assert_in_step(session, other.id)


def test_position_tier(session, case):
    case.tenure.position.tier = "operational"
    assert_in_step(session, case.official.id)
    assert _stored(session, case.official.id)["public"].e2 == "gap"


def test_involvements_added_changed_and_removed(session, case):
    case.involvement.role = "implemented"  # not a knowing role: E4/E6 no longer inferred
    assert_in_step(session, case.official.id)
    assert _stored(session, case.official.id)["public"].e4 == "gap"
    extra = case.make.involvement(official=case.official, role="signed")
    assert_in_step(session, case.official.id)
    session.delete(extra)
    assert_in_step(session, case.official.id)


def test_decision_date_and_deletion(session, case):
    case.decision.when = PartialDate.parse("2013-05-01")  # before the temporal scope
    assert_in_step(session, case.official.id)
    assert _stored(session, case.official.id)["public"].e1 == "gap"
    case.decision.when = PartialDate.parse("2022-02-22")
    case.decision.deleted_at = utcnow()
    assert_in_step(session, case.official.id)
    assert _stored(session, case.official.id)["public"].e1 == "gap"


def test_decision_act_links_from_either_side(session, case):
    case.decision.acts.remove(case.act)
    assert_in_step(session, case.official.id)
    assert _stored(session, case.official.id)["public"].e3 == "gap"
    case.act.decisions.append(case.decision)
    assert_in_step(session, case.official.id)
    assert _stored(session, case.official.id)["public"].e3 == "met"


def test_act_dates(session, case):
    case.act.start = PartialDate.parse("2010-01-01")
    case.act.end = PartialDate.parse("2012-01-01")  # over before the scope: not linked
    assert_in_step(session, case.official.id)
    assert _stored(session, case.official.id)["public"].e3 == "gap"


def test_supports_added_changed_and_removed(session, case):
    against = case.make.support(evidence=case.make.evidence(), involvement=case.involvement, stance="supports")
    assert_in_step(session, case.official.id)
    against.stance = "contradicts"
    assert_in_step(session, case.official.id)
    assert _stored(session, case.official.id)["public"].review
    session.delete(against)
    assert_in_step(session, case.official.id)
    assert not _stored(session, case.official.id)["public"].review


def test_evidence_grades_classification_and_deletion(session, case):
    case.exhibit.reliability = "E"
    assert_in_step(session, case.official.id)
    assert _stored(session, case.official.id)["public"].e1 == "partial"
    case.exhibit.reliability = "B"
    case.exhibit.classification = "confidential"
    assert_in_step(session, case.official.id)
    case.exhibit.classification = "public"
    case.exhibit.deleted_at = utcnow()
    assert_in_step(session, case.official.id)


def test_hidden_evidence_does_not_leak_into_lower_clearances(session, case):
    secret = case.make.evidence(classification="strictly_confidential", reliability="A")
    case.make.support(evidence=secret, decision=case.decision, stance="contradicts")
    assert_in_step(session, case.official.id)
    rows = _stored(session, case.official.id)
    for clearance in CLASSIFICATIONS[:-1]:
        assert not rows[clearance].review and rows[clearance].withheld_count == 1
    top = rows["strictly_confidential"]
    assert top.review and top.withheld_count == 0
    assert top.strength < rows["public"].strength


def test_official_name_deletion_and_dossier_status(session, case):
    case.official.name = "Renamed Official"
    session.add(Dossier(official=case.official, status="under_review"))
    assert_in_step(session, case.official.id)
    assert _stored(session, case.official.id)["restricted"].status == "under_review"
    case.official.state = case.make.state()  # the index's State filter reads the copy
    assert_in_step(session, case.official.id)
    assert _stored(session, case.official.id)["public"].state_id == case.official.state_id
    case.official.deleted_at = utcnow()
    assert_in_step(session, case.official.id)
    assert _stored(session, case.official.id) == {}
    case.official.deleted_at = None
    assert_in_step(session, case.official.id)


def test_a_wide_change_recomputes_some_and_marks_the_rest_stale(session, case, monkeypatch):
    others = []
    for _ in range(4):
        official = case.make.official()
        case.make.involvement(official=official, decision=case.decision, role="voted_for")
        others.append(official.id)
    monkeypatch.setattr(dossier_summaries, "IN_FLUSH_LIMIT", 2)
    case.make.support(evidence=case.make.evidence(), act=case.act, stance="contradicts")
    session.expire_all()
    stale = dossier_summaries.stale_ids(session)
    assert len(stale) == 3 and set(stale) <= {case.official.id, *others}
    assert dossier_summaries.refresh_stale(session, limit=2) == 2
    assert len(dossier_summaries.stale_ids(session)) == 1
    dossier_summaries.refresh_stale(session)
    for official_id in (case.official.id, *others):
        assert_in_step(session, official_id)


def test_heal_says_whether_any_summary_is_left_stale(session, case, monkeypatch):
    for _ in range(4):
        official = case.make.official()
        case.make.involvement(official=official, decision=case.decision, role="voted_for")
    monkeypatch.setattr(dossier_summaries, "IN_FLUSH_LIMIT", 2)
    case.make.support(evidence=case.make.evidence(), act=case.act, stance="contradicts")
    session.expire_all()
    assert len(dossier_summaries.stale_ids(session)) == 3
    assert dossier_summaries.heal(session, 2) is False  # two recomputed, one left
    assert len(dossier_summaries.stale_ids(session)) == 1
    assert dossier_summaries.heal(session, 1) is True  # the last one
    assert dossier_summaries.stale_ids(session) == [] and dossier_summaries.heal(session, 1) is True


def test_deferred_recomputes_once_at_the_end(session, case):
    with dossier_summaries.deferred(session):
        case.exhibit.reliability = "E"
        session.flush()
        assert _stored(session, case.official.id)["public"].e1 == "met"  # not yet
    assert_in_step(session, case.official.id)


def test_a_full_refresh_rebuilds_every_row(session, case, make):
    other = make.official()
    session.flush()
    session.execute(DossierSummary.__table__.delete())
    assert dossier_summaries.refresh(session) >= 2
    assert_in_step(session, case.official.id)
    assert_in_step(session, other.id)


def test_writes_that_bypass_the_orm_need_a_refresh(session, case):
    session.execute(Support.__table__.delete().where(Support.act_id == case.act.id))
    assert _stored(session, case.official.id)["public"].e3 == "met"
    dossier_summaries.refresh(session, [case.official.id])
    assert_in_step(session, case.official.id)


def test_troika_is_worked_out_for_today(session, make):
    official = make.official()
    head = make.position(troika="head_of_state")
    make.tenure(official=official, position=head, start="2012-05-07", end="2020-01-01")
    assert dossier_summaries.troikas(session, [official.id], dt.date(2019, 6, 1)) == {official.id: "head_of_state"}
    assert dossier_summaries.troikas(session, [official.id], dt.date(2021, 6, 1)) == {}
    assert dossier_summaries.troikas(session, [official.id], dt.date(2011, 6, 1)) == {}


def test_refresh_command(runner, session, make):
    from sqlalchemy import delete, func, select

    from models import DossierSummary

    make.official()
    session.execute(delete(DossierSummary))
    result = runner.invoke(args=["dossiers", "refresh", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "recomputed for 1 officials" in result.output
    assert session.scalar(select(func.count()).select_from(DossierSummary)) >= 1
    again = runner.invoke(args=["dossiers", "refresh", "--if-empty"])
    assert "nothing to do" in again.output
    assert runner.invoke(args=["dossiers", "refresh"]).exit_code == 0
    assert runner.invoke(args=["dossiers", "refresh", "--stale"]).exit_code == 0
