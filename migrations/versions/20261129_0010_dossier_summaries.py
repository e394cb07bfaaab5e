"""Dossier summaries: each official's stored assessment, per clearance, for the dossiers index.

Reviewed by hand: a new table of derived rows only. The upgrade leaves it empty (the
assessment is Python, services/assessment/elements.py): run ``flask dossiers refresh`` after it; the
index shows only officials that have rows.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 14:05:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

CLEARANCES = "'public', 'restricted', 'confidential', 'strictly_confidential'"
STATUSES = "'candidate', 'under_review', 'recommended_for_indictment', 'deferred', 'closed'"
ELEMENT_STATUSES = "'met', 'inferred', 'partial', 'gap'"
ELEMENTS = ("e1", "e2", "e3", "e4", "e5", "e6")


def upgrade() -> None:
    op.create_table(
        "dossier_summary",
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("clearance", sa.String(length=21), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=26), nullable=False),
        sa.Column("strength", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.String(length=8), nullable=False) for name in ELEMENTS),
        sa.Column("review", sa.Boolean(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("gap_count", sa.Integer(), nullable=False),
        sa.Column("withheld_count", sa.Integer(), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(f"clearance IN ({CLEARANCES})", name=op.f("ck_dossier_summary_clearance_allowed")),
        sa.CheckConstraint(f"status IN ({STATUSES})", name=op.f("ck_dossier_summary_status_allowed")),
        *(
            sa.CheckConstraint(f"{name} IN ({ELEMENT_STATUSES})", name=op.f(f"ck_dossier_summary_{name}_allowed"))
            for name in ELEMENTS
        ),
        sa.CheckConstraint("strength >= 0 AND strength <= 100", name=op.f("ck_dossier_summary_strength_range")),
        sa.CheckConstraint(
            "gap_count >= 0 AND withheld_count >= 0", name=op.f("ck_dossier_summary_counts_not_negative")
        ),
        sa.ForeignKeyConstraint(["official_id"], ["official.id"], name=op.f("fk_dossier_summary_official_id_official")),
        sa.PrimaryKeyConstraint("official_id", "clearance", name=op.f("pk_dossier_summary")),
    )
    with op.batch_alter_table("dossier_summary", schema=None) as batch_op:
        batch_op.create_index(
            "ix_dossier_summary_by_strength",
            ["clearance", sa.column("strength").desc(), "name", "official_id"],
            unique=False,
        )
        batch_op.create_index("ix_dossier_summary_by_name", ["clearance", "name", "official_id"], unique=False)
        batch_op.create_index(
            "ix_dossier_summary_by_status",
            ["clearance", "status", sa.column("strength").desc(), "name", "official_id"],
            unique=False,
        )
        batch_op.create_index("ix_dossier_summary_stale", ["stale", "clearance"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("dossier_summary", schema=None) as batch_op:
        batch_op.drop_index("ix_dossier_summary_stale")
        batch_op.drop_index("ix_dossier_summary_by_status")
        batch_op.drop_index("ix_dossier_summary_by_name")
        batch_op.drop_index("ix_dossier_summary_by_strength")

    op.drop_table("dossier_summary")
