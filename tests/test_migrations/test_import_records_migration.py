"""Revision 0024 (imports that never merge two people): tenures an import derived from a
listing alone end on the date they were known to be held (they read as "in office" to this
day); the downgrade opens them again. Every other tenure is left as it was."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import text

NOW = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
STAMPS = {"created_at": NOW, "updated_at": NOW, "version": 1}
LISTED = "Start not known: held on 2022-02-23 according to Council Regulation (EU) No 269/2014, Annex I."


def test_tenures_from_a_listing_alone_end_when_they_were_known_to_be_held(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_before("0024")
    alembic_runner.insert_into("state", {"id": 1, "code": "RU", "name": "Russia", "role": "aggressor", **STAMPS})
    alembic_runner.insert_into(
        "institution", {"id": 1, "name": "State Duma", "state_id": 1, "kind": "parliament_chamber", **STAMPS}
    )
    alembic_runner.insert_into(
        "position", {"id": 1, "institution_id": 1, "title": "Deputy", "tier": "senior", **STAMPS}
    )
    alembic_runner.insert_into(
        "official", [{"id": n, "name": f"Official {n}", "state_id": 1, **STAMPS} for n in (1, 2, 3)]
    )
    day = {"start_date": dt.date(2022, 2, 23), "start_date_precision": "day", "position_id": 1, **STAMPS}
    alembic_runner.insert_into(
        "tenure",
        [
            {"id": 1, "official_id": 1, "note": LISTED, **day},  # from a listing alone, open: closed
            {"id": 2, "official_id": 2, "note": "Elected in 2021.", **day},  # typed by a user: kept open
            {
                "id": 3,
                "official_id": 3,
                "note": LISTED,
                **day,
                "end_date": dt.date(2024, 1, 1),
                "end_date_precision": "day",
            },
        ],
    )
    alembic_runner.migrate_up_one()
    with alembic_engine.connect() as conn:
        ends = conn.execute(text("SELECT id, end_date, end_date_precision FROM tenure ORDER BY id")).all()
        columns = conn.execute(text("SELECT count(*) FROM import_record")).scalar_one()
    assert [(r.id, str(r.end_date) if r.end_date else None, r.end_date_precision) for r in ends] == [
        (1, "2022-02-23", "day"),
        (2, None, None),
        (3, "2024-01-01", "day"),
    ]
    assert columns == 0
    alembic_runner.migrate_down_one()
    with alembic_engine.connect() as conn:
        ends = conn.execute(text("SELECT id, end_date FROM tenure ORDER BY id")).all()
    assert [(r.id, str(r.end_date) if r.end_date else None) for r in ends] == [(1, None), (2, None), (3, "2024-01-01")]
    alembic_runner.migrate_up_one()


def test_reviews_keep_their_judgements_and_learn_undone(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_before("0024")
    alembic_runner.insert_into("state", {"id": 1, "code": "RU", "name": "Russia", "role": "aggressor", **STAMPS})
    alembic_runner.insert_into("official", {"id": 1, "name": "Official 1", "state_id": 1, **STAMPS})
    review = {"scheme": "eu_269_2014", "person_name": "X", "person": "{}", "official_id": 1, "score": 0.9,
              "explanation": "{}", "created_at": NOW}  # fmt: skip
    alembic_runner.insert_into(
        "match_review",
        [
            {"id": 1, "source_id": "1", "status": "pending", **review},
            {"id": 2, "source_id": "2", "status": "confirmed", **review},
        ],
    )
    alembic_runner.migrate_up_one()
    with alembic_engine.connect() as conn:
        rows = conn.execute(text("SELECT id, status, reason FROM match_review ORDER BY id")).all()
        conn.execute(text("UPDATE match_review SET status = 'undone' WHERE id = 2"))
        conn.commit()
    assert [tuple(r) for r in rows] == [(1, "pending", "match"), (2, "confirmed", "match")]
    alembic_runner.migrate_down_one()
    with alembic_engine.connect() as conn:
        statuses = conn.execute(text("SELECT status FROM match_review ORDER BY id")).scalars().all()
    assert statuses == ["pending", "rejected"]  # undone is no status before 0024: a judgement against
