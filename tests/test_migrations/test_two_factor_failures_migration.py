"""Revision 0019 (wrong two-factor codes counted on the server): every existing account starts
with no wrong codes and unlocked, the rest of it unchanged; a downgrade drops both columns and
gives back the accounts as they were."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from tests.test_migrations import data

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
USER = {"role": "admin", "clearance": "public", "active": True, "created_at": NOW, "updated_at": NOW, "version": 1}


def test_existing_accounts_start_unlocked_with_no_wrong_codes(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0018")
    alembic_runner.insert_into("users", {"id": 1, "email": "admin@tribunal.test", **USER})
    accounts = data.rows(alembic_engine, "users")
    alembic_runner.migrate_up_one()
    assert data.without(data.rows(alembic_engine, "users"), "totp_failures", "sign_in_locked_at") == accounts
    with alembic_engine.connect() as conn:
        row = conn.execute(text("SELECT totp_failures, sign_in_locked_at FROM users")).one()
    assert tuple(row) == (0, None)
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into("users", {"id": 2, "email": "x@tribunal.test", **USER, "totp_failures": -1})
    alembic_runner.migrate_down_one()
    columns = {c["name"] for c in inspect(alembic_engine).get_columns("users")}
    assert "totp_failures" not in columns and "sign_in_locked_at" not in columns
    assert data.rows(alembic_engine, "users") == accounts
