"""Revision 0014 (two-factor sign-in): sessions opened with a password alone by prosecutors and
admins end at the upgrade; everyone else's, and every account, are kept; the downgrade leaves
the ended sessions ended and the accounts as they were."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.test_migrations import data

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
STAMPS = {"created_at": NOW, "updated_at": NOW, "version": 1}


def test_upgrade_ends_the_sessions_that_had_no_code(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0013")
    users = [
        {"id": n, "email": f"{role}@tribunal.test", "role": role, "clearance": "public", "active": True, **STAMPS}
        for n, role in enumerate(("viewer", "analyst", "prosecutor", "admin"), start=1)
    ]
    alembic_runner.insert_into("users", users)
    alembic_runner.insert_into(
        "user_session",
        [
            {"id": n, "token_hash": f"{n:064d}", "user_id": n, "created_at": NOW, "last_seen_at": NOW}
            for n in range(1, 5)
        ],
    )
    accounts = data.rows(alembic_engine, "users")
    alembic_runner.migrate_up_one()
    sessions = data.rows(alembic_engine, "user_session")
    with alembic_engine.connect() as conn:
        rows = conn.execute(text("SELECT user_id, ended_at, ended_reason FROM user_session ORDER BY user_id")).all()
        kept = conn.execute(text("SELECT count(*) FROM users WHERE totp_secret IS NULL")).scalar_one()
    assert [(r.user_id, r.ended_reason) for r in rows] == [
        (1, None),
        (2, None),
        (3, "two-factor required"),
        (4, "two-factor required"),
    ]
    assert rows[2].ended_at is not None and rows[0].ended_at is None
    assert kept == 4
    totp = ("totp_secret", "totp_last_step", "totp_enrolled_at")
    assert data.without(data.rows(alembic_engine, "users"), *totp) == accounts
    alembic_runner.migrate_down_one()  # the ended sessions stay ended, the accounts as they were
    assert data.rows(alembic_engine, "user_session") == sessions
    assert data.rows(alembic_engine, "users") == accounts
    alembic_runner.migrate_up_one()


def test_a_secret_needs_its_enrolment_time(alembic_runner):
    alembic_runner.migrate_up_to("heads")
    user = {"email": "x@tribunal.test", "role": "admin", "clearance": "public", "active": True, **STAMPS}
    alembic_runner.insert_into("users", {"id": 1, **user, "totp_secret": "v1:x", "totp_enrolled_at": NOW})
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into("users", {"id": 2, **user, "email": "y@tribunal.test", "totp_secret": "v1:y"})
