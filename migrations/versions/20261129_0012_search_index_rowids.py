"""Search by kind without reading other kinds' matches. SQLite: index rowids made of the kind,
the record and a row number, so that replacing a record's rows and filtering a search by
kind are rowid ranges FTS5 reads from its index (before, both read every row). PostgreSQL:
the trigram and phonetic GIN indexes split into one partial index per kind.

Reviewed by hand: re-keys the existing SQLite rows in SQL (the numbering of
services/search/engine.py, frozen here); the downgrade keeps the new rowids, which the older code
does not mind, and restores PostgreSQL's two whole-table indexes.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 13:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

KIND_CODES = {"official": 1, "institution": 2, "decision": 3, "evidence": 4}
ROWS_PER_RECORD = 256
KIND_SHIFT = 40


PG_KINDS = ("official", "institution", "decision", "evidence")
PG_PHONETIC = ("official", "institution")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_index_compact_trgm")
        op.execute("DROP INDEX IF EXISTS ix_search_index_sounds_tsv")
        for kind in PG_KINDS:
            op.execute(
                f"CREATE INDEX ix_search_index_compact_{kind} ON search_index"
                f" USING gin (compact gin_trgm_ops) WHERE kind = '{kind}'"
            )
        for kind in PG_PHONETIC:
            op.execute(
                f"CREATE INDEX ix_search_index_sounds_{kind} ON search_index"
                f" USING gin (to_tsvector('simple'::regconfig, sounds)) WHERE kind = '{kind}'"
            )
        return
    if op.get_bind().dialect.name != "sqlite":
        return
    code = "CASE kind " + " ".join(f"WHEN '{k}' THEN {v}" for k, v in KIND_CODES.items()) + " END"
    columns = "kind, record_id, field, label, folded, compact, sounds"
    op.execute(
        f"CREATE TEMP TABLE search_rekey AS SELECT ({code} << {KIND_SHIFT}) + record_id * {ROWS_PER_RECORD}"
        " + (row_number() OVER (PARTITION BY kind, record_id ORDER BY rowid) - 1) AS new_rowid,"
        " row_number() OVER (PARTITION BY kind, record_id ORDER BY rowid) AS n,"
        f" {columns} FROM search_index"
    )
    op.execute("DELETE FROM search_index")
    op.execute(
        f"INSERT INTO search_index (rowid, {columns}) SELECT new_rowid, {columns} FROM search_rekey"
        f" WHERE n <= {ROWS_PER_RECORD} ORDER BY new_rowid"
    )
    op.execute("DROP TABLE search_rekey")


def downgrade() -> None:
    # SQLite: the older code finds rows by kind and record id, whatever their rowids
    if op.get_bind().dialect.name != "postgresql":
        return
    for kind in PG_KINDS:
        op.execute(f"DROP INDEX IF EXISTS ix_search_index_compact_{kind}")
    for kind in PG_PHONETIC:
        op.execute(f"DROP INDEX IF EXISTS ix_search_index_sounds_{kind}")
    op.execute("CREATE INDEX ix_search_index_compact_trgm ON search_index USING gin (compact gin_trgm_ops)")
    op.execute(
        "CREATE INDEX ix_search_index_sounds_tsv ON search_index USING gin (to_tsvector('simple'::regconfig, sounds))"
    )
