"""Saved searches (issue 25 item 4): a user's named filters of the dossiers index, the
evidence list or search.

Reviewed by hand:
- saved_search: one row per user, page and name (unique); the page limited by a CHECK to the
  three pages whose filters can be saved; the name not empty; the query is the page's query
  string as the application normalised it.
No data moves. The downgrade drops the table: the saved filters are a user's convenience,
not case data (the audit trail keeps their history).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07 19:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "saved_search",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("query", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("page IN ('dossiers', 'evidence', 'search')", name=op.f("ck_saved_search_page_allowed")),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_saved_search_name_not_empty")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_saved_search_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_search")),
        sa.UniqueConstraint("user_id", "page", "name", name=op.f("uq_saved_search_user_id_page_name")),
    )
    op.create_index(op.f("ix_saved_search_user_id"), "saved_search", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_saved_search_user_id"), table_name="saved_search")
    op.drop_table("saved_search")
