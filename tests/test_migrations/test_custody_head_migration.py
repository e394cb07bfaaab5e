"""Revision 0005 (evidence store, custody chain, fixity runs): every chain recorded before gets
its head -- its length and its newest event's hash -- and an item without events gets none;
derivatives recorded before get the derivation "other", original files none; events and files
are otherwise copied unchanged. The downgrade drops the heads and the new columns and gives
back the rows as they were. A database holding the same bytes twice on one exhibit cannot take
the new uniqueness: the upgrade refuses it and leaves nothing half-done."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from tests.test_migrations.data import NOW, exhibit, rows, without


def _hash(n: int) -> str:
    return f"{n:064x}"


def _event(event_id: int, evidence_id: int, previous: int | None, **extra) -> dict:
    return {
        "id": event_id,
        "evidence_id": evidence_id,
        "event_type": "received" if previous is None else "transferred",
        "actor_id": None,
        "actor_name": "Registry",
        "occurred_at": NOW + dt.timedelta(minutes=event_id),
        "from_party": None,
        "to_party": None,
        "location": None,
        "purpose": None,
        "verified_sha256": None,
        "prev_hash": None if previous is None else _hash(previous),
        "event_hash": _hash(event_id),
        **extra,
    }


def _file(file_id: int, evidence_id: int, sha: int, parent: int | None = None, note: str | None = None) -> dict:
    return {
        "id": file_id,
        "evidence_id": evidence_id,
        "sha256": _hash(sha),
        "size": 100 * file_id,
        "media_type": "application/pdf",
        "original_name": None if file_id == 3 else f"file-{file_id}.pdf",
        "parent_id": parent,
        "derivation_note": note,
        "created_at": NOW,
    }


def _load(runner) -> None:
    runner.insert_into("evidence", [exhibit(n) for n in (1, 2, 3, 4)])
    # Exhibit 1: three events, interleaved with exhibit 2's two (the newest is the highest id,
    # not the last inserted); exhibit 3: one; exhibit 4: none.
    runner.insert_into(
        "custody_event",
        [
            _event(1, 1, None, purpose="intake", location="Kyiv"),
            _event(3, 2, None),
            _event(2, 1, 1, to_party="OPG"),
            _event(4, 2, 3, verified_sha256=_hash(99)),
            _event(5, 1, 2, from_party="OPG", to_party="ICPA"),
            _event(6, 3, None),
        ],
    )
    runner.insert_into(
        "evidence_file",
        [
            _file(1, 1, 11),
            _file(2, 1, 12, parent=1, note="English translation"),
            _file(3, 2, 13),
            _file(4, 2, 14, parent=3),
            _file(5, 3, 11),  # the same bytes as file 1, on another exhibit: allowed
        ],
    )


def test_chains_get_their_heads_and_derivatives_their_derivation(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0004")
    _load(alembic_runner)
    events, files = rows(alembic_engine, "custody_event"), rows(alembic_engine, "evidence_file")

    alembic_runner.migrate_up_to("0005")
    heads = rows(alembic_engine, "custody_head", order="evidence_id")
    assert [(h["evidence_id"], h["event_count"], h["head_hash"]) for h in heads] == [
        (1, 3, _hash(5)),
        (2, 2, _hash(4)),
        (3, 1, _hash(6)),
    ]
    upgraded_events = rows(alembic_engine, "custody_event")
    assert without(upgraded_events, "evidence_file_id") == events
    assert {e["evidence_file_id"] for e in upgraded_events} == {None}
    upgraded_files = rows(alembic_engine, "evidence_file")
    assert without(upgraded_files, "derivation", "uploaded_by_id") == files
    assert [(f["id"], f["derivation"], f["uploaded_by_id"]) for f in upgraded_files] == [
        (1, None, None),
        (2, "other", None),
        (3, None, None),
        (4, "other", None),
        (5, None, None),
    ]

    alembic_runner.migrate_down_one()
    assert "custody_head" not in inspect(alembic_engine).get_table_names()
    assert rows(alembic_engine, "custody_event") == events
    assert rows(alembic_engine, "evidence_file") == files


def test_the_same_bytes_twice_on_one_exhibit_stop_the_upgrade_whole(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0004")
    _load(alembic_runner)
    alembic_runner.insert_into("evidence_file", _file(6, 1, 11))  # file 1's bytes again on exhibit 1
    with pytest.raises(IntegrityError):
        alembic_runner.migrate_up_to("0005")
    assert alembic_runner.current == "0004"
    tables = inspect(alembic_engine).get_table_names()
    assert "custody_head" not in tables and "fixity_run" not in tables
    assert "derivation" not in {c["name"] for c in inspect(alembic_engine).get_columns("evidence_file")}
