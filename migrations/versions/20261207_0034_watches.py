"""Watches (issue 25 item 3): a user watches a dossier, an official or a saved search.

Reviewed by hand:
- watch: kind (CHECK) and exactly the target its kind names (an official for a dossier or an
  official, a saved search for a saved search: CHECK one_target); one watch per user and
  target (two unique constraints, each ignoring the other kind's NULL).
No data moves. The downgrade drops the table (a watch is a user's convenience; the audit
trail keeps its history).

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 22:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0034"
down_revision = "0033"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "watch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=True),
        sa.Column("saved_search_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(kind = 'saved_search' AND saved_search_id IS NOT NULL AND official_id IS NULL) OR (kind <> 'saved_search' AND official_id IS NOT NULL AND saved_search_id IS NULL)",
            name=op.f("ck_watch_one_target"),
        ),
        sa.CheckConstraint("kind IN ('dossier', 'official', 'saved_search')", name=op.f("ck_watch_kind_allowed")),
        sa.ForeignKeyConstraint(["official_id"], ["official.id"], name=op.f("fk_watch_official_id_official")),
        sa.ForeignKeyConstraint(
            ["saved_search_id"], ["saved_search.id"], name=op.f("fk_watch_saved_search_id_saved_search")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_watch_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watch")),
        sa.UniqueConstraint("user_id", "kind", "official_id", name=op.f("uq_watch_user_id_kind_official_id")),
        sa.UniqueConstraint("user_id", "saved_search_id", name=op.f("uq_watch_user_id_saved_search_id")),
    )
    with op.batch_alter_table("watch", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watch_official_id"), ["official_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_watch_saved_search_id"), ["saved_search_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_watch_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("watch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watch_user_id"))
        batch_op.drop_index(batch_op.f("ix_watch_saved_search_id"))
        batch_op.drop_index(batch_op.f("ix_watch_official_id"))

    op.drop_table("watch")
