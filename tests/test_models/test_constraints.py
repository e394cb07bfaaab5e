"""What the database itself refuses, on SQLite and PostgreSQL alike.

Each test writes through the ORM without any Python-side validation in the way, so a
refusal can only come from the database.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from models import AuditEvent, CustodyEvent, Decision, Evidence, ExternalIdentifier, Official, PartialDate, Support


def refused(session, make_row):
    """Assert that flushing what ``make_row`` builds is refused by the database."""
    with pytest.raises(IntegrityError), session.begin_nested():
        row = make_row()
        if row is not None:
            session.add(row)
        session.flush()


def test_foreign_keys_are_enforced(session, make):
    refused(session, lambda: Official(name="Nobody", state_id=999_999))


@pytest.mark.parametrize(
    ("factory", "field", "bad"),
    [
        ("state", "role", "bystander"),
        ("institution", "kind", "club"),
        ("position", "tier", "junior"),
        ("position", "troika", "king"),
        ("official", "native_script", "Grek"),
        ("decision", "kind", "economic"),
        ("decision", "stage", "aftermath"),
        ("involvement", "role", "watched"),
        ("evidence", "classification", "top_secret"),
        ("evidence", "reliability", "G"),
        ("evidence", "credibility", "7"),
        ("evidence", "kind", "rumour"),
    ],
)
def test_bad_enumeration_value_is_refused(session, make, factory, field, bad):
    row = getattr(make, factory)()
    refused(session, lambda: setattr(row, field, bad))


def test_tenure_ending_before_it_starts_is_refused(session, make):
    tenure = make.tenure(start="2020-05-01")
    refused(session, lambda: setattr(tenure, "end", PartialDate.parse("2019-12-31")))


def test_act_ending_before_it_starts_is_refused(session, make):
    from models import AggressionAct

    def bad_act():
        act = AggressionAct(title="Backwards")
        act.start = PartialDate.parse("2022-02-24")
        act.end = PartialDate.parse("2022-02-23")
        return act

    refused(session, bad_act)


def test_partial_date_must_be_stored_as_first_day(session, make):
    tenure = make.tenure(start="2020-05-15")
    # month precision on a mid-month day
    refused(session, lambda: setattr(tenure, "start_date_precision", "month"))


def test_partial_date_precision_must_accompany_the_date(session, make):
    tenure = make.tenure(start="2020")
    refused(session, lambda: setattr(tenure, "end_date", dt.date(2021, 1, 1)))


def test_duplicate_involvement_is_refused(session, make):
    involvement = make.involvement(role="signed")
    refused(
        session, lambda: make.involvement(official=involvement.official, decision=involvement.decision, role="signed")
    )


def test_same_official_may_hold_several_roles_in_one_decision(session, make):
    first = make.involvement(role="signed")
    second = make.involvement(official=first.official, decision=first.decision, role="voted_for")
    assert second.id != first.id


def test_support_with_two_targets_is_refused(session, make):
    tenure, decision = make.tenure(), make.decision()
    evidence = make.evidence()
    refused(
        session, lambda: Support(evidence=evidence, stance="supports", tenure_id=tenure.id, decision_id=decision.id)
    )


def test_support_without_target_is_refused(session, make):
    evidence = make.evidence()
    refused(session, lambda: Support(evidence=evidence, stance="supports"))


def test_support_stance_is_checked(session, make):
    decision = make.decision()
    refused(session, lambda: make.support(decision_id=decision.id, stance="maybe"))


@pytest.mark.parametrize("fact", ["tenure", "involvement", "decision", "act"])
def test_an_exhibit_supports_or_contradicts_a_fact_never_both(session, make, fact):
    build = {"tenure": make.tenure, "involvement": make.involvement, "decision": make.decision, "act": make.act}[fact]
    record = build()
    evidence = make.evidence()
    make.support(evidence=evidence, stance="supports", **{fact: record})
    refused(session, lambda: Support(evidence=evidence, stance="contradicts", **{fact: record}))
    refused(session, lambda: Support(evidence=evidence, stance="supports", pinpoint="p. 2", **{fact: record}))
    other = build()
    make.support(evidence=evidence, stance="contradicts", **{fact: other})  # another fact: fine
    make.support(stance="contradicts", **{fact: record})  # another exhibit: fine


def test_duplicate_exhibit_number_is_refused(session, make):
    make.evidence(exhibit_no="P-0001")
    refused(session, lambda: make.evidence(exhibit_no="P-0001"))


def test_duplicate_external_identifier_is_refused(session, make):
    first, second = make.official(), make.official()
    session.add(ExternalIdentifier(official=first, scheme="ofac_sdn", value="35173"))
    session.flush()
    refused(session, lambda: ExternalIdentifier(official=second, scheme="ofac_sdn", value="35173"))


@pytest.mark.parametrize("model", [Official, Decision, Evidence])
def test_case_records_cannot_be_deleted(session, make, model):
    factory = {Official: make.official, Decision: make.decision, Evidence: make.evidence}[model]
    row = factory()
    refused(session, lambda: session.execute(model.__table__.delete().where(model.id == row.id)))


def test_soft_delete_marks_the_record(session, make):
    official = make.official()
    official.soft_delete()
    session.flush()
    assert official.is_deleted
    assert official.deleted_at.tzinfo is not None


def _custody_event(evidence):
    return CustodyEvent(evidence=evidence, event_type="received", actor_name="Registry", event_hash="a" * 64)


@pytest.mark.parametrize("model", [CustodyEvent, AuditEvent])
def test_logs_are_append_only(session, make, model):
    if model is CustodyEvent:
        row = _custody_event(make.evidence())
    else:
        row = AuditEvent(action="create", entity_type="official", entity_id=1, after={"name": "X"}, event_hash="c" * 64)
    session.add(row)
    session.flush()
    column = model.__table__.c.id
    refused(session, lambda: session.execute(update(model).where(column == row.id).values(id=row.id)))
    refused(session, lambda: session.execute(model.__table__.delete().where(column == row.id)))


def test_custody_event_type_is_checked(session, make):
    evidence = make.evidence()
    refused(session, lambda: CustodyEvent(evidence=evidence, event_type="lost", actor_name="x", event_hash="b" * 64))


def test_stale_update_is_refused(app, session, make):
    """Two editors load version 1; the second save, made from a stale copy, must fail."""
    official = make.official(name="Original")
    assert official.version == 1
    # Another editor saves first: the row moves to version 2 behind this session's back.
    session.execute(text("UPDATE official SET name = 'Theirs', version = 2 WHERE id = :id"), {"id": official.id})
    official.name = "Mine"
    with pytest.raises(StaleDataError), session.begin_nested():
        session.flush()


def test_version_increments_on_each_save(session, make):
    official = make.official()
    official.name = "Renamed"
    session.flush()
    assert official.version == 2


def test_timestamps_are_timezone_aware_utc(session, make):
    official = make.official()
    session.expire(official)
    assert official.created_at.tzinfo is not None
    assert official.created_at.utcoffset() == dt.timedelta(0)


def test_naive_timestamp_is_refused(session, make):
    official = make.official()
    official.deleted_at = dt.datetime(2022, 2, 24, 5, 0)  # no zone
    with pytest.raises(Exception, match="timezone-aware"):
        session.flush()
    session.rollback()
