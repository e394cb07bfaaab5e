"""Revision 0021 (the assessment's rules, round two): new kinds and roles are accepted, act
digests rank primary sources first, every stored summary is marked stale; the data survives
the round trip, and the downgrade refuses while the new values are in use."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from models import triggers
from tests.test_migrations import data

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
STAMPS = {"created_at": NOW, "updated_at": NOW, "version": 1}


def _exhibit(n, kind, reliability):
    return {
        "id": n,
        "exhibit_no": f"P-{n:04d}",
        "title": f"Exhibit {n}",
        "kind": kind,
        "source": "Test",
        "classification": "public",
        "reliability": reliability,
        "credibility": "2",
        **STAMPS,
    }


def _world(runner):
    runner.insert_into("state", {"id": 1, "code": "RU", "name": "Russian Federation", "role": "aggressor", **STAMPS})
    runner.insert_into("official", {"id": 1, "name": "Official", "state_id": 1, **STAMPS})
    act = {"id": 1, "title": "Invasion", "start_date": dt.date(2022, 2, 24), "start_date_precision": "day"}
    runner.insert_into("aggression_act", {**act, **STAMPS})
    # fourteen sanctions listings graded A, then one primary C document: the document must be sampled
    runner.insert_into("evidence", [_exhibit(n, "sanctions_listing", "A") for n in range(1, 15)])
    runner.insert_into("evidence", _exhibit(15, "document", "C"))
    runner.insert_into(
        "support", [{"id": n, "evidence_id": n, "act_id": 1, "stance": "supports", **STAMPS} for n in range(1, 16)]
    )
    runner.insert_into(
        "act_evidence_digest",
        {"act_id": 1, "stance": "supports", "classification": "public", "support_count": 15, "sample": "1 2 3"},
    )
    summary = {"official_id": 1, "name": "Official", "state_id": 1, "status": "candidate", "strength": 50}
    elements = dict.fromkeys(("e1", "e2", "e3", "e4", "e5", "e6"), "met")
    runner.insert_into(
        "dossier_summary",
        {
            **summary,
            **elements,
            "clearance": "public",
            "review": False,
            "complete": True,
            "gap_count": 0,
            "withheld_count": 0,
            "stale": False,
            "computed_at": NOW,
        },
    )


def test_upgrade_resamples_digests_and_marks_summaries_stale(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0020")
    _world(alembic_runner)
    exhibits = data.rows(alembic_engine, "evidence")
    alembic_runner.migrate_up_to("0021")
    assert data.rows(alembic_engine, "evidence") == exhibits  # through SQLite's rebuild of the table
    with alembic_engine.connect() as conn:
        sample = conn.execute(text("SELECT sample FROM act_evidence_digest")).scalar_one().split()
        stale = conn.execute(text("SELECT stale FROM dossier_summary")).scalar_one()
        kept = conn.execute(text("SELECT count(*) FROM evidence")).scalar_one()
        names = {row[0] for row in conn.execute(text(_trigger_query(conn.dialect.name)))}
    assert sample[0] == "15" and len(sample) == 12  # the primary exhibit first
    assert bool(stale) and kept == 15
    assert triggers.trigger_names(alembic_engine.dialect.name, ("evidence",)) <= names
    # the new kinds and roles are accepted
    alembic_runner.insert_into("evidence", _exhibit(16, "press_report", "C"))
    alembic_runner.insert_into("evidence", _exhibit(17, "statement_of_reasons", "B"))
    decision = {"id": 1, "title": "D", "kind": "military", "date": dt.date(2022, 2, 21), "date_precision": "day"}
    alembic_runner.insert_into("institution", {"id": 1, "state_id": 1, "name": "I", "kind": "ministry", **STAMPS})
    alembic_runner.insert_into("decision", {**decision, "institution_id": 1, **STAMPS})
    for n, role in enumerate(("supplied", "allowed"), start=1):
        alembic_runner.insert_into(
            "involvement", {"id": n, "official_id": 1, "decision_id": 1, "role": role, "status": "alleged", **STAMPS}
        )
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into("evidence", _exhibit(18, "rumour", "C"))


def test_downgrade_refuses_while_new_values_are_used_then_goes_down(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0020")
    _world(alembic_runner)
    alembic_runner.migrate_up_to("0021")
    alembic_runner.insert_into("evidence", _exhibit(16, "press_report", "C"))
    with pytest.raises(RuntimeError, match="kinds or roles"):
        alembic_runner.migrate_down_one()
    with alembic_engine.begin() as conn:
        conn.execute(text("UPDATE evidence SET kind = 'osint_capture' WHERE id = 16"))
    alembic_runner.migrate_down_one()
    with alembic_engine.connect() as conn:
        sample = conn.execute(text("SELECT sample FROM act_evidence_digest")).scalar_one().split()
        kept = conn.execute(text("SELECT count(*) FROM evidence")).scalar_one()
    assert sample[0] == "1" and "15" not in sample and kept == 16


def _trigger_query(dialect: str) -> str:
    if dialect == "sqlite":
        return "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
