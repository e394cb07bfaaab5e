"""Revision 0026 (act assessments): supports keep their facts and their one-link-per-fact rule
through the rebuild of the support table; assessments take evidence; the downgrade refuses
while assessments are recorded, and otherwise goes back cleanly."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
STAMPS = {"created_at": NOW, "updated_at": NOW, "version": 1}
EXHIBIT = {"kind": "document", "source": "T", "classification": "public", "reliability": "B", "credibility": "2"}


def _world(runner):
    act = {"id": 1, "title": "Invasion", "start_date": dt.date(2022, 2, 24), "start_date_precision": "day"}
    runner.insert_into("aggression_act", {**act, **STAMPS})
    runner.insert_into(
        "evidence", [{"id": n, "exhibit_no": f"P-{n:04d}", "title": f"E{n}", **EXHIBIT, **STAMPS} for n in (1, 2)]
    )
    runner.insert_into("support", {"id": 1, "evidence_id": 1, "act_id": 1, "stance": "supports", **STAMPS})


def test_supports_survive_and_assessments_take_evidence(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0025")
    _world(alembic_runner)
    alembic_runner.migrate_up_to("0026")
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT id, act_id, stance FROM support")).all() == [(1, 1, "supports")]
    alembic_runner.insert_into("act_assessment", {"id": 1, "act_id": 1, "aspect": "scale", "finding": "F", **STAMPS})
    alembic_runner.insert_into(
        "support", {"id": 2, "evidence_id": 2, "act_assessment_id": 1, "stance": "supports", **STAMPS}
    )
    for bad in (
        {"id": 3, "evidence_id": 2, "act_assessment_id": 1, "stance": "contradicts"},  # the same exhibit again
        {"id": 4, "evidence_id": 1, "act_id": 1, "stance": "contradicts"},  # the rule of 0023 still holds
        {"id": 5, "evidence_id": 1, "act_id": 1, "act_assessment_id": 1, "stance": "supports"},  # two facts
    ):
        with pytest.raises(IntegrityError):
            alembic_runner.insert_into("support", {**bad, **STAMPS})
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into(
            "act_assessment", {"id": 2, "act_id": 1, "aspect": "scale", "finding": "G", **STAMPS}
        )
    with pytest.raises(RuntimeError, match="act assessments are recorded"):
        alembic_runner.migrate_down_one()
    with alembic_engine.begin() as conn:
        conn.execute(text("DELETE FROM support WHERE id = 2"))
        conn.execute(text("DELETE FROM act_assessment"))
    alembic_runner.migrate_down_one()
    with alembic_engine.connect() as conn:
        assert conn.execute(text("SELECT id, act_id, stance FROM support")).all() == [(1, 1, "supports")]
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into(
            "support", {"id": 6, "evidence_id": 1, "act_id": 1, "stance": "contradicts", **STAMPS}
        )
