"""Revision 0012 (search by kind through rowid ranges). SQLite: every index row is re-keyed to
the rowid kind << 40 + record * 256 + its number within the record (in the order the rows had),
with its texts unchanged and still found by a full-text match; a record's rows past the 256th
are not indexed, as services/search/engine.py does. The downgrade keeps the new rowids (the older
code finds rows by kind and record). PostgreSQL: the rows are left alone, the two whole-table
GIN indexes become one per kind, and the downgrade puts the two back."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.test_migrations.data import rows

COLUMNS = "kind, record_id, field, label, folded, compact, sounds"
SQLITE_ROWS = f"SELECT rowid, {COLUMNS} FROM search_index ORDER BY rowid"
CODES = {"official": 1, "institution": 2, "decision": 3, "evidence": 4}
LIMIT = 256

# In the order they were indexed: each record's rows are interleaved with others'
TEXTS = [
    ("official", 1, "name", "Sergei Shoigu", "#srk# #xk#"),
    ("institution", 2, "name", "Ministry of Defence", "#mnstr# #tfns#"),
    ("official", 1, "native_name", "Шойгу Сергей", "#xk# #srk#"),
    ("official", 2, "name", "Valery Gerasimov", "#flr# #krsmf#"),
    ("official", 1, "alias", "Sergey SHOYGU", "#srk# #xk#"),
    ("decision", 7, "title", "Recognition decree", ""),
    ("evidence", 3, "exhibit_no", "P-0003", ""),
    ("institution", 2, "native_name", "Минобороны", "#mnbrn#"),
] + [("official", 5, "alias", f"Alias {n:03d}", "") for n in range(LIMIT + 2)]  # two past the limit


def _fold(label: str) -> str:
    return {"Шойгу Сергей": "shoygu sergey", "Минобороны": "minoborony"}.get(label, label.lower().replace("-", " "))


def _load(engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(f"INSERT INTO search_index ({COLUMNS}) VALUES (:k, :r, :f, :l, :folded, :compact, :s)"),
            [
                {"k": k, "r": r, "f": f, "l": label, "folded": _fold(label), "compact": _fold(label).replace(" ", "")}
                | {"s": s}
                for k, r, f, label, s in TEXTS
            ],
        )


def _indexes(engine) -> set[str]:
    with engine.connect() as conn:
        names = conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'search_index'")).scalars()
        return {n.removeprefix("ix_search_index_") for n in names if n.startswith("ix_search_index_")}


def _expected_rowids() -> list[int]:
    numbers: dict[tuple[str, int], int] = {}
    rowids = []
    for kind, record_id, *_ in TEXTS:
        n = numbers[kind, record_id] = numbers.get((kind, record_id), -1) + 1
        rowids.append((CODES[kind] << 40) + record_id * LIMIT + n if n < LIMIT else None)
    return rowids


def test_sqlite_rows_are_rekeyed_by_kind_record_and_number(alembic_runner, alembic_engine):
    if alembic_engine.dialect.name != "sqlite":
        pytest.skip("the re-keying is SQLite's (FTS5 rowids)")
    alembic_runner.migrate_up_to("0011")
    _load(alembic_engine)
    with alembic_engine.connect() as conn:
        before = [tuple(row) for row in conn.execute(text(SQLITE_ROWS))]
    assert [row[0] for row in before] == list(range(1, len(TEXTS) + 1))

    alembic_runner.migrate_up_to("0012")
    expected = sorted(
        (rowid, *row[1:]) for rowid, row in zip(_expected_rowids(), before, strict=True) if rowid is not None
    )
    with alembic_engine.connect() as conn:
        assert [tuple(row) for row in conn.execute(text(SQLITE_ROWS))] == expected
        assert len(expected) == len(TEXTS) - 2
        assert [r[0] for r in expected[:3]] == [(1 << 40) + 256, (1 << 40) + 257, (1 << 40) + 258]
        # the full-text index was rebuilt with the rows: a match finds the new rowid, a range query the record
        match = "SELECT rowid FROM search_index WHERE search_index MATCH :q ORDER BY rowid"
        assert conn.execute(text(match), {"q": 'compact:"gerasim"'}).scalars().all() == [(1 << 40) + 2 * 256]
        assert conn.execute(text(match), {"q": 'sounds:"mnbrn"'}).scalars().all() == [(2 << 40) + 2 * 256 + 1]
        in_range = "SELECT field FROM search_index WHERE rowid BETWEEN :lo AND :hi ORDER BY rowid"
        lo = (1 << 40) + 256
        fields = conn.execute(text(in_range), {"lo": lo, "hi": lo + LIMIT - 1}).scalars().all()
        assert fields == ["name", "native_name", "alias"]

    alembic_runner.migrate_down_one()
    with alembic_engine.connect() as conn:
        assert [tuple(row) for row in conn.execute(text(SQLITE_ROWS))] == expected


def test_postgresql_rows_stay_and_the_indexes_split_by_kind(alembic_runner, alembic_engine):
    if alembic_engine.dialect.name != "postgresql":
        pytest.skip("the per-kind indexes are PostgreSQL's")
    alembic_runner.migrate_up_to("0011")
    _load(alembic_engine)
    before = rows(alembic_engine, "search_index")
    assert len(before) == len(TEXTS)
    whole = {"record", "compact_trgm", "sounds_tsv"}
    assert _indexes(alembic_engine) == whole

    alembic_runner.migrate_up_to("0012")
    assert rows(alembic_engine, "search_index") == before
    per_kind = {f"compact_{kind}" for kind in CODES} | {"sounds_official", "sounds_institution"}
    assert _indexes(alembic_engine) == {"record"} | per_kind

    alembic_runner.migrate_down_one()
    assert rows(alembic_engine, "search_index") == before
    assert _indexes(alembic_engine) == whole
