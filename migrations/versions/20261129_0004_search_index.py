"""Search index: names and texts of officials, institutions, decisions and evidence, folded
across scripts, with a trigram and a phonetic key.

Written by hand (autogenerate does not see it: the index is not an ORM model, because its
shape differs by engine). SQLite gets an FTS5 virtual table with the trigram tokenizer;
PostgreSQL an ordinary table with a pg_trgm GIN index on the compact text and a full-text
GIN index on the phonetic keys. The upgrade fills it from the records already stored. The
DDL and the folding are copied here, frozen, rather than imported (see models/search_index.py
and services/search/engine.py for the living versions): later changes there must not change what
this revision did. The downgrade drops the table but keeps pg_trgm, which may have been
installed before and may serve other objects.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 09:00:00.000000
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import jellyfish
import sqlalchemy as sa
from alembic import op
from anyascii import anyascii

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_index USING fts5("
    "kind UNINDEXED, record_id UNINDEXED, field UNINDEXED, label UNINDEXED, folded UNINDEXED, "
    "compact, sounds, tokenize = 'trigram')"
]
PG_CREATE = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE search_index ("
    "id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "
    "kind VARCHAR(20) NOT NULL, record_id INTEGER NOT NULL, field VARCHAR(20) NOT NULL, "
    "label TEXT NOT NULL, folded TEXT NOT NULL, compact TEXT NOT NULL, sounds TEXT NOT NULL)",
    "CREATE INDEX ix_search_index_record ON search_index (kind, record_id)",
    "CREATE INDEX ix_search_index_compact_trgm ON search_index USING gin (compact gin_trgm_ops)",
    "CREATE INDEX ix_search_index_sounds_tsv ON search_index USING gin (to_tsvector('simple'::regconfig, sounds))",
]

search_index = sa.table(
    "search_index",
    *(sa.column(name) for name in ("kind", "record_id", "field", "label", "folded", "compact", "sounds")),
)
official = sa.table("official", *(sa.column(n) for n in ("id", "name", "native_name", "deleted_at")))
official_name = sa.table("official_name", *(sa.column(n) for n in ("id", "official_id", "name")))
institution = sa.table("institution", *(sa.column(n) for n in ("id", "name", "native_name")))
decision = sa.table("decision", *(sa.column(n) for n in ("id", "title", "instrument", "summary", "deleted_at")))
evidence = sa.table("evidence", *(sa.column(n) for n in ("id", "exhibit_no", "title", "summary", "deleted_at")))


def _fold(text: str) -> str:
    ascii_text = anyascii(unicodedata.normalize("NFKC", text)).casefold().replace("'", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", ascii_text).split())


def _sounds(folded: str) -> str:
    keys = (jellyfish.metaphone(word).lower() for word in folded.split())
    return " ".join(f"#{key}#" for key in dict.fromkeys(k for k in keys if k))


def _rows(bind: sa.Connection) -> list[dict[str, Any]]:
    texts: list[tuple[str, int, str, str | None]] = []
    live_officials = set()
    for row in bind.execute(sa.select(official).where(official.c.deleted_at.is_(None))):
        live_officials.add(row.id)
        texts += [("official", row.id, "name", row.name), ("official", row.id, "native_name", row.native_name)]
    for row in bind.execute(sa.select(official_name).order_by(official_name.c.id)):
        if row.official_id in live_officials:
            texts.append(("official", row.official_id, "alias", row.name))
    for row in bind.execute(sa.select(institution)):
        texts += [("institution", row.id, "name", row.name), ("institution", row.id, "native_name", row.native_name)]
    for row in bind.execute(sa.select(decision).where(decision.c.deleted_at.is_(None))):
        texts += [("decision", row.id, f, getattr(row, f)) for f in ("title", "instrument", "summary")]
    for row in bind.execute(sa.select(evidence).where(evidence.c.deleted_at.is_(None))):
        texts += [("evidence", row.id, f, getattr(row, f)) for f in ("exhibit_no", "title", "summary")]

    rows, seen = [], set()
    for kind, record_id, field, text in texts:
        folded = _fold(text) if text else ""
        if not folded or (kind, record_id, text) in seen:
            continue
        seen.add((kind, record_id, text))
        phonetic = kind in ("official", "institution") and field in ("name", "native_name", "alias")
        rows.append(
            {
                "kind": kind,
                "record_id": record_id,
                "field": field,
                "label": text,
                "folded": folded,
                "compact": folded.replace(" ", ""),
                "sounds": _sounds(folded) if phonetic else "",
            }
        )
    return rows


def upgrade() -> None:
    bind = op.get_bind()
    for sql in SQLITE_CREATE if bind.dialect.name == "sqlite" else PG_CREATE:
        op.execute(sql)
    rows = _rows(bind)
    if rows:
        op.bulk_insert(search_index, rows)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS search_index")
