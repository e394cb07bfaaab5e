"""Revision 0037 (the disclosure register): custody events are copied unchanged through the
rebuild that lets event_type be "disclosed", the chain's partial unique indexes and append-only
triggers survive it, exhibits get no originator and need no consent; the new tables hold their
rules. The downgrade gives the rows back as they were, and refuses -- changing nothing -- while a
custody event "disclosed" exists."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from tests.test_migrations.data import NOW, STAMPS, exhibit, rows, without


def _hash(n: int) -> str:
    return f"{n:064x}"


def _event(event_id: int, evidence_id: int, previous: int | None, event_type: str = "received") -> dict:
    return {
        "id": event_id,
        "evidence_id": evidence_id,
        "event_type": event_type,
        "actor_id": None,
        "actor_name": "Registry",
        "occurred_at": NOW + dt.timedelta(minutes=event_id),
        "from_party": None,
        "to_party": "OPG" if event_id % 2 else None,
        "location": None,
        "purpose": f"event {event_id}",
        "evidence_file_id": None,
        "verified_sha256": None,
        "prev_hash": None if previous is None else _hash(previous),
        "event_hash": _hash(event_id),
    }


def _load(runner) -> None:
    runner.insert_into("evidence", [exhibit(1), exhibit(2, classification="confidential")])
    runner.insert_into("custody_event", [_event(1, 1, None), _event(2, 2, None), _event(3, 1, 1, "transferred")])
    runner.insert_into(
        "users",
        {"id": 1, "email": "a@tribunal.test", "role": "analyst", "clearance": "public", "active": True, **STAMPS},
    )
    runner.insert_into(
        "users",
        {"id": 2, "email": "p@tribunal.test", "role": "prosecutor", "clearance": "public", "active": True, **STAMPS},
    )


def _refused(engine, sql: str) -> None:
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(sql))


def test_custody_rows_survive_and_take_the_disclosed_type(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0036")
    _load(alembic_runner)
    events, exhibits = rows(alembic_engine, "custody_event"), rows(alembic_engine, "evidence")
    _refused(alembic_engine, "UPDATE custody_event SET purpose = 'x' WHERE id = 1")

    alembic_runner.migrate_up_to("0037")
    assert rows(alembic_engine, "custody_event") == events
    upgraded = rows(alembic_engine, "evidence")
    assert without(upgraded, "originator", "originator_consent_required") == exhibits
    assert {(e["originator"], bool(e["originator_consent_required"])) for e in upgraded} == {(None, False)}
    # the chain still cannot fork, nor be edited, nor take an unknown type
    _refused(alembic_engine, "UPDATE custody_event SET purpose = 'x' WHERE id = 1")
    _refused(alembic_engine, "DELETE FROM custody_event WHERE id = 3")
    fork = {**_event(4, 1, 1, "copied"), "event_hash": _hash(4)}
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into("custody_event", fork)
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into("custody_event", _event(5, 2, 2, "shredded"))
    # the register's rules
    alembic_runner.insert_into("disclosure_recipient", {"id": 1, "kind": "defence", "name": "Team", **STAMPS})
    batch = {"id": 1, "recipient_id": 1, "batch_date": dt.date(2026, 12, 1), "basis": "Rule 77", "status": "draft"}
    alembic_runner.insert_into("disclosure_batch", {**batch, "prepared_by_id": 1, **STAMPS})
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into(
            "disclosure_batch",
            {
                **batch,
                "id": 2,
                "status": "approved",
                "prepared_by_id": 1,
                "approved_by_id": 1,
                "approved_at": NOW,
                **STAMPS,
            },
        )
    # a custody event "disclosed" is now possible, and then the downgrade refuses
    alembic_runner.insert_into("custody_event", _event(6, 2, 2, "disclosed"))
    with pytest.raises(RuntimeError, match="custody events record disclosures"):
        alembic_runner.migrate_down_one()
    assert "disclosure_batch" in inspect(alembic_engine).get_table_names()


def test_the_downgrade_gives_the_rows_back(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0036")
    _load(alembic_runner)
    events, exhibits = rows(alembic_engine, "custody_event"), rows(alembic_engine, "evidence")
    alembic_runner.migrate_up_to("0037")
    alembic_runner.migrate_down_one()
    assert rows(alembic_engine, "custody_event") == events
    assert rows(alembic_engine, "evidence") == exhibits
    tables = set(inspect(alembic_engine).get_table_names())
    assert not tables & {"disclosure_recipient", "disclosure_batch", "disclosure_item"}
    _refused(alembic_engine, "UPDATE custody_event SET purpose = 'x' WHERE id = 1")
    _refused(alembic_engine, "DELETE FROM evidence WHERE id = 1")
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into("custody_event", _event(6, 2, 2, "disclosed"))
