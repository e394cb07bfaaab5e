"""Revision 0040: a notification may tell of a watched saved search's new results and of an
import run's links; the downgrade deletes only those notifications and restores the old rules."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DataError, IntegrityError

NOW = dt.datetime(2026, 12, 8, 1, 0, tzinfo=dt.UTC)
STAMPS = {"created_at": NOW, "updated_at": NOW, "version": 1}


def _notification(id_: int, kind: str, record_kind: str, **kw):
    return {"id": id_, "user_id": 1, "kind": kind, "record_kind": record_kind, "record_id": 1, "created_at": NOW, **kw}


def test_the_new_kinds_are_kept_and_the_downgrade_removes_only_them(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0039")
    alembic_runner.insert_into(
        "users",
        {"id": 1, "email": "a@tribunal.test", "role": "viewer", "clearance": "public", "active": True, **STAMPS},
    )
    alembic_runner.insert_into("notification", _notification(1, "mention", "official"))
    with pytest.raises(IntegrityError):  # not yet a kind
        alembic_runner.insert_into("notification", _notification(2, "search_result", "evidence"))
    alembic_runner.migrate_up_to("0040")
    alembic_runner.insert_into("notification", _notification(2, "search_result", "evidence", detail="3"))
    alembic_runner.insert_into("notification", _notification(3, "search_result", "saved_search", detail="12"))
    alembic_runner.insert_into("notification", _notification(4, "import_linked", "import_run", clearance="public"))
    for bad in (_notification(5, "gossip", "official"), _notification(6, "mention", "rumour")):
        with pytest.raises(IntegrityError):
            alembic_runner.insert_into("notification", bad)
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT id FROM notification ORDER BY id")).scalars().all() == [1, 2, 3, 4]
    alembic_runner.migrate_down_to("0039")
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT id, kind FROM notification")).all() == [(1, "mention")]
    with pytest.raises((IntegrityError, DataError)):  # the old rule (and, on PostgreSQL, the old width)
        alembic_runner.insert_into("notification", _notification(7, "import_linked", "evidence"))
