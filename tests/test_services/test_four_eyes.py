"""Four eyes on grades (issue 25 item 5): an exhibit graded A-C proves a leadership or conduct
fact only once a second analyst confirms the link, when the setting is on; off, nothing changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from models import DossierSummary, Support
from services.assessment.elements import assess_dossier
from services.audit.trail import acting_as, pending
from services.dossiers.facts import load_facts
from services.dossiers.summaries import refresh
from services.evidence import confirmations
from services.evidence.exhibits import add_support

ALL = ("public", "restricted", "confidential", "strictly_confidential")
SCOPE = dt.date(2014, 2, 20)
TODAY = dt.date(2026, 12, 7)


class Case:
    """An official whose leadership post and signature are each proved by one exhibit graded A1,
    linked by ``author``; the act is proved too (its proof never waits for a confirmation)."""

    def __init__(self, make: Any, session: Any, author: Any, grade: str = "A") -> None:
        self.session = session
        self.official = make.official()
        position = make.position(tier="leadership")
        self.tenure = make.tenure(official=self.official, position=position)
        self.decision = make.linked_decision(position.institution.state, institution=position.institution)
        self.involvement = make.involvement(official=self.official, decision=self.decision)
        with acting_as(author):
            self.decree = make.evidence(title="The decree", reliability=grade, credibility="1")
            self.on_tenure = add_support(
                session, self.decree, "tenure", self.tenure.id, stance="supports", pinpoint=None, note=None
            )
            self.on_involvement = add_support(
                session, self.decree, "involvement", self.involvement.id, stance="supports", pinpoint=None, note=None
            )
            act = self.decision.acts[0]
            add_support(session, self.decree, "act", act.id, stance="supports", pinpoint=None, note=None)

    def assess(self, four_eyes: bool, visible: tuple[str, ...] = ALL) -> Any:
        self.session.flush()
        facts = load_facts(self.session, self.official.id)
        return assess_dossier(facts, visible=visible, scope_start=SCOPE, today=TODAY, four_eyes=four_eyes)


@pytest.fixture
def author(make_user):
    return make_user("analyst")


@pytest.fixture
def second(make_user):
    return make_user("analyst")


@pytest.fixture
def case(make, session, author):
    return Case(make, session, author)


@pytest.fixture
def rule_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "FOUR_EYES_GRADES", True)


def statuses(assessment: Any) -> dict[str, str]:
    return {e.code: e.status for e in assessment.elements}


def test_the_rule_is_off_by_default(app):
    assert app.config["FOUR_EYES_GRADES"] is False


def test_rule_off_keeps_todays_outcome_exactly(case):
    """Off, the assessment is the same whatever the confirmations: E1 and E2 met on the A1 decree."""
    off = case.assess(False)
    assert statuses(off)["E1"] == "met" and statuses(off)["E2"] == "met"
    assert not any(g.action == "confirm" for g in off.gaps)
    assert not any(r.awaiting_confirmation for e in off.elements for r in e.exhibits)
    assert "second-analyst" not in " ".join(e.reason for e in off.elements)
    # a confirmation recorded meanwhile changes nothing either
    case.on_tenure.confirmed_by_id = case.on_tenure.linked_by_id
    case.on_tenure.confirmed_at = dt.datetime.now(dt.UTC)
    again = case.assess(False)
    assert (again.elements, again.gaps, again.score) == (off.elements, off.gaps, off.score)


def test_rule_on_an_unconfirmed_a_grade_is_partial_and_says_why(case):
    on = case.assess(True)
    assert statuses(on)["E1"] == "partial" and statuses(on)["E2"] == "partial"
    assert statuses(on)["E3"] == "met"  # acts are neither leadership nor conduct
    e1, e2 = on.element("E1"), on.element("E2")
    assert f"Awaiting second-analyst confirmation: {case.decree.exhibit_no}." in e1.reason
    assert f"Awaiting second-analyst confirmation: {case.decree.exhibit_no}." in e2.reason
    confirm_gaps = {g.target: g for g in on.gaps if g.action == "confirm"}
    assert set(confirm_gaps) == {("support", case.on_tenure.id), ("support", case.on_involvement.id)}
    assert all("is awaiting second-analyst confirmation" in g.text for g in confirm_gaps.values())
    assert on.score < case.assess(False).score


def test_a_confirmation_by_a_second_analyst_proves_the_fact(case, session, second):
    confirmations.confirm_support(session, case.on_tenure, second, rule=True)
    on = case.assess(True)
    assert statuses(on)["E2"] == "met" and statuses(on)["E1"] == "partial"
    confirmations.confirm_support(session, case.on_involvement, second, rule=True)
    assert statuses(case.assess(True)) == statuses(case.assess(False))


def test_the_grader_or_the_linker_cannot_confirm(case, session, author, make_user):
    with pytest.raises(confirmations.ConfirmationRefused, match="a second analyst, not you") as refused:
        confirmations.confirm_support(session, case.on_tenure, author, rule=True)
    assert refused.value.status == 403
    # someone else linked it: its grader still may not confirm
    linker = make_user("analyst")
    with acting_as(linker):
        case.on_tenure.pinpoint = "Art. 1"
        session.flush()
    assert case.on_tenure.linked_by_id == linker.id and case.decree.graded_by_id == author.id
    for first in (author, linker):
        with pytest.raises(confirmations.ConfirmationRefused):
            confirmations.confirm_support(session, case.on_tenure, first, rule=True)
    assert case.on_tenure.confirmed_by_id is None


def test_viewers_cannot_confirm_and_the_rule_must_be_on(case, session, make_user, second):
    with pytest.raises(confirmations.ConfirmationRefused) as refused:
        confirmations.confirm_support(session, case.on_tenure, make_user("viewer"), rule=True)
    assert refused.value.status == 403
    with pytest.raises(confirmations.ConfirmationRefused, match="turned off"):
        confirmations.confirm_support(session, case.on_tenure, second, rule=False)


def test_links_that_need_no_confirmation_are_refused(make, session, author, second):
    weak = Case(make, session, author, grade="D")
    with pytest.raises(confirmations.ConfirmationRefused, match="needs no confirmation"):
        confirmations.confirm_support(session, weak.on_tenure, second, rule=True)
    act_link = session.scalars(select(Support).where(Support.act_id.is_not(None))).first()
    assert not confirmations.needs_confirmation(act_link)


def test_a_regrade_clears_every_confirmation_of_the_exhibit_and_records_the_new_grader(case, session, second):
    for support in (case.on_tenure, case.on_involvement):
        confirmations.confirm_support(session, support, second, rule=True)
    with acting_as(second):
        case.decree.reliability = "B"
        session.flush()
    assert case.on_tenure.confirmed_by_id is None and case.on_involvement.confirmed_by_id is None
    assert case.decree.graded_by_id == second.id
    assert statuses(case.assess(True))["E2"] == "partial"


def test_saving_the_same_grade_or_the_same_link_keeps_the_confirmation(case, session, second, make_user):
    confirmations.confirm_support(session, case.on_tenure, second, rule=True)
    with acting_as(make_user("analyst")):
        case.decree.reliability, case.decree.title = "A", "The decree, certified copy"
        case.on_tenure.stance = "supports"
        session.flush()
    assert case.on_tenure.confirmed_by_id == second.id


def test_changing_the_link_clears_its_confirmation(case, session, second, make_user):
    confirmations.confirm_support(session, case.on_tenure, second, rule=True)
    editor = make_user("analyst")
    with acting_as(editor):
        case.on_tenure.note = "Read again"
        session.flush()
    assert case.on_tenure.confirmed_by_id is None and case.on_tenure.confirmed_at is None
    assert case.on_tenure.linked_by_id == editor.id
    with pytest.raises(confirmations.ConfirmationRefused):
        confirmations.confirm_support(session, case.on_tenure, editor, rule=True)
    confirmations.confirm_support(session, case.on_tenure, second, rule=True)  # the original author's grade aside
    with pytest.raises(confirmations.ConfirmationRefused, match="already confirmed"):
        confirmations.confirm_support(session, case.on_tenure, make_user("prosecutor"), rule=True)


def test_a_confirmation_is_audited_with_who_confirmed(case, session, second):
    with acting_as(second):
        confirmations.confirm_support(session, case.on_tenure, second, rule=True)
    events = [e for e in pending(session) if e["entity_type"] == "support" and e["entity_id"] == case.on_tenure.id]
    last = events[-1]
    assert last["action"] == "update" and last["actor_id"] == second.id
    assert last["before"]["confirmed_by_id"] is None and last["after"]["confirmed_by_id"] == second.id


def test_stored_summaries_follow_confirmations_and_the_setting(app, case, session, second, rule_on):
    def e2() -> str:
        row = session.scalars(
            select(DossierSummary).where(
                DossierSummary.official_id == case.official.id, DossierSummary.clearance == "public"
            )
        ).one()
        session.refresh(row)
        return row.e2

    with app.app_context():  # the setting is the app's
        refresh(session, [case.official.id])
        assert e2() == "partial"
        confirmations.confirm_support(session, case.on_tenure, second, rule=True)
        assert e2() == "met"  # the flush that confirmed recomputed the summary
        with acting_as(second):
            case.decree.credibility = "2"  # a regrade: awaiting again
            session.flush()
        assert e2() == "partial"


def test_stored_summaries_without_the_rule_are_todays(case, session):
    refresh(session, [case.official.id])
    row = session.scalars(
        select(DossierSummary).where(
            DossierSummary.official_id == case.official.id, DossierSummary.clearance == "public"
        )
    ).one()
    assert row.e2 == "met" and row.e1 == "met"


def test_a_hidden_exhibit_awaiting_confirmation_is_only_withheld(make, session, author):
    secret = Case(make, session, author)
    secret.decree.classification = "confidential"
    on = secret.assess(True, visible=("public",))
    assert not any(g.action == "confirm" for g in on.gaps)
    assert secret.decree.exhibit_no not in " ".join([e.reason for e in on.elements] + [g.text for g in on.gaps])
