"""Background jobs and the text of evidence files, page by page (issue 22, items 1 and 2).

Reviewed by hand:
- job: one row per piece of background work (text extraction for now) with its state, progress,
  result or error; the queue carries only its id. Not a log: its state changes as it runs.
- text_extraction: the text of an original file as one version of the extractor read it,
  unique per (file, tool) so extracting again makes no second derivative; its derivative file
  (the pages as JSON, hashed and stored like any file) is unique too.
- text_page: each page's text, how it was read (text of the file or OCR) and its language.
No data moves; existing files get their text by `flask evidence extract`. The downgrade
refuses while any text has been extracted (the derivatives would lose their pages).

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 22:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=9), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("evidence_file_id", sa.Integer(), nullable=True),
        sa.Column("progress_done", sa.Integer(), nullable=False),
        sa.Column("progress_total", sa.Integer(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('extract_text')", name=op.f("ck_job_kind_allowed")),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed')", name=op.f("ck_job_status_allowed")
        ),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_job_attempts_not_negative")),
        sa.CheckConstraint("progress_done >= 0", name=op.f("ck_job_progress_done_not_negative")),
        sa.CheckConstraint(
            "progress_total IS NULL OR progress_total >= 0", name=op.f("ck_job_progress_total_not_negative")
        ),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], name=op.f("fk_job_evidence_id_evidence")),
        sa.ForeignKeyConstraint(
            ["evidence_file_id"], ["evidence_file.id"], name=op.f("fk_job_evidence_file_id_evidence_file")
        ),
        sa.ForeignKeyConstraint(["requested_by_id"], ["users.id"], name=op.f("fk_job_requested_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job")),
    )
    op.create_index(op.f("ix_job_evidence_id"), "job", ["evidence_id"], unique=False)
    op.create_index(op.f("ix_job_evidence_file_id"), "job", ["evidence_file_id"], unique=False)
    op.create_index(op.f("ix_job_requested_by_id"), "job", ["requested_by_id"], unique=False)
    op.create_table(
        "text_extraction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_file_id", sa.Integer(), nullable=False),
        sa.Column("text_file_id", sa.Integer(), nullable=False),
        sa.Column("tool", sa.String(length=300), nullable=False),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("page_count >= 0", name=op.f("ck_text_extraction_page_count_not_negative")),
        sa.ForeignKeyConstraint(
            ["source_file_id"], ["evidence_file.id"], name=op.f("fk_text_extraction_source_file_id_evidence_file")
        ),
        sa.ForeignKeyConstraint(
            ["text_file_id"], ["evidence_file.id"], name=op.f("fk_text_extraction_text_file_id_evidence_file")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_extraction")),
        sa.UniqueConstraint("source_file_id", "tool", name=op.f("uq_text_extraction_source_file_id_tool")),
    )
    op.create_index(op.f("ix_text_extraction_source_file_id"), "text_extraction", ["source_file_id"], unique=False)
    op.create_index(op.f("ix_text_extraction_text_file_id"), "text_extraction", ["text_file_id"], unique=True)
    op.create_table(
        "text_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("extraction_id", sa.Integer(), nullable=False),
        sa.Column("page_no", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("method", sa.String(length=10), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=True),
        sa.CheckConstraint("page_no >= 1", name=op.f("ck_text_page_page_no_positive")),
        sa.CheckConstraint("method IN ('text_layer', 'ocr')", name=op.f("ck_text_page_method_allowed")),
        sa.ForeignKeyConstraint(
            ["extraction_id"], ["text_extraction.id"], name=op.f("fk_text_page_extraction_id_text_extraction")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_page")),
        sa.UniqueConstraint("extraction_id", "page_no", name=op.f("uq_text_page_extraction_id_page_no")),
    )
    op.create_index(op.f("ix_text_page_extraction_id"), "text_page", ["extraction_id"], unique=False)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT count(*) FROM text_extraction")).scalar_one():
        raise RuntimeError("text has been extracted from evidence files: downgrading would lose its pages")
    op.drop_index(op.f("ix_text_page_extraction_id"), table_name="text_page")
    op.drop_table("text_page")
    op.drop_index(op.f("ix_text_extraction_text_file_id"), table_name="text_extraction")
    op.drop_index(op.f("ix_text_extraction_source_file_id"), table_name="text_extraction")
    op.drop_table("text_extraction")
    op.drop_index(op.f("ix_job_requested_by_id"), table_name="job")
    op.drop_index(op.f("ix_job_evidence_file_id"), table_name="job")
    op.drop_index(op.f("ix_job_evidence_id"), table_name="job")
    op.drop_table("job")
