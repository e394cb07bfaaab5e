"""Dossier summaries: the official's State copied into each row, an index for the State filter
and one partial index per element over the rows that miss it, so that the index filtered by
State or by a missing element reads only the matching rows (before, it walked the whole
clearance's rows and looked each official up).

Reviewed by hand: the new column is filled from the officials before it becomes NOT NULL;
the partial indexes' condition is the literal the index query states (models/dossier_summary.py
element_missing).

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 15:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

ELEMENTS = ("e1", "e2", "e3", "e4", "e5", "e6")


def _missing(column: str) -> sa.TextClause:
    return sa.text(f"dossier_summary.{column} NOT IN ('met', 'inferred')")


def upgrade() -> None:
    op.add_column("dossier_summary", sa.Column("state_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE dossier_summary SET state_id = "
        "(SELECT official.state_id FROM official WHERE official.id = dossier_summary.official_id)"
    )
    with op.batch_alter_table("dossier_summary", schema=None) as batch_op:
        batch_op.alter_column("state_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(op.f("fk_dossier_summary_state_id_state"), "state", ["state_id"], ["id"])
        batch_op.create_index(
            "ix_dossier_summary_by_state",
            ["clearance", "state_id", sa.column("strength").desc(), "name", "official_id"],
            unique=False,
        )
        for column in ELEMENTS:
            batch_op.create_index(
                f"ix_dossier_summary_missing_{column}",
                ["clearance", sa.column("strength").desc(), "name", "official_id"],
                unique=False,
                sqlite_where=_missing(column),
                postgresql_where=_missing(column),
            )


def downgrade() -> None:
    with op.batch_alter_table("dossier_summary", schema=None) as batch_op:
        for column in reversed(ELEMENTS):
            batch_op.drop_index(f"ix_dossier_summary_missing_{column}")
        batch_op.drop_index("ix_dossier_summary_by_state")
        batch_op.drop_constraint(op.f("fk_dossier_summary_state_id_state"), type_="foreignkey")
        batch_op.drop_column("state_id")
