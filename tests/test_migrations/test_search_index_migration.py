"""Revision 0004 (the search index): the index is filled from the records already stored -- live
officials' names, native names and aliases, institutions' names, live decisions' and exhibits'
texts -- each folded to lower-case ASCII across scripts, with its compact form and, for the
names of officials and institutions only, its phonetic keys. Deleted records, empty texts,
texts that fold to nothing and an alias repeating its official's name give no row. The
downgrade drops the index and leaves the records as they were (PostgreSQL keeps pg_trgm)."""

from __future__ import annotations

from sqlalchemy import inspect, text

from tests.test_migrations.data import NOW, STAMPS, exhibit, rows

INDEX = "SELECT kind, record_id, field, label, folded, compact, sounds FROM search_index"
RECORDS = ("official", "official_name", "institution", "decision", "evidence")

EXPECTED = sorted(
    [
        ("official", 1, "name", "Sergei Shoigu", "sergei shoigu", "#srj# #xk#"),
        (
            "official",
            1,
            "native_name",
            "Шойгу Сергей Кужугетович",
            "shoygu sergey kuzhugetovich",
            "#xk# #srj# #kshjtfx#",
        ),
        ("official", 1, "alias", "Sergey SHOYGU", "sergey shoygu", "#srj# #xk#"),
        ("official", 3, "name", "Kim Jong Un", "kim jong un", "#km# #jnk# #un#"),
        ("official", 3, "native_name", "김정은", "gimjeongeun", "#jmjnjn#"),
        ("official", 4, "name", "Alexander Lukashenko", "alexander lukashenko", "#alksntr# #lkxnk#"),
        ("institution", 1, "name", "Ministry of Defence", "ministry of defence", "#mnstr# #of# #tfns#"),
        ("institution", 1, "native_name", "Министерство обороны", "ministerstvo oborony", "#mnstrstf# #obrn#"),
        ("institution", 2, "name", "Security Council", "security council", "#skrt# #knsl#"),
        ("decision", 1, "title", "Decree No. 71", "decree no 71", ""),
        ("decision", 1, "instrument", "Decree 71", "decree 71", ""),
        ("decision", 1, "summary", "Recognises the 'DPR'.", "recognises the dpr", ""),
        ("evidence", 1, "exhibit_no", "P-0001", "p 0001", ""),
        ("evidence", 1, "title", "Address of 24 February 2022", "address of 24 february 2022", ""),
    ]
)


def _load(runner) -> None:
    runner.insert_into(
        "state",
        [
            {"id": 1, "code": "RU", "name": "Russian Federation", "role": "aggressor", **STAMPS},
            {"id": 2, "code": "KP", "name": "DPRK", "role": "participant_forces", **STAMPS},
        ],
    )
    runner.insert_into(
        "official",
        [
            {"id": 1, "name": "Sergei Shoigu", "native_name": "Шойгу Сергей Кужугетович", "state_id": 1, **STAMPS},
            {"id": 2, "name": "Viktor Deleted", "state_id": 1, "deleted_at": NOW, **STAMPS},
            {"id": 3, "name": "Kim Jong Un", "native_name": "김정은", "native_script": "Hang", "state_id": 2, **STAMPS},
            {"id": 4, "name": "Alexander Lukashenko", "native_name": None, "state_id": 1, **STAMPS},
        ],
    )
    names = [
        (1, 1, "Sergey SHOYGU", "sergey shoygu"),
        (2, 1, "Sergei Shoigu", "sergei shoigu"),  # the official's own name again
        (3, 1, "—", ""),  # folds to nothing
        (4, 2, "V. Deleted", "v deleted"),  # of a deleted official
    ]
    runner.insert_into(
        "official_name",
        [
            {"id": i, "official_id": o, "name": n, "search_key": k, "script": "Latn", "kind": "alias", **STAMPS}
            for i, o, n, k in names
        ],
    )
    place = {"state_id": 1, **STAMPS}
    runner.insert_into(
        "institution",
        [
            {"id": 1, "name": "Ministry of Defence", "native_name": "Министерство обороны", "kind": "ministry"} | place,
            {"id": 2, "name": "Security Council", "native_name": None, "kind": "security_council"} | place,
        ],
    )
    decision = {"kind": "political", "date": NOW.date(), "date_precision": "day", "institution_id": 2, **STAMPS}
    runner.insert_into(
        "decision",
        [
            {"id": 1, "title": "Decree No. 71", "instrument": "Decree 71", "summary": "Recognises the 'DPR'."}
            | decision,
            {"id": 2, "title": "Withdrawn decree", "deleted_at": NOW} | decision,
        ],
    )
    runner.insert_into(
        "evidence", [exhibit(1, title="Address of 24 February 2022"), exhibit(2, title="Gone", deleted_at=NOW)]
    )


def test_existing_records_are_indexed_then_left_as_they_were(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0003")
    _load(alembic_runner)
    records = {table: rows(alembic_engine, table) for table in RECORDS}

    alembic_runner.migrate_up_to("0004")
    with alembic_engine.connect() as conn:
        index = sorted(tuple(row) for row in conn.execute(text(INDEX)))
        if conn.dialect.name == "sqlite":  # FTS5's own index holds them too
            match = "SELECT record_id, field FROM search_index WHERE search_index MATCH :q ORDER BY field"
            assert conn.execute(text(match), {"q": 'compact:"shoyg"'}).all() == [(1, "alias"), (1, "native_name")]
    assert index == [(k, r, f, label, folded, folded.replace(" ", ""), s) for k, r, f, label, folded, s in EXPECTED]
    assert {table: rows(alembic_engine, table) for table in RECORDS} == records

    alembic_runner.migrate_down_one()
    assert "search_index" not in inspect(alembic_engine).get_table_names()
    assert {table: rows(alembic_engine, table) for table in RECORDS} == records
    if alembic_engine.dialect.name == "postgresql":
        with alembic_engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'")).scalar() == 1


def test_an_empty_database_gets_an_empty_index(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0004")
    with alembic_engine.connect() as conn:
        assert conn.execute(text(INDEX)).all() == []
