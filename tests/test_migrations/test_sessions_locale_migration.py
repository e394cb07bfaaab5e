"""Revision 0003 (sign-in sessions, locale, deletion reasons, audit parents): on SQLite the batch
operations rebuild users, official, decision, evidence and audit_event by copying their rows.
Every row comes through the upgrade unchanged, with the new columns empty (a deleted record
has no recorded reason: none was asked for), and through the downgrade exactly as it was."""

from __future__ import annotations

import datetime as dt

from tests.test_migrations.data import NOW, STAMPS, exhibit, rows, without

NEW_COLUMNS = {
    "users": ("locale", "password_changed_at"),
    "official": ("deletion_reason",),
    "decision": ("deletion_reason",),
    "evidence": ("deletion_reason",),
    "audit_event": ("parent_type", "parent_id"),
}


def _load(runner) -> None:
    user = {"password_hash": "$argon2id$v=19$x", **STAMPS}
    runner.insert_into(
        "users",
        [
            {"id": 1, "email": "admin@example.org", "name": "Адміністратор", "role": "admin", "active": True}
            | {"clearance": "strictly_confidential"}
            | user,
            {"id": 2, "email": "viewer@example.org", "name": None, "role": "viewer", "active": False}
            | {"clearance": "public"}
            | user,
        ],
    )
    runner.insert_into("state", {"id": 1, "code": "BY", "name": "Belarus", "role": "co_aggressor_territory", **STAMPS})
    official = {"state_id": 1, **STAMPS}
    runner.insert_into(
        "official",
        [
            {"id": 1, "name": "Alexander Lukashenko", "native_name": "Аляксандр Лукашэнка", "native_script": "Cyrl"}
            | {"birth_date": dt.date(1954, 8, 30), "birth_date_precision": "day", "gender": "male"}
            | official,
            {"id": 2, "name": "Removed", "notes": "entered twice", "deleted_at": NOW} | official,
        ],
    )
    runner.insert_into(
        "institution", {"id": 1, "state_id": 1, "name": "President", "kind": "head_of_state_office", **STAMPS}
    )
    decision = {"kind": "military", "institution_id": 1, **STAMPS}
    runner.insert_into(
        "decision",
        [
            {"id": 1, "title": "Allied Resolve", "date": dt.date(2022, 2, 1), "date_precision": "month"} | decision,
            {"id": 2, "title": "Draft", "date": dt.date(2022, 1, 1), "date_precision": "year", "deleted_at": NOW}
            | decision,
        ],
    )
    runner.insert_into(
        "evidence", [exhibit(1, summary="Lukashenko, 27 Feb 2022", language="ru"), exhibit(2, deleted_at=NOW)]
    )
    runner.insert_into(
        "audit_event",
        [
            {"id": 1, "occurred_at": NOW, "actor_id": 1, "actor_name": "admin@example.org", "action": "create"}
            | {"entity_type": "official", "entity_id": 1, "before": None, "after": {"name": "Лукашэнка", "n": 1.5}},
            {"id": 2, "occurred_at": NOW, "actor_id": None, "actor_name": None, "action": "login"}
            | {"entity_type": "user", "entity_id": None, "before": None, "after": None},
        ],
    )


def test_rebuilt_tables_keep_every_row_both_ways(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0002")
    _load(alembic_runner)
    before = {table: rows(alembic_engine, table) for table in NEW_COLUMNS}
    assert all(len(records) == 2 for records in before.values())

    alembic_runner.migrate_up_to("0003")
    for table, columns in NEW_COLUMNS.items():
        upgraded = rows(alembic_engine, table)
        assert without(upgraded, *columns) == before[table], table
        assert {row[c] for row in upgraded for c in columns} == {None}, table

    alembic_runner.migrate_down_one()
    assert {table: rows(alembic_engine, table) for table in NEW_COLUMNS} == before
