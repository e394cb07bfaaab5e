"""Pinpoints anchored to the document (issue 22 item 5): a support may name a passage of a file of
its exhibit -- the page and the quoted text with a little context (W3C Web Annotation
TextQuoteSelector: exact, prefix, suffix) -- or a time range of an audio or video file.

Reviewed by hand: support gains anchor_file_id (indexed, a foreign key to evidence_file),
quote_page, quote_exact, quote_prefix, quote_suffix, time_start and time_end, all nullable, with
CHECKs that an anchor is a quote or a time range of one file (or nothing), that the page is from 1
and that the range runs forward from 0. On SQLite the batch operation rebuilds the support table;
the partial one-link-per-exhibit-and-fact indexes are dropped first and made again after, so
their WHERE survives. No data moves (no link had an anchor); the free-text pinpoint stays. The
downgrade drops the columns (anchors are lost; the audit trail keeps them).

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-08 01:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0041"
down_revision = "0040"
branch_labels = None
depends_on = None

TARGETS = ("tenure_id", "involvement_id", "decision_id", "act_id", "act_assessment_id")
CHECKS = {
    "anchor_is_a_quote_or_a_time_range": (
        "(quote_page IS NULL) = (quote_exact IS NULL) AND (time_start IS NULL) = (time_end IS NULL)"
        " AND (quote_page IS NULL OR time_start IS NULL)"
        " AND ((anchor_file_id IS NULL) = (quote_page IS NULL AND time_start IS NULL))"
    ),
    "quote_page_positive": "quote_page IS NULL OR quote_page >= 1",
    "time_range_forward": "time_start IS NULL OR (time_start >= 0 AND time_end > time_start)",
}
COLUMNS = ("anchor_file_id", "quote_page", "quote_exact", "quote_prefix", "quote_suffix", "time_start", "time_end")


def _unique_links(*, create: bool) -> None:
    for column in TARGETS:
        name = f"uq_support_evidence_{column}"
        if create:
            where = sa.text(f"{column} IS NOT NULL")
            op.create_index(
                name, "support", ["evidence_id", column], unique=True, sqlite_where=where, postgresql_where=where
            )
        else:
            op.drop_index(name, table_name="support")


def upgrade() -> None:
    _unique_links(create=False)
    with op.batch_alter_table("support", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anchor_file_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("quote_page", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("quote_exact", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("quote_prefix", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("quote_suffix", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("time_start", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("time_end", sa.Float(), nullable=True))
        batch_op.create_index(batch_op.f("ix_support_anchor_file_id"), ["anchor_file_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_support_anchor_file_id_evidence_file"), "evidence_file", ["anchor_file_id"], ["id"]
        )
        for name, condition in CHECKS.items():
            batch_op.create_check_constraint(op.f(f"ck_support_{name}"), condition)
    _unique_links(create=True)


def downgrade() -> None:
    _unique_links(create=False)
    with op.batch_alter_table("support", schema=None) as batch_op:
        for name in CHECKS:
            batch_op.drop_constraint(op.f(f"ck_support_{name}"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_support_anchor_file_id_evidence_file"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_support_anchor_file_id"))
        for column in reversed(COLUMNS):
            batch_op.drop_column(column)
    _unique_links(create=True)
