"""Dossier summaries: the official's State copied into each row, an index for the State filter
and one partial index per element over the rows that miss it, so that the index filtered by
State or by a missing element reads only the matching rows (before, it walked the whole
clearance's rows and looked each official up).

Reviewed by hand: the new column is filled from the officials before it becomes NOT NULL (a
derived copy, like the name: no foreign key);
the partial indexes' condition is the literal the index query states (models/dossier_summary.py
element_missing). The two strongest-first indexes of 0010 are made again: on SQLite they had
lost their descending order (a batch operation dropped the DESC), so each page sorted ties.

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


def _strongest_first(*lead: str) -> list[sa.TextClause]:
    """Index columns for the strongest-first order after ``lead``: written as text, because
    a descending column given to a batch operation lost its DESC on SQLite."""
    return [sa.text(column) for column in (*lead, "strength DESC", "name", "official_id")]


def upgrade() -> None:
    op.add_column("dossier_summary", sa.Column("state_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE dossier_summary SET state_id = "
        "(SELECT official.state_id FROM official WHERE official.id = dossier_summary.official_id)"
    )
    with op.batch_alter_table("dossier_summary", schema=None) as batch_op:
        batch_op.alter_column("state_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_index("ix_dossier_summary_by_strength")
        batch_op.drop_index("ix_dossier_summary_by_status")
    op.create_index("ix_dossier_summary_by_strength", "dossier_summary", _strongest_first("clearance"))
    op.create_index("ix_dossier_summary_by_status", "dossier_summary", _strongest_first("clearance", "status"))
    op.create_index("ix_dossier_summary_by_state", "dossier_summary", _strongest_first("clearance", "state_id"))
    for column in ELEMENTS:
        where = {"sqlite_where": _missing(column), "postgresql_where": _missing(column)}
        op.create_index(
            f"ix_dossier_summary_missing_{column}", "dossier_summary", _strongest_first("clearance"), **where
        )
        op.create_index(
            f"ix_dossier_summary_missing_{column}_by_state",
            "dossier_summary",
            _strongest_first("clearance", "state_id"),
            **where,
        )


def downgrade() -> None:
    for column in reversed(ELEMENTS):
        op.drop_index(f"ix_dossier_summary_missing_{column}_by_state", table_name="dossier_summary")
        op.drop_index(f"ix_dossier_summary_missing_{column}", table_name="dossier_summary")
    op.drop_index("ix_dossier_summary_by_state", table_name="dossier_summary")
    op.drop_index("ix_dossier_summary_by_status", table_name="dossier_summary")
    op.drop_index("ix_dossier_summary_by_strength", table_name="dossier_summary")
    with op.batch_alter_table("dossier_summary", schema=None) as batch_op:
        batch_op.drop_column("state_id")
    # Outside the batch, as in the upgrade: inside it SQLite's indexes lost their DESC
    op.create_index("ix_dossier_summary_by_strength", "dossier_summary", _strongest_first("clearance"))
    op.create_index("ix_dossier_summary_by_status", "dossier_summary", _strongest_first("clearance", "status"))
