"""Revision 0028 (the modes of liability chosen to charge): a choice needs a reason and charges
only the six modes of Art. 25(3), each once; choices are append-only; the downgrade refuses
while a choice is recorded and otherwise leaves no table behind."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
STAMPS = {"created_at": NOW, "updated_at": NOW, "version": 1}


def _dossier(runner):
    runner.insert_into("state", {"id": 1, "code": "RU", "name": "Russian Federation", "role": "aggressor", **STAMPS})
    runner.insert_into("official", {"id": 1, "name": "Official", "state_id": 1, **STAMPS})
    runner.insert_into("dossier", {"id": 1, "official_id": 1, "status": "candidate", **STAMPS})


def test_choices_keep_their_rules(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0027")
    _dossier(alembic_runner)
    alembic_runner.migrate_up_to("0028")
    alembic_runner.insert_into("mode_choice", {"id": 1, "dossier_id": 1, "chosen_at": NOW, "reason": "He ordered it."})
    alembic_runner.insert_into("charged_mode", [{"id": 1, "choice_id": 1, "mode": m} for m in ("ordering",)])
    alembic_runner.insert_into("charged_mode", {"id": 2, "choice_id": 1, "mode": "co_perpetration"})
    for table, bad in (
        ("mode_choice", {"id": 2, "dossier_id": 1, "chosen_at": NOW, "reason": ""}),  # no reason
        ("charged_mode", {"id": 3, "choice_id": 1, "mode": "superior"}),  # not a mode of Art. 25(3)
        ("charged_mode", {"id": 4, "choice_id": 1, "mode": "ordering"}),  # the same mode twice
        ("charged_mode", {"id": 5, "choice_id": 9, "mode": "aiding"}),  # no such choice
    ):
        with pytest.raises(IntegrityError):
            alembic_runner.insert_into(table, bad)
    for statement in ("UPDATE mode_choice SET reason = 'x'", "DELETE FROM charged_mode"):
        with pytest.raises(IntegrityError), alembic_engine.begin() as conn:
            conn.execute(text(statement))
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT mode FROM charged_mode ORDER BY id")).scalars().all() == [
            "ordering",
            "co_perpetration",
        ]
    with pytest.raises(RuntimeError, match="would lose those choices"):
        alembic_runner.migrate_down_one()


def test_the_downgrade_without_choices_goes_back_cleanly(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0027")
    _dossier(alembic_runner)
    alembic_runner.migrate_up_to("0028")
    alembic_runner.migrate_down_one()
    tables = set(inspect(alembic_engine).get_table_names())
    assert not {"mode_choice", "charged_mode"} & tables
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT official_id FROM dossier")).scalars().all() == [1]
