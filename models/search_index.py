"""The search index: every searchable name and text, folded across scripts, in one table.

Not an ORM model, because its shape differs by engine:

- SQLite: an FTS5 virtual table with the trigram tokenizer. ``compact`` (the folded text
  without spaces) answers substring queries; ``sounds`` holds one phonetic key per word,
  each between ``#`` marks, so a phrase query ``"#lkxnk#"`` matches a whole key only.
- PostgreSQL: an ordinary table with a pg_trgm GIN index on ``compact`` (for ``LIKE
  '%...%'``) and a full-text GIN index on ``to_tsvector('simple', sounds)``, one of each
  per kind. The GIN indexes are made without a pending list (``fastupdate = off``): with
  one, every search reads the whole list (up to 4 MB) until a vacuum merges it, which
  made a search of 100,000 officials four times slower; writes here are a record's few
  rows at a time. Statistics on the phonetic expression tell the planner how rare a
  sound is (those of a partial index are not used), so a rare name is looked up in the
  index rather than joined with every record.

The rows are written by services/search/engine.py on every ORM flush (folding needs Python:
anyascii and jellyfish). The same DDL serves the migration that creates the table and
``metadata.create_all`` (through DDL events, see ``install``), so both build the same thing.
"""

from __future__ import annotations

from sqlalchemy import DDL, Integer, MetaData, String, Text, column, event, table

TABLE = "search_index"
# Tables SQLite's FTS5 creates beside a virtual table to hold its content and index.
FTS5_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")

# Engine-neutral handle for queries and writes (kind: official, institution, decision, evidence).
search_index = table(
    TABLE,
    column("kind", String),
    column("record_id", Integer),
    column("field", String),
    column("label", Text),  # the text as written, shown as "matched ..."
    column("folded", Text),  # lower-case ASCII words, for ranking
    column("compact", Text),  # folded without spaces, for substring matching
    column("sounds", Text),  # "#key# #key#": phonetic keys of the words (names only)
)
# SQLite: the same with the FTS5 rowid, which services/search/engine.py assigns (kind, record, row).
search_index_with_rowid = table(TABLE, column("rowid", Integer), *(column(c.name, c.type) for c in search_index.c))

SQLITE_CREATE = [
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    "kind UNINDEXED, record_id UNINDEXED, field UNINDEXED, label UNINDEXED, folded UNINDEXED, "
    "compact, sounds, tokenize = 'trigram')"
]
SQLITE_DROP = [f"DROP TABLE IF EXISTS {TABLE}"]

KINDS = ("official", "institution", "decision", "evidence")
PHONETIC = ("official", "institution")  # kinds whose names carry phonetic keys


def _pg_kind_indexes(kind: str) -> list[str]:
    """One trigram index per kind (and a phonetic one for names): a search of one kind reads
    only that kind's matches, not every record sharing a trigram."""
    statements = [
        f"CREATE INDEX ix_{TABLE}_compact_{kind} ON {TABLE} USING gin (compact gin_trgm_ops) "
        f"WITH (fastupdate = off) WHERE kind = '{kind}'"
    ]
    if kind in PHONETIC:
        statements.append(
            f"CREATE INDEX ix_{TABLE}_sounds_{kind} ON {TABLE} "
            f"USING gin (to_tsvector('simple'::regconfig, sounds)) WITH (fastupdate = off) WHERE kind = '{kind}'"
        )
    return statements


# The GIN indexes, as a bulk load drops them and makes them again afterwards (seeds/synth):
# one build from the whole table is far quicker than millions of inserts into them.
PG_GIN_INDEXES = [f"ix_{TABLE}_compact_{kind}" for kind in KINDS] + [f"ix_{TABLE}_sounds_{kind}" for kind in PHONETIC]


def pg_gin_index_statements() -> list[str]:
    return [sql for kind in KINDS for sql in _pg_kind_indexes(kind)]


# Planner statistics on the phonetic expression (PostgreSQL 14 and later).
PG_STATISTICS = f"{TABLE}_sounds"
PG_CREATE_STATISTICS = (
    f"CREATE STATISTICS IF NOT EXISTS {PG_STATISTICS} ON (to_tsvector('simple'::regconfig, sounds)) FROM {TABLE}"
)


PG_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE TABLE {TABLE} ("
    "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
    "kind VARCHAR(20) NOT NULL, record_id INTEGER NOT NULL, field VARCHAR(20) NOT NULL, "
    "label TEXT NOT NULL, folded TEXT NOT NULL, compact TEXT NOT NULL, sounds TEXT NOT NULL)",
    f"CREATE INDEX ix_{TABLE}_record ON {TABLE} (kind, record_id)",
    *pg_gin_index_statements(),
    PG_CREATE_STATISTICS,
]
# pg_trgm stays: it may have been there before, and other objects may use it.
PG_DROP = [f"DROP TABLE IF EXISTS {TABLE}"]

INDEX_NAMES: dict[str, set[str]] = {
    "sqlite": set(),
    "postgresql": {
        f"ix_{TABLE}_record",
        *(f"ix_{TABLE}_compact_{kind}" for kind in KINDS),
        *(f"ix_{TABLE}_sounds_{kind}" for kind in PHONETIC),
    },
}


def create_statements(dialect: str) -> list[str]:
    return {"sqlite": SQLITE_CREATE, "postgresql": PG_CREATE}.get(dialect, [])


def drop_statements(dialect: str) -> list[str]:
    return {"sqlite": SQLITE_DROP, "postgresql": PG_DROP}.get(dialect, [])


def is_index_table(name: str | None) -> bool:
    """True for the index table and, on SQLite, the shadow tables FTS5 keeps beside it.

    Alembic's model comparison must skip them (they are not in the metadata)."""
    if not name:
        return False
    return name == TABLE or any(name == TABLE + suffix for suffix in FTS5_SHADOW_SUFFIXES)


def install(metadata: MetaData) -> None:
    """Create (and drop) the index with ``metadata.create_all`` (``drop_all``) too."""
    for dialect in ("sqlite", "postgresql"):
        for sql in create_statements(dialect):
            event.listen(metadata, "after_create", DDL(sql).execute_if(dialect=dialect))
        for sql in drop_statements(dialect):
            event.listen(metadata, "before_drop", DDL(sql).execute_if(dialect=dialect))
