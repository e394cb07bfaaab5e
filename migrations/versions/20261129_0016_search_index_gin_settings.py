"""PostgreSQL search: the GIN indexes without a pending list, and statistics on the phonetic
expression.

With ``fastupdate`` on (PostgreSQL's default) new index entries wait in a pending list, up to
4 MB, until a vacuum merges them, and every search reads the whole list: after a bulk load a
search of 100,000 officials read ~2,000 pending pages and took 35-45 ms instead of 5-9 ms.
The search index is read far more often than written (an edit rewrites a record's few rows),
so its GIN indexes are set to write through, and what waits now is merged. The statistics on
``to_tsvector('simple', sounds)`` let the planner see how rare a sound is (the per-kind
indexes are partial, and PostgreSQL ignores the statistics of a partial index's expression):
without them every phonetic lookup was guessed at 0.5 % of the table, and a rare name was
joined with every official by a sequential scan. Needs PostgreSQL 14 or later.

Reviewed by hand: PostgreSQL only; SQLite's FTS5 index has neither.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 19:30:00
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

GIN_INDEXES = [f"ix_search_index_compact_{kind}" for kind in ("official", "institution", "decision", "evidence")] + [
    f"ix_search_index_sounds_{kind}" for kind in ("official", "institution")
]
STATISTICS = "search_index_sounds"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in GIN_INDEXES:
        op.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
        op.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")  # what waits already
    op.execute(
        f"CREATE STATISTICS IF NOT EXISTS {STATISTICS} ON (to_tsvector('simple'::regconfig, sounds)) FROM search_index"
    )
    op.execute("ANALYZE search_index")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP STATISTICS IF EXISTS {STATISTICS}")
    for name in GIN_INDEXES:
        op.execute(f"ALTER INDEX {name} RESET (fastupdate)")
