"""Loading an official's facts for the assessment: what is read, what is left out, in how many queries;
and the assessment of the demo data set."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from models import ActAssessment, AggressionAct, Official, PartialDate
from models.enums import CLASSIFICATIONS
from services.assessment.elements import assess_dossier
from services.dossiers.facts import load_facts, load_many_facts

SCOPE = dt.date(2014, 2, 20)
TODAY = dt.date(2025, 6, 1)


def new_act(session, title="Full-scale invasion", start="2022-02-24", end=None, states=()):
    act = AggressionAct(title=title, states=list(states))
    act.start = PartialDate.parse(start)
    act.end = PartialDate.parse(end) if end else None
    session.add(act)
    session.flush()
    return act


def dossier(make, n_involvements=1, official=None):
    """The id of an official with a supported leadership tenure and ``n`` supported involvements in decisions
    that served one supported act; each involvement also has a contradicting, confidential exhibit."""
    official = official or make.official()
    tenure = make.tenure(official=official, start="2012-05-07")
    make.support(tenure=tenure)
    act = new_act(make.session, title=f"Act of official {official.id}", states=[tenure.position.institution.state])
    make.support(act=act, evidence=make.evidence(reliability="A", credibility="1"))
    for aspect in ("character", "gravity", "scale"):
        assessment = ActAssessment(act=act, aspect=aspect, finding=f"The {aspect} of the act")
        make.session.add(assessment)
        make.session.flush()
        make.support(act_assessment=assessment)
    for _n in range(n_involvements):
        decision = make.decision(when="2022-02-21", acts=[act])
        involvement = make.involvement(official=official, decision=decision, role="signed")
        make.support(involvement=involvement)
        make.support(decision=decision)
        make.support(
            involvement=involvement, stance="contradicts", evidence=make.evidence(classification="confidential")
        )
    official_id = official.id
    make.session.expire_all()  # as a fresh request would: nothing already loaded
    return official_id


def test_loads_tenures_with_their_positions_and_partial_dates(session, make):
    official = make.official(name="Sergei Lavrov")
    position = make.position(title="Minister of Foreign Affairs", tier="leadership", troika="foreign_minister")
    tenure = make.tenure(official=official, position=position, start="2004-03", end="2024")
    facts = load_facts(session, official.id)
    assert facts is not None and facts.official_name == "Sergei Lavrov"
    (loaded,) = facts.tenures
    assert (loaded.id, loaded.position_title, loaded.tier, loaded.troika) == (
        tenure.id,
        "Minister of Foreign Affairs",
        "leadership",
        "foreign_minister",
    )
    assert loaded.institution_id == position.institution.id and loaded.institution == position.institution.name
    assert loaded.start == PartialDate.parse("2004-03") and loaded.end == PartialDate.parse("2024")
    state = position.institution.state
    assert (loaded.state.id, loaded.state.code, loaded.state.name) == (state.id, state.code, state.name)


def test_loads_involvements_decisions_acts_and_every_kind_of_support(session, make):
    official = make.official()
    tenure = make.tenure(official=official)
    by, ru = make.state(code="BY"), make.state(code="RU")
    act = new_act(session, end="2025-04", states=[ru, by])
    decision = make.decision(when="2022-02", acts=[act])
    involvement = make.involvement(official=official, decision=decision, role="voted_for")
    on_tenure = make.support(tenure=tenure, evidence=make.evidence(classification="strictly_confidential"))
    on_involvement = make.support(involvement=involvement, stance="contradicts", pinpoint="para. 4")
    on_decision = make.support(decision=decision, evidence=make.evidence(reliability="D", credibility="5"))
    on_act = make.support(act=act)
    gravity = ActAssessment(act=act, aspect="gravity", finding="Missile strikes on cities")
    session.add(gravity)
    session.flush()
    on_gravity = make.support(act_assessment=gravity, stance="contradicts")
    facts = load_facts(session, official.id)
    (loaded,) = facts.involvements
    assert (loaded.id, loaded.role) == (involvement.id, "voted_for")
    assert loaded.decision.when == PartialDate.parse("2022-02") and loaded.decision.title == decision.title
    assert [(a.id, a.start, a.end) for a in loaded.decision.acts] == [
        (act.id, PartialDate.parse("2022-02-24"), PartialDate.parse("2025-04"))
    ]
    assert [s.code for s in loaded.decision.acts[0].states] == ["BY", "RU"]  # by code, each once
    assert loaded.decision.institution_id == decision.institution_id
    assert [(x.id, x.aspect, x.finding) for x in loaded.decision.acts[0].assessments] == [
        (gravity.id, "gravity", "Missile strikes on cities")
    ]
    by_id = {s.id: s for s in facts.supports}
    assert set(by_id) == {on_tenure.id, on_involvement.id, on_decision.id, on_act.id, on_gravity.id}
    assert by_id[on_gravity.id].target == ("act_assessment", gravity.id)
    assert by_id[on_tenure.id].target == ("tenure", tenure.id)
    assert by_id[on_tenure.id].exhibit.classification == "strictly_confidential"  # loaded: the assessment filters
    assert (by_id[on_involvement.id].stance, by_id[on_involvement.id].pinpoint) == ("contradicts", "para. 4")
    assert by_id[on_decision.id].exhibit.grade == "D5" and by_id[on_decision.id].exhibit.kind == "document"
    assert by_id[on_decision.id].exhibit.exhibit_no == on_decision.evidence.exhibit_no
    assert by_id[on_act.id].target == ("act", act.id)


def test_leaves_out_soft_deleted_records(session, make):
    official = make.official()
    live = make.involvement(official=official)
    gone = make.involvement(official=official)
    gone.decision.soft_delete("duplicate")
    kept = make.support(involvement=live)
    withdrawn = make.support(involvement=live)
    withdrawn.evidence.soft_delete("withdrawn")
    make.support(involvement=gone)
    make.support(decision=gone.decision)
    session.flush()
    facts = load_facts(session, official.id)
    assert [i.id for i in facts.involvements] == [live.id]
    assert [s.id for s in facts.supports] == [kept.id]
    official.soft_delete("merged")
    session.flush()
    assert load_facts(session, official.id) is None
    assert load_many_facts(session, [official.id]) == {}


def test_missing_official_and_no_facts(session, make):
    assert load_facts(session, 987654) is None
    bare = make.official()
    facts = load_facts(session, bare.id)
    assert facts is not None and facts.tenures == () and facts.involvements == () and facts.supports == ()


def test_many_officials_in_the_order_asked_each_with_its_own_facts(session, make):
    first, second, deleted = make.official(), make.official(), make.official()
    deleted.soft_delete()
    dossier(make, 2, official=first)
    dossier(make, 1, official=second)
    shared = session.scalars(select(AggressionAct).where(AggressionAct.title == f"Act of official {first.id}")).one()
    second_decision = make.decision(acts=[shared])
    make.involvement(official=second, decision=second_decision)
    session.expire_all()
    facts = load_many_facts(session, [second.id, deleted.id, first.id, second.id])
    assert list(facts) == [second.id, first.id]
    assert len(facts[first.id].involvements) == 2 and len(facts[second.id].involvements) == 2
    own_targets = {("involvement", i.id) for i in facts[first.id].involvements}
    assert not own_targets & {s.target for s in facts[second.id].supports}
    # the act's support is on the facts of both officials
    act_support = next(s for s in facts[first.id].supports if s.target == ("act", shared.id))
    assert act_support in facts[second.id].supports
    assert facts[first.id] == load_facts(session, first.id)


def test_query_count_does_not_grow_with_involvements_or_supports(session, make, count_queries):
    small, large = dossier(make, 1), dossier(make, 30)
    with count_queries() as one:
        facts_small = load_facts(session, small)
    with count_queries() as thirty:
        facts_large = load_facts(session, large)
    assert len(facts_small.involvements) == 1 and len(facts_large.involvements) == 30
    assert len(facts_large.supports) == 2 + 3 + 3 * 30  # tenure and act, its three assessments, per involvement 3
    assert one.count == thirty.count == 7, (
        thirty.statements
    )  # names, tenures, act assessments, acts, involvements, act digests, supports


def test_query_count_does_not_grow_with_officials(session, make, count_queries):
    officials = [dossier(make, 3) for _ in range(10)]
    with count_queries() as one:
        load_many_facts(session, officials[:1])
    with count_queries() as ten:
        facts = load_many_facts(session, officials)
    assert len(facts) == 10 and one.count == ten.count == 7


def test_a_loaded_dossier_is_assessed_end_to_end(session, make):
    facts = load_facts(session, dossier(make, 2))
    public = assess_dossier(facts, visible=("public",), scope_start=SCOPE, today=TODAY)
    assert public.complete and not public.review and public.withheld_count == 2
    cleared = assess_dossier(facts, visible=CLASSIFICATIONS, scope_start=SCOPE, today=TODAY)
    assert cleared.complete and cleared.review and cleared.withheld_count == 0


# --- the demo data set ----------------------------------------------------------------------


@pytest.fixture
def demo_assessments(session, demo):
    ids = session.scalars(select(Official.id).where(Official.deleted_at.is_(None)).order_by(Official.id)).all()
    facts = load_many_facts(session, ids)
    return {
        f.official_name: assess_dossier(f, visible=CLASSIFICATIONS, scope_start=SCOPE, today=TODAY)
        for f in facts.values()
    }


def test_demo_data_holds_complete_dossiers_and_dossiers_with_gaps(demo_assessments):
    complete = [name for name, a in demo_assessments.items() if a.complete]
    with_gaps = [name for name, a in demo_assessments.items() if a.gaps]
    assert complete, {n: [g.text for g in a.gaps] for n, a in demo_assessments.items()}
    assert with_gaps
    assert all(0 <= a.score <= 100 for a in demo_assessments.values())
    assert all(a.gaps == () for name, a in demo_assessments.items() if name in complete)


def test_demo_data_flags_the_troika(demo_assessments):
    sitting = {name for name, a in demo_assessments.items() if a.troika}
    assert "Vladimir Vladimirovich Putin" in sitting or any("Putin" in name for name in sitting)


def test_a_shared_act_is_read_through_its_digest(session, make):
    """An act with many exhibits: the dossier reads the strongest twelve of each stance and
    classification, and the totals, whatever the number."""
    from services.facts import act_evidence

    official = make.official()
    decision = make.decision()
    make.involvement(official=official, decision=decision)
    act = AggressionAct(title="Shared act")
    act.start = PartialDate.parse("2022-02-24")
    session.add(act)
    decision.acts.append(act)
    session.flush()
    grades = ["A", "B", "C", "D", "E", "F"]
    for n in range(40):
        exhibit = make.evidence(reliability=grades[n % 6], classification="public" if n % 4 else "confidential")
        make.support(evidence=exhibit, act_id=act.id, stance="contradicts" if n % 10 == 0 else "supports")
    facts = load_facts(session, official.id)
    on_act = [s for s in facts.supports if s.target == ("act", act.id)]
    assert len(on_act) <= act_evidence.SAMPLE * 4
    public_supporting = [s for s in on_act if s.exhibit.classification == "public" and s.stance == "supports"]
    assert len(public_supporting) == act_evidence.SAMPLE
    assert {s.exhibit.reliability for s in public_supporting} <= {"A", "B", "C"}  # the strongest first
    totals = {(t.stance, t.classification): t.count for t in facts.act_totals}
    assert sum(totals.values()) == 40
    public = assess_dossier(facts, visible=("public",), scope_start=dt.date(2014, 2, 20), today=dt.date(2026, 1, 1))
    hidden = totals.get(("supports", "confidential"), 0) + totals.get(("contradicts", "confidential"), 0)
    assert public.withheld_count == hidden == 10
    assert public.element("E3").status == "met"


def test_act_digest_follows_deletion_and_reclassification(session, make):
    from models import ActEvidenceDigest

    act = AggressionAct(title="Digest act")
    act.start = PartialDate.parse("2022-02-24")
    session.add(act)
    session.flush()
    exhibit = make.evidence(classification="public")
    make.support(evidence=exhibit, act_id=act.id)

    def digest():
        rows = session.scalars(select(ActEvidenceDigest).where(ActEvidenceDigest.act_id == act.id))
        return {(r.stance, r.classification): r.support_count for r in rows}

    assert digest() == {("supports", "public"): 1}
    exhibit.classification = "restricted"
    session.flush()
    assert digest() == {("supports", "restricted"): 1}
    exhibit.soft_delete("wrong")
    session.flush()
    assert digest() == {}
