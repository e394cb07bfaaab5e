"""Revision 0018 (sign-in throttle buckets): ``login_attempt``, a row per attempt that was never
purged, gives way to ``login_throttle``, a row per bucket; a downgrade brings the old table back."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def test_attempts_give_way_to_buckets_and_come_back_empty(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0016")
    alembic_runner.insert_into(
        "login_attempt",
        [{"id": n, "email": "target@tribunal.test", "attempted_at": NOW, "succeeded": False} for n in range(1, 6)],
    )
    alembic_runner.migrate_up_one()
    tables = inspect(alembic_engine).get_table_names()
    assert "login_throttle" in tables and "login_attempt" not in tables
    alembic_runner.insert_into(
        "login_throttle", {"account": "target@tribunal.test", "address": "", "failures": 5, "updated_at": NOW}
    )
    with pytest.raises(IntegrityError):  # a bucket names an account, an address or both
        alembic_runner.insert_into("login_throttle", {"account": "", "address": "", "failures": 0, "updated_at": NOW})
    alembic_runner.migrate_down_one()
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM login_attempt")).scalar_one() == 0
    assert "login_throttle" not in inspect(alembic_engine).get_table_names()
