"""Revision 0027 (exhibit numbers from a counter): the counter starts past the highest P-number
on record, deleted and hidden exhibits included and numbers read as numbers; an empty database
starts at one; a downgrade drops the counter and leaves the exhibits as they were."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect, text

from tests.test_migrations.data import exhibit

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)


def _exhibit(n: int, number: str, **extra):
    return exhibit(n, exhibit_no=number, **extra)


def _issue(engine) -> int:
    """Issue a number as services/evidence/numbers.py does (committed)."""
    with engine.begin() as conn:
        return conn.execute(
            text("INSERT INTO exhibit_number (issued_at) VALUES (:now) RETURNING number"), {"now": NOW}
        ).scalar_one()


def test_the_counter_starts_past_the_highest_number_on_record(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0026")
    alembic_runner.insert_into(
        "evidence",
        [
            _exhibit(1, "P-0002"),
            _exhibit(2, "P-0041", classification="strictly_confidential"),
            _exhibit(3, "P-0040", deleted_at=NOW),
            _exhibit(4, "P-9"),
            _exhibit(5, "D-0500"),
            _exhibit(6, "P-0100-a"),
        ],
    )
    alembic_runner.migrate_up_one()
    assert _issue(alembic_engine) == 42 and _issue(alembic_engine) == 43
    alembic_runner.migrate_down_one()
    assert "exhibit_number" not in inspect(alembic_engine).get_table_names()
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM evidence")).scalar() == 6


def test_an_empty_database_starts_at_one(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0027")
    assert _issue(alembic_engine) == 1 and _issue(alembic_engine) == 2
