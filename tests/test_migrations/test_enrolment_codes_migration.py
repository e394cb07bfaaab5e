"""Revision 0020 (one-time enrolment codes): accounts keep their two-factor setup and start with
no code (an administrator issues one with `users reset-2fa`); a hash always comes with its expiry."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from tests.test_migrations import data

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
USER = {"role": "admin", "clearance": "public", "active": True, "created_at": NOW, "updated_at": NOW, "version": 1}


def test_accounts_start_without_a_code_and_keep_their_setup(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0019")
    alembic_runner.insert_into(
        "users",
        [
            {"id": 1, "email": "set-up@tribunal.test", **USER, "totp_secret": "v1:x", "totp_enrolled_at": NOW},
            {"id": 2, "email": "not-yet@tribunal.test", **USER},
        ],
    )
    accounts = data.rows(alembic_engine, "users")
    alembic_runner.migrate_up_one()
    code = ("enrolment_code_hash", "enrolment_code_expires_at")
    assert data.without(data.rows(alembic_engine, "users"), *code) == accounts
    with alembic_engine.connect() as conn:
        rows = conn.execute(
            text("SELECT id, totp_secret, enrolment_code_hash, enrolment_code_expires_at FROM users ORDER BY id")
        ).all()
    assert [tuple(r) for r in rows] == [(1, "v1:x", None, None), (2, None, None, None)]
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into(
            "users", {"id": 3, "email": "x@tribunal.test", **USER, "enrolment_code_hash": "0" * 64}
        )
    alembic_runner.migrate_down_one()
    assert "enrolment_code_hash" not in {c["name"] for c in inspect(alembic_engine).get_columns("users")}
    assert data.rows(alembic_engine, "users") == accounts
