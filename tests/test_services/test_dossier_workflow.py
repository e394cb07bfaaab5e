"""The dossier workflow: who may change a case, which status may follow which, the log."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from models.enums import DOSSIER_STATUSES
from services.dossier_workflow import TRANSITIONS, CaseInput, WorkflowError, apply_case, open_dossier


def case(status: str, **kw) -> CaseInput:
    return CaseInput(
        status=status,
        lead_prosecutor_id=kw.get("lead"),
        theory=kw.get("theory"),
        notes=kw.get("notes"),
        reason=kw.get("reason"),
    )


def test_a_dossier_opens_as_a_candidate_once(session, make):
    official = make.official()
    first = open_dossier(session, official)
    assert first.status == "candidate"
    assert open_dossier(session, official) is first


def test_each_status_change_is_logged_with_who_and_when(session, make, make_user):
    prosecutor = make_user("prosecutor")
    dossier = open_dossier(session, make.official())
    apply_case(session, dossier, case("under_review", reason="E1 evidence received"), prosecutor)
    apply_case(session, dossier, case("recommended_for_indictment", lead=prosecutor.id, theory="Voted for"), prosecutor)
    assert dossier.status == "recommended_for_indictment"
    assert dossier.lead_prosecutor == prosecutor and dossier.theory == "Voted for"
    log = [(c.from_status, c.to_status, c.changed_by) for c in dossier.status_changes]
    assert log == [
        ("candidate", "under_review", prosecutor),
        ("under_review", "recommended_for_indictment", prosecutor),
    ]
    assert dossier.status_changes[0].reason == "E1 evidence received"
    assert all(c.changed_at is not None for c in dossier.status_changes)


def test_notes_alone_log_no_status_change(session, make, make_user):
    prosecutor = make_user("prosecutor")
    dossier = open_dossier(session, make.official())
    assert apply_case(session, dossier, case("candidate", notes="Check Duma roll-call"), prosecutor) is None
    assert dossier.notes == "Check Duma roll-call" and dossier.status_changes == []


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_only_prosecutors_change_a_dossier(session, make, make_user, role):
    dossier = open_dossier(session, make.official())
    with pytest.raises(WorkflowError):
        apply_case(session, dossier, case("under_review"), make_user(role))
    assert dossier.status == "candidate"


def test_a_candidate_cannot_jump_to_a_recommendation(session, make, make_user):
    dossier = open_dossier(session, make.official())
    with pytest.raises(WorkflowError, match="cannot go"):
        apply_case(session, dossier, case("recommended_for_indictment"), make_user("prosecutor"))


def test_the_lead_must_be_a_prosecutor(session, make, make_user):
    dossier = open_dossier(session, make.official())
    analyst = make_user("analyst")
    with pytest.raises(WorkflowError, match="lead"):
        apply_case(session, dossier, case("candidate", lead=analyst.id), make_user("prosecutor"))


def test_the_status_log_is_append_only(session, make, make_user):
    dossier = open_dossier(session, make.official())
    change = apply_case(session, dossier, case("under_review"), make_user("prosecutor"))
    with pytest.raises(Exception, match="refused"), session.begin_nested():
        session.execute(text("UPDATE dossier_status_change SET to_status = 'closed' WHERE id = :id"), {"id": change.id})


def test_every_status_has_its_transitions():
    assert set(TRANSITIONS) == set(DOSSIER_STATUSES)
    assert all(set(targets) <= set(DOSSIER_STATUSES) for targets in TRANSITIONS.values())
