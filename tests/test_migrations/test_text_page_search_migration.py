"""Revision 0039 (search inside exhibits): pages extracted before the upgrade are indexed by it,
pages stored after it by the triggers; the downgrade removes the index and leaves every page."""

from __future__ import annotations

from sqlalchemy import text

from tests.test_migrations.data import NOW, exhibit, rows

PAGES = [
    (1, 1, "Приказ о наступлении подписан министром обороны"),
    (2, 2, "국방부 장관이 공격 명령에 서명했다"),
]


def _load(engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO evidence (id, exhibit_no, title, kind, source, classification, reliability, credibility,"
                " created_at, updated_at, version) VALUES (:id, :exhibit_no, :title, :kind, :source, :classification,"
                " :reliability, :credibility, :created_at, :updated_at, :version)"
            ),
            exhibit(1),
        )
        files = [(1, None, None, "a" * 64), (2, 1, "conversion", "b" * 64)]
        for file_id, parent, derivation, sha in files:
            conn.execute(
                text(
                    "INSERT INTO evidence_file (id, evidence_id, sha256, size, media_type, parent_id, derivation,"
                    " created_at) VALUES (:id, 1, :sha, 10, 'application/pdf', :parent, :derivation, :now)"
                ),
                {"id": file_id, "sha": sha, "parent": parent, "derivation": derivation, "now": NOW},
            )
        conn.execute(
            text(
                "INSERT INTO text_extraction (id, source_file_id, text_file_id, tool, page_count, created_at)"
                " VALUES (1, 1, 2, 'test 1', 2, :now)"
            ),
            {"now": NOW},
        )
        for page_id, page_no, page_text in PAGES:
            conn.execute(
                text(
                    "INSERT INTO text_page (id, extraction_id, page_no, text, method)"
                    " VALUES (:id, 1, :no, :text, 'text_layer')"
                ),
                {"id": page_id, "no": page_no, "text": page_text},
            )


def _found(engine, word: str) -> list[int]:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            statement = "SELECT rowid FROM text_page_fts WHERE text_page_fts MATCH :w ORDER BY rowid"
        else:
            statement = (
                "SELECT page_id FROM text_page_search WHERE tsv @@ plainto_tsquery('simple', :w) ORDER BY page_id"
            )
        return list(conn.execute(text(statement), {"w": word}).scalars())


def test_existing_pages_are_indexed_and_new_ones_follow(alembic_runner, alembic_engine):
    alembic_runner.migrate_up_to("0038")
    _load(alembic_engine)
    before = rows(alembic_engine, "text_page")

    alembic_runner.migrate_up_to("0039")
    assert _found(alembic_engine, "министром") == [1]
    assert _found(alembic_engine, "장관이") == [2]
    assert rows(alembic_engine, "text_page") == before
    with alembic_engine.begin() as conn:
        conn.execute(
            text("INSERT INTO text_page (id, extraction_id, page_no, text, method) VALUES (3, 1, 3, :t, 'ocr')"),
            {"t": "Загад аб наступленні падпісаў міністр"},
        )
        conn.execute(text("UPDATE text_page SET text = 'replaced words' WHERE id = 2"))
    assert _found(alembic_engine, "падпісаў") == [3]
    assert _found(alembic_engine, "장관이") == []
    assert _found(alembic_engine, "replaced") == [2]

    alembic_runner.migrate_down_to("0038")
    assert [row["id"] for row in rows(alembic_engine, "text_page")] == [1, 2, 3]
    with alembic_engine.connect() as conn:
        if alembic_engine.dialect.name == "sqlite":
            left = conn.execute(text("SELECT name FROM sqlite_master WHERE name LIKE 'text_page_fts%'")).all()
        else:
            left = conn.execute(text("SELECT relname FROM pg_class WHERE relname LIKE 'text_page_search%'")).all()
    assert left == []
