"""The full-text index of exhibits' text pages (``text_page``), kept by the database itself.

Not an ORM model: its shape differs by engine, like the search index (models/search_index.py).

- SQLite: ``text_page_fts``, an FTS5 table over ``text_page`` (external content: the text is
  stored once, in ``text_page``; the index holds only tokens and positions). The tokenizer is
  ``porter unicode61 remove_diacritics 2``: Unicode case folding in every script (Шойгу / шойгу),
  diacritics of Latin letters removed (é -> e), English words stemmed; the index reads the
  pages through a view that writes ё as е (as the queries are folded). FTS5 has no stemmer for
  Cyrillic; the queries add the Snowball stem of a Cyrillic word as a prefix instead
  (services/search/fulltext.py), and a Hangul word as a prefix too, so that 김정은 finds
  김정은이 and 김정은의 (Korean particles are written onto the noun).
- PostgreSQL: ``text_page_search``, one row per page with its ``tsvector``: the page read with
  the ``simple`` configuration (every word as written, lower-cased: names, Hangul, Ukrainian and
  Belarusian forms) and with the ``russian`` one (Russian words stemmed, and English ones: its
  ASCII words use the English stemmer), under a GIN index. Stored rather than an expression
  index so that ranking reads the vector instead of parsing the page again.

Triggers fill both as rows of ``text_page`` are written, so a page is searchable as soon as an
extraction (a job or the command) stores it, whatever code writes it. The same DDL serves the
migration (0039) and ``metadata.create_all``.
"""

from __future__ import annotations

from sqlalchemy import DDL, MetaData, event

SQLITE_TABLE = "text_page_fts"
PG_TABLE = "text_page_search"
FTS5_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")
# PostgreSQL: a tsvector holds at most 1 MB; the first this many characters of a page are
# indexed (a page of a plain-text file may be one whole file).
PG_INDEXED_CHARACTERS = 100_000

TOKENIZER = "porter unicode61 remove_diacritics 2"

# The text FTS5 reads (to index and to cut snippets): the page with ё written е, as most
# Russian text is, and as queries are folded (FTS5 removes diacritics of Latin letters only).
SQLITE_CONTENT = f"{SQLITE_TABLE}_content_view"
_FOLDED = "replace(replace({text}, 'ё', 'е'), 'Ё', 'Е')"
SQLITE_CREATE = [
    f"CREATE VIEW {SQLITE_CONTENT} AS SELECT id, {_FOLDED.format(text='text')} AS text FROM text_page",
    f"CREATE VIRTUAL TABLE {SQLITE_TABLE} USING fts5(text, content='{SQLITE_CONTENT}', content_rowid='id', "
    f"tokenize='{TOKENIZER}')",
    f"CREATE TRIGGER trg_text_page_fts_insert AFTER INSERT ON text_page BEGIN "
    f"INSERT INTO {SQLITE_TABLE} (rowid, text) VALUES (new.id, {_FOLDED.format(text='new.text')}); END",
    f"CREATE TRIGGER trg_text_page_fts_delete AFTER DELETE ON text_page BEGIN "
    f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}, rowid, text) "
    f"VALUES ('delete', old.id, {_FOLDED.format(text='old.text')}); END",
    f"CREATE TRIGGER trg_text_page_fts_update AFTER UPDATE OF text ON text_page BEGIN "
    f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}, rowid, text) "
    f"VALUES ('delete', old.id, {_FOLDED.format(text='old.text')}); "
    f"INSERT INTO {SQLITE_TABLE} (rowid, text) VALUES (new.id, {_FOLDED.format(text='new.text')}); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS trg_text_page_fts_insert",
    "DROP TRIGGER IF EXISTS trg_text_page_fts_delete",
    "DROP TRIGGER IF EXISTS trg_text_page_fts_update",
    f"DROP TABLE IF EXISTS {SQLITE_TABLE}",
    f"DROP VIEW IF EXISTS {SQLITE_CONTENT}",
]
# Index what text_page holds already (a migration over existing pages).
SQLITE_FILL = f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}) VALUES ('rebuild')"

PG_VECTOR = (
    f"to_tsvector('simple'::regconfig, left({{text}}, {PG_INDEXED_CHARACTERS})) || "
    f"to_tsvector('russian'::regconfig, left({{text}}, {PG_INDEXED_CHARACTERS}))"
)
PG_CREATE = [
    f"CREATE TABLE {PG_TABLE} ("
    "page_id INTEGER PRIMARY KEY REFERENCES text_page (id) ON DELETE CASCADE, tsv tsvector NOT NULL)",
    # Without a pending list: with one, each search reads it whole until a vacuum merges it.
    f"CREATE INDEX ix_{PG_TABLE}_tsv ON {PG_TABLE} USING gin (tsv) WITH (fastupdate = off)",
    "CREATE OR REPLACE FUNCTION tribunal_text_page_search() RETURNS trigger LANGUAGE plpgsql AS $$\n"
    "BEGIN\n"
    f"    INSERT INTO {PG_TABLE} (page_id, tsv) VALUES (NEW.id, {PG_VECTOR.format(text='NEW.text')})\n"
    "    ON CONFLICT (page_id) DO UPDATE SET tsv = EXCLUDED.tsv;\n"
    "    RETURN NULL;\n"
    "END;\n"
    "$$",
    "CREATE TRIGGER trg_text_page_search AFTER INSERT OR UPDATE OF text ON text_page "
    "FOR EACH ROW EXECUTE FUNCTION tribunal_text_page_search()",
]
PG_DROP = [
    "DROP TRIGGER IF EXISTS trg_text_page_search ON text_page",
    "DROP FUNCTION IF EXISTS tribunal_text_page_search()",
    f"DROP TABLE IF EXISTS {PG_TABLE}",
]
PG_FILL = f"INSERT INTO {PG_TABLE} (page_id, tsv) SELECT id, {PG_VECTOR.format(text='text')} FROM text_page"
# A bulk load (seeds/synth) drops the GIN index and builds it once afterwards.
PG_INDEX = f"ix_{PG_TABLE}_tsv"
PG_CREATE_INDEX = PG_CREATE[1]

# The triggers that keep the index (a batch operation on text_page, which rebuilds the table on
# SQLite, must make them again; tests/test_migrations/test_alembic.py checks every revision).
TRIGGERS: dict[str, set[str]] = {
    "sqlite": {"trg_text_page_fts_insert", "trg_text_page_fts_delete", "trg_text_page_fts_update"},
    "postgresql": {"trg_text_page_search"},
}
INDEX_NAMES: dict[str, set[str]] = {"sqlite": set(), "postgresql": {PG_INDEX, f"{PG_TABLE}_pkey"}}


def create_statements(dialect: str) -> list[str]:
    return {"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}.get(dialect, [])


def drop_statements(dialect: str) -> list[str]:
    return {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(dialect, [])


def fill_statement(dialect: str) -> str | None:
    return {"sqlite": SQLITE_FILL, "postgresql": PG_FILL}.get(dialect)


def is_index_table(name: str | None) -> bool:
    """True for the index table of either engine and FTS5's shadow tables beside it (Alembic's
    model comparison skips them: they are not in the metadata)."""
    if not name:
        return False
    return name in (SQLITE_TABLE, PG_TABLE) or any(name == SQLITE_TABLE + suffix for suffix in FTS5_SHADOW_SUFFIXES)


def install(metadata: MetaData) -> None:
    """Create (and drop) the index with ``metadata.create_all`` (``drop_all``) too; after
    ``text_page`` exists, before it is dropped."""
    for dialect in ("sqlite", "postgresql"):
        for sql in create_statements(dialect):
            event.listen(metadata, "after_create", DDL(sql).execute_if(dialect=dialect))
        for sql in drop_statements(dialect):
            event.listen(metadata, "before_drop", DDL(sql).execute_if(dialect=dialect))
