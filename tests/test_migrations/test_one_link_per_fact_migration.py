"""Revision 0023 (an exhibit supports or contradicts a fact, never both): links that broke the
rule are resolved -- the contradicting link kept, a same-stance twin merged into the oldest --
with a record of each removed link in the kept one's note; act digests and summaries follow;
afterwards the database refuses a second link of an exhibit to a fact."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from tests.test_migrations import data

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
STAMPS = {"created_at": NOW, "updated_at": NOW, "version": 1}


def _world(runner):
    runner.insert_into("state", {"id": 1, "code": "RU", "name": "Russian Federation", "role": "aggressor", **STAMPS})
    runner.insert_into("institution", {"id": 1, "state_id": 1, "name": "I", "kind": "ministry", **STAMPS})
    runner.insert_into("position", {"id": 1, "institution_id": 1, "title": "P", "tier": "leadership", **STAMPS})
    runner.insert_into("official", {"id": 1, "name": "Official", "state_id": 1, **STAMPS})
    tenure = {"id": 1, "official_id": 1, "position_id": 1, "start_date": dt.date(2012, 5, 7)}
    runner.insert_into("tenure", {**tenure, "start_date_precision": "day", **STAMPS})
    act = {"id": 1, "title": "Invasion", "start_date": dt.date(2022, 2, 24), "start_date_precision": "day"}
    runner.insert_into("aggression_act", {**act, **STAMPS})
    exhibit = {"kind": "document", "source": "T", "classification": "public", "reliability": "B", "credibility": "2"}
    runner.insert_into(
        "evidence", [{"id": n, "exhibit_no": f"P-{n:04d}", "title": f"E{n}", **exhibit, **STAMPS} for n in (1, 2, 3)]
    )
    links = [
        (1, 1, "tenure_id", "supports", "p. 1", "read as support"),
        (2, 1, "tenure_id", "contradicts", "p. 9", None),
        (3, 2, "tenure_id", "supports", "p. 2", "first"),
        (4, 2, "tenure_id", "supports", "p. 3", None),
        (5, 3, "act_id", "supports", None, None),
        (6, 3, "act_id", "contradicts", None, None),
        (7, 3, "tenure_id", "supports", None, None),  # another fact: untouched
    ]
    runner.insert_into(
        "support",
        [
            {"id": i, "evidence_id": e, column: 1, "stance": stance, "pinpoint": pin, "note": note, **STAMPS}
            for i, e, column, stance, pin, note in links
        ],
    )
    runner.insert_into(
        "act_evidence_digest",
        [
            {"act_id": 1, "stance": "supports", "classification": "public", "support_count": 1, "sample": "5"},
            {"act_id": 1, "stance": "contradicts", "classification": "public", "support_count": 1, "sample": "6"},
        ],
    )


def test_conflicting_links_are_resolved_and_recorded_then_refused(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0022")
    _world(alembic_runner)
    alembic_runner.migrate_up_to("0023")
    with alembic_engine.connect() as conn:
        kept = {row.id: row for row in conn.execute(text("SELECT id, stance, note FROM support ORDER BY id"))}
        digest = conn.execute(text("SELECT stance, support_count, sample FROM act_evidence_digest")).all()
    assert sorted(kept) == [2, 3, 6, 7]
    assert kept[2].stance == "contradicts"
    assert "Link #1 (supports); pinpoint: p. 1; note: read as support" in kept[2].note
    assert kept[3].note.startswith("first\n\n") and "Link #4 (supports); pinpoint: p. 3" in kept[3].note
    assert kept[6].stance == "contradicts" and "Link #5 (supports)" in kept[6].note
    assert kept[7].note is None
    assert [(d.stance, d.support_count, d.sample) for d in digest] == [("contradicts", 1, "6")]
    with pytest.raises(IntegrityError):
        alembic_runner.insert_into(
            "support", {"id": 8, "evidence_id": 2, "tenure_id": 1, "stance": "contradicts", **STAMPS}
        )
    resolved = data.rows(alembic_engine, "support")
    alembic_runner.migrate_down_one()
    assert data.rows(alembic_engine, "support") == resolved  # removed links are not restored; notes stay
    twin = {"id": 9, "evidence_id": 2, "tenure_id": 1, "stance": "contradicts"}
    alembic_runner.insert_into("support", {**twin, **STAMPS})


def test_summaries_are_marked_stale_only_when_a_link_went(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0022")
    alembic_runner.insert_into("state", {"id": 1, "code": "RU", "name": "R", "role": "aggressor", **STAMPS})
    alembic_runner.insert_into("official", {"id": 1, "name": "Official", "state_id": 1, **STAMPS})
    row = {"official_id": 1, "name": "Official", "state_id": 1, "status": "candidate", "strength": 0}
    elements = dict.fromkeys(("e1", "e2", "e3", "e4", "e5", "e6"), "gap")
    counts = {"review": False, "complete": False, "gap_count": 1, "withheld_count": 0}
    alembic_runner.insert_into(
        "dossier_summary", {**row, **elements, **counts, "clearance": "public", "stale": False, "computed_at": NOW}
    )
    alembic_runner.migrate_up_to("0023")
    with alembic_engine.connect() as conn:
        assert not conn.execute(text("SELECT stale FROM dossier_summary")).scalar_one()
