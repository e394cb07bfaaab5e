"""Official names get a search key: the name folded to lower-case ASCII across scripts.

Written by hand after autogenerate: the NOT NULL column is added in two steps (nullable,
backfilled from the existing names, then NOT NULL), so databases that already hold names
upgrade without loss. The folding is copied here, frozen, rather than imported: later
changes to the application's folding must not change what this revision did.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 05:22:47.691732
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op
from anyascii import anyascii

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

official_name = sa.table(
    "official_name",
    sa.column("id", sa.Integer),
    sa.column("name", sa.String),
    sa.column("search_key", sa.String),
)


def _fold(name: str) -> str:
    folded = anyascii(unicodedata.normalize("NFKC", name)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


def upgrade() -> None:
    with op.batch_alter_table("official_name", schema=None) as batch_op:
        batch_op.add_column(sa.Column("search_key", sa.String(length=300), nullable=True))

    bind = op.get_bind()
    rows = bind.execute(sa.select(official_name.c.id, official_name.c.name)).all()
    for row_id, name in rows:
        bind.execute(official_name.update().where(official_name.c.id == row_id).values(search_key=_fold(name)))

    with op.batch_alter_table("official_name", schema=None) as batch_op:
        batch_op.alter_column("search_key", existing_type=sa.String(length=300), nullable=False)
        batch_op.create_index(batch_op.f("ix_official_name_search_key"), ["search_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("official_name", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_official_name_search_key"))
        batch_op.drop_column("search_key")
