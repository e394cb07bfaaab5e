"""Revision 0022 (the clearance an export was made at): earlier exports, whose exporter's clearance
was not recorded, are taken as made at the highest one, listed only to their exporter and to
those cleared for everything; a downgrade drops the column."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from tests.test_migrations import data

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
EXPORT = {
    "created_at": NOW,
    "actor_name": "analyst@tribunal.test",
    "format": "csv",
    "sha256": "0" * 64,
    "size": 10,
    "highest_classification": "public",
    "exhibit_count": 1,
    "withheld_count": 0,
}


def test_earlier_exports_are_taken_as_made_at_the_highest_clearance(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0021")
    alembic_runner.insert_into("export", [{"id": 1, **EXPORT}, {"id": 2, **EXPORT, "format": "pdf"}])
    exports = data.rows(alembic_engine, "export")
    alembic_runner.migrate_up_one()
    assert data.without(data.rows(alembic_engine, "export"), "clearance") == exports
    with alembic_engine.connect() as conn:
        rows = conn.execute(text("SELECT id, clearance FROM export ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [(1, "strictly_confidential"), (2, "strictly_confidential")]
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into("export", {"id": 3, **EXPORT, "clearance": "secret"})
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into("export", {"id": 4, **EXPORT})  # NOT NULL
    with pytest.raises(IntegrityError), alembic_engine.begin() as conn:  # still append-only
        conn.execute(text("UPDATE export SET clearance = 'public'"))
    alembic_runner.migrate_down_one()
    assert "clearance" not in {c["name"] for c in inspect(alembic_engine).get_columns("export")}
    assert data.rows(alembic_engine, "export") == exports
    with pytest.raises(IntegrityError), alembic_engine.begin() as conn:
        conn.execute(text("DELETE FROM export"))
