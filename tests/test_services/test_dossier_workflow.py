"""The dossier workflow: who may change a case, which status may follow which, the log."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from models.enums import DOSSIER_STATUSES
from services.dossiers.workflow import TRANSITIONS, CaseInput, WorkflowError, apply_case, choose_modes, open_dossier


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
    recommend = case("recommended_for_indictment", lead=prosecutor.id, theory="Voted for", reason="E1-E6 met")
    apply_case(session, dossier, recommend, prosecutor)
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


def test_a_change_of_status_needs_a_reason_and_a_reason_needs_a_change(session, make, make_user):
    """A status could change with no reason, and a reason typed without a change was dropped."""
    prosecutor = make_user("prosecutor")
    dossier = open_dossier(session, make.official())
    for reason in (None, "", "   "):
        with pytest.raises(WorkflowError, match="Give the reason for changing the status to under review"):
            apply_case(session, dossier, case("under_review", reason=reason), prosecutor)
    with pytest.raises(WorkflowError, match="only with a change of status"):
        apply_case(session, dossier, case("candidate", reason="Looks strong", notes="kept?"), prosecutor)
    assert dossier.status == "candidate" and dossier.notes is None and dossier.status_changes == []
    change = apply_case(session, dossier, case("under_review", reason="  Leadership evidence in  "), prosecutor)
    assert change is not None and change.reason == "Leadership evidence in"


def test_the_lead_must_be_a_prosecutor(session, make, make_user):
    dossier = open_dossier(session, make.official())
    analyst = make_user("analyst")
    with pytest.raises(WorkflowError, match="lead"):
        apply_case(session, dossier, case("candidate", lead=analyst.id), make_user("prosecutor"))


def test_the_status_log_is_append_only(session, make, make_user):
    dossier = open_dossier(session, make.official())
    change = apply_case(session, dossier, case("under_review", reason="Leadership evidence"), make_user("prosecutor"))
    with pytest.raises(Exception, match="refused"), session.begin_nested():
        session.execute(text("UPDATE dossier_status_change SET to_status = 'closed' WHERE id = :id"), {"id": change.id})


def test_every_status_has_its_transitions():
    assert set(TRANSITIONS) == set(DOSSIER_STATUSES)
    assert all(set(targets) <= set(DOSSIER_STATUSES) for targets in TRANSITIONS.values())


# --- the modes of liability to charge ------------------------------------------------------------


def test_a_choice_of_modes_is_kept_with_its_reason_who_and_when(session, make, make_user):
    from services.audit import trail as audit

    prosecutor = make_user("prosecutor")
    dossier = open_dossier(session, make.official())
    version = dossier.version
    first = choose_modes(session, dossier, ["ordering", "co_perpetration"], "  Signed and ordered.  ", prosecutor)
    assert first.modes == ("co_perpetration", "ordering")  # in the order of Art. 25(3)
    assert (first.reason, first.chosen_by, first.dossier) == ("Signed and ordered.", prosecutor, dossier)
    assert first.chosen_at is not None and dossier.version == version + 1
    second = choose_modes(session, dossier, ["aiding"], "Only the territory is shown.", prosecutor)
    assert dossier.mode_choice is second and dossier.charged_modes == ("aiding",)
    assert [c.modes for c in dossier.mode_choices] == [("co_perpetration", "ordering"), ("aiding",)]
    withdrawn = choose_modes(session, dossier, [], "Evidence withdrawn.", prosecutor)
    assert dossier.mode_choice is withdrawn and dossier.charged_modes == ()
    events = [(e["entity_type"], e["action"], e["parent_id"]) for e in audit.pending(session)]
    assert events.count(("mode_choice", "create", dossier.id)) == 3
    assert events.count(("charged_mode", "create", first.id)) == 2


@pytest.mark.parametrize(
    ("modes", "reason", "message"),
    [
        (["ordering"], None, "Give the reason"),
        (["ordering"], "   ", "Give the reason"),
        (["superior_responsibility"], "A reason.", "Unknown mode of liability: superior_responsibility"),
        (["ordering", "Ordering"], "A reason.", "Unknown mode of liability: Ordering"),
        ([], "A reason.", "Choose at least one mode"),
    ],
)
def test_a_choice_without_a_reason_or_with_an_unknown_mode_is_refused(session, make, make_user, modes, reason, message):
    dossier = open_dossier(session, make.official())
    with pytest.raises(WorkflowError, match=message):
        choose_modes(session, dossier, modes, reason, make_user("prosecutor"))
    assert dossier.mode_choices == []


def test_the_same_choice_twice_is_refused(session, make, make_user):
    prosecutor = make_user("prosecutor")
    dossier = open_dossier(session, make.official())
    choose_modes(session, dossier, ["aiding"], "Allowed the territory.", prosecutor)
    with pytest.raises(WorkflowError, match="already"):
        choose_modes(session, dossier, ["aiding"], "Again.", prosecutor)


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_only_prosecutors_choose_modes(session, make, make_user, role):
    dossier = open_dossier(session, make.official())
    with pytest.raises(WorkflowError, match="Only prosecutors"):
        choose_modes(session, dossier, ["ordering"], "A reason.", make_user(role))


def test_choices_are_append_only(session, make, make_user):
    dossier = open_dossier(session, make.official())
    choice = choose_modes(session, dossier, ["ordering"], "Ordered it.", make_user("prosecutor"))
    with pytest.raises(Exception, match="refused"), session.begin_nested():
        session.execute(text("UPDATE mode_choice SET reason = 'x' WHERE id = :id"), {"id": choice.id})
    with pytest.raises(Exception, match="refused"), session.begin_nested():
        session.execute(text("DELETE FROM charged_mode WHERE choice_id = :id"), {"id": choice.id})
