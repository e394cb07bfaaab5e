"""Imports that never merge two people (issue 19): the record of which source row became which
official, conflict reviews, undoable confirmations, per-reason counts, and tenures from
listings that no longer read as "in office".

* ``import_record``: a source row's identity (the EU act + annex + programme + entry, the
  OFAC entry number, the FtM id) and the official it became, with a fingerprint of the row.
* ``match_review``: ``reason`` (match, or conflict: the row's identity points at an official
  it contradicts), status ``undone``, ``automatic`` (a certain match accepted in bulk),
  ``merged`` (what the confirmation added, for undoing it), ``undone_by_id``/``undone_at``.
* ``import_run``: ``strict``, ``accept_certain`` and ``reasons`` (counts per reason).
* Tenures an import derived from a listing alone ("Start not known: held on <date> ...") said
  the post was held on that date, yet were open-ended, hence "in office" to this day (and a
  troika notice). They now end on the date they were known to be held; the downgrade opens
  them again.

Reviewed by hand: autogenerate saw the table and the columns; the CHECK constraints on
match_review (status, reason) and the data step are written by hand.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

OLD_STATUSES = "status IN ('pending', 'confirmed', 'rejected')"
NEW_STATUSES = "status IN ('pending', 'confirmed', 'rejected', 'undone')"
REASONS = "reason IN ('match', 'conflict')"
# The notes services/imports/apply.py writes on a tenure it derives from a listing alone
LISTING_TENURE = "note LIKE 'Start not known: held on %'"


def upgrade() -> None:
    op.create_table(
        "import_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("listing_id", sa.Integer(), nullable=True),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("import_run_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(fingerprint) = 64", name=op.f("ck_import_record_fingerprint_length")),
        sa.ForeignKeyConstraint(
            ["import_run_id"], ["import_run.id"], name=op.f("fk_import_record_import_run_id_import_run")
        ),
        sa.ForeignKeyConstraint(["listing_id"], ["evidence.id"], name=op.f("fk_import_record_listing_id_evidence")),
        sa.ForeignKeyConstraint(["official_id"], ["official.id"], name=op.f("fk_import_record_official_id_official")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_record")),
        sa.UniqueConstraint("source", "key", name=op.f("uq_import_record_source_key")),
    )
    with op.batch_alter_table("import_record", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_record_import_run_id"), ["import_run_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_record_listing_id"), ["listing_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_import_record_official_id"), ["official_id"], unique=False)

    with op.batch_alter_table("import_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("strict", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("accept_certain", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("reasons", sa.JSON(), nullable=False, server_default="{}"))
    with op.batch_alter_table("import_run", schema=None) as batch_op:
        for column in ("strict", "accept_certain", "reasons"):
            batch_op.alter_column(column, server_default=None)

    with op.batch_alter_table("match_review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.String(length=8), nullable=False, server_default="match"))
        batch_op.add_column(sa.Column("automatic", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("merged", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("undone_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_match_review_undone_by_id"), ["undone_by_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_match_review_undone_by_id_users"), "users", ["undone_by_id"], ["id"])
        batch_op.drop_constraint(op.f("ck_match_review_status_allowed"), type_="check")
        batch_op.create_check_constraint(op.f("ck_match_review_status_allowed"), NEW_STATUSES)
        batch_op.create_check_constraint(op.f("ck_match_review_reason_allowed"), REASONS)
    with op.batch_alter_table("match_review", schema=None) as batch_op:
        batch_op.alter_column("reason", server_default=None)
        batch_op.alter_column("automatic", server_default=None)

    op.execute(
        "UPDATE tenure SET end_date = start_date, end_date_precision = start_date_precision "
        f"WHERE end_date IS NULL AND {LISTING_TENURE}"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE tenure SET end_date = NULL, end_date_precision = NULL "
        f"WHERE end_date = start_date AND end_date_precision = start_date_precision AND {LISTING_TENURE}"
    )
    op.execute("UPDATE match_review SET status = 'rejected' WHERE status = 'undone'")
    with op.batch_alter_table("match_review", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_match_review_reason_allowed"), type_="check")
        batch_op.drop_constraint(op.f("ck_match_review_status_allowed"), type_="check")
        batch_op.create_check_constraint(op.f("ck_match_review_status_allowed"), OLD_STATUSES)
        batch_op.drop_constraint(batch_op.f("fk_match_review_undone_by_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_match_review_undone_by_id"))
        batch_op.drop_column("undone_at")
        batch_op.drop_column("undone_by_id")
        batch_op.drop_column("merged")
        batch_op.drop_column("automatic")
        batch_op.drop_column("reason")

    with op.batch_alter_table("import_run", schema=None) as batch_op:
        batch_op.drop_column("reasons")
        batch_op.drop_column("accept_certain")
        batch_op.drop_column("strict")

    with op.batch_alter_table("import_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_record_official_id"))
        batch_op.drop_index(batch_op.f("ix_import_record_listing_id"))
        batch_op.drop_index(batch_op.f("ix_import_record_import_run_id"))
    op.drop_table("import_record")
