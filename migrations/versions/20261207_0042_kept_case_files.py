"""Case files built by a background job and kept by hash under the store, to be downloaded
again from the dossier page (issue 22, item 8).

Reviewed by hand: kept_case_file (its format, hash, size, the clearance it was built at, what it
holds) and its officials. No data moves.

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-08 01:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0042"
down_revision = "0041"
branch_labels = None
depends_on = None

CLASSIFICATIONS = "('public', 'restricted', 'confidential', 'strictly_confidential')"


def upgrade() -> None:
    op.create_table(
        "kept_case_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("format", sa.String(length=3), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("highest_classification", sa.String(length=21), nullable=False),
        sa.Column("exhibit_count", sa.Integer(), nullable=False),
        sa.Column("withheld_count", sa.Integer(), nullable=False),
        sa.Column("clearance", sa.String(length=21), nullable=False),
        sa.Column("contents", sa.JSON(), nullable=False),
        sa.CheckConstraint("format IN ('pdf', 'bag', 'ftm', 'csv')", name=op.f("ck_kept_case_file_format_allowed")),
        sa.CheckConstraint(
            f"highest_classification IN {CLASSIFICATIONS}",
            name=op.f("ck_kept_case_file_highest_classification_allowed"),
        ),
        sa.CheckConstraint(f"clearance IN {CLASSIFICATIONS}", name=op.f("ck_kept_case_file_clearance_allowed")),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_kept_case_file_sha256_length")),
        sa.CheckConstraint(
            "size >= 0 AND exhibit_count >= 0 AND withheld_count >= 0",
            name=op.f("ck_kept_case_file_counts_not_negative"),
        ),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], name=op.f("fk_kept_case_file_job_id_job")),
        sa.ForeignKeyConstraint(
            ["requested_by_id"], ["users.id"], name=op.f("fk_kept_case_file_requested_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kept_case_file")),
    )
    with op.batch_alter_table("kept_case_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kept_case_file_job_id"), ["job_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kept_case_file_requested_by_id"), ["requested_by_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kept_case_file_sha256"), ["sha256"], unique=False)
    op.create_table(
        "kept_case_file_official",
        sa.Column("kept_case_file_id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["kept_case_file_id"],
            ["kept_case_file.id"],
            name=op.f("fk_kept_case_file_official_kept_case_file_id_kept_case_file"),
        ),
        sa.ForeignKeyConstraint(
            ["official_id"], ["official.id"], name=op.f("fk_kept_case_file_official_official_id_official")
        ),
        sa.PrimaryKeyConstraint("kept_case_file_id", "official_id", name=op.f("pk_kept_case_file_official")),
    )
    with op.batch_alter_table("kept_case_file_official", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_kept_case_file_official_kept_case_file_id"), ["kept_case_file_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_kept_case_file_official_official_id"), ["official_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("kept_case_file_official", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kept_case_file_official_official_id"))
        batch_op.drop_index(batch_op.f("ix_kept_case_file_official_kept_case_file_id"))
    op.drop_table("kept_case_file_official")
    with op.batch_alter_table("kept_case_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kept_case_file_sha256"))
        batch_op.drop_index(batch_op.f("ix_kept_case_file_requested_by_id"))
        batch_op.drop_index(batch_op.f("ix_kept_case_file_job_id"))
    op.drop_table("kept_case_file")
