"""Evidence store, custody chain and fixity runs.

Reviewed by hand:
- evidence_file gains how a derivative was made (``derivation``, required exactly when the
  file has a parent: existing derivatives get "other") and who uploaded it; the same bytes
  may be attached to one exhibit only once. Its rows become append-only (triggers), like the
  custody and audit logs: stored bytes never change, so neither does their record.
- custody_event gains the file an event concerns, and two partial unique indexes that keep
  an item's chain from forking (one first event per item, one successor per event).
- custody_head keeps each chain's length and newest hash (an anchor for the tip, and the
  row that serialises concurrent appends); chains already recorded get their head.
- fixity_run records each run of ``flask evidence fixity``.
CHECK constraints are added by hand (autogenerate does not see them). On SQLite the batch
operations rebuild tables and drop their triggers, so every protective trigger is recreated
after each direction.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 09:19:35.472581
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models import triggers

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# As they stand at this revision (frozen: later revisions may protect more tables)
PROTECTED_BEFORE = ("custody_event", "audit_event", "official", "decision", "evidence")
PROTECTED_AFTER = (*PROTECTED_BEFORE, "evidence_file")
DERIVATIONS = ("translation", "transcript", "redaction", "still", "conversion", "other")


def upgrade() -> None:
    op.create_table(
        "fixity_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("files_checked", sa.Integer(), nullable=False),
        sa.Column("bytes_checked", sa.BigInteger(), nullable=False),
        sa.Column("chains_checked", sa.Integer(), nullable=False),
        sa.Column("events_checked", sa.Integer(), nullable=False),
        sa.Column("problem_count", sa.Integer(), nullable=False),
        sa.Column("problems", sa.JSON(), nullable=False),
        sa.Column("run_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fixity_run")),
    )
    op.create_table(
        "custody_head",
        sa.Column("evidence_id", sa.Integer(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=False),
        sa.CheckConstraint("event_count > 0", name=op.f("ck_custody_head_event_count_positive")),
        sa.CheckConstraint("length(head_hash) = 64", name=op.f("ck_custody_head_head_hash_length")),
        sa.ForeignKeyConstraint(["evidence_id"], ["evidence.id"], name=op.f("fk_custody_head_evidence_id_evidence")),
        sa.PrimaryKeyConstraint("evidence_id", name=op.f("pk_custody_head")),
    )
    # Chains recorded before: the newest event of each item is its head
    op.execute(
        "INSERT INTO custody_head (evidence_id, event_count, head_hash) "
        "SELECT c.evidence_id, n.count, c.event_hash FROM custody_event c "
        "JOIN (SELECT evidence_id, count(*) AS count, max(id) AS last_id FROM custody_event GROUP BY evidence_id) n "
        "ON c.id = n.last_id"
    )
    with op.batch_alter_table("custody_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("evidence_file_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_custody_event_evidence_file_id"), ["evidence_file_id"], unique=False)
        batch_op.create_index(
            "uq_custody_event_first_per_evidence",
            ["evidence_id"],
            unique=True,
            sqlite_where=sa.text("prev_hash IS NULL"),
            postgresql_where=sa.text("prev_hash IS NULL"),
        )
        batch_op.create_index(
            "uq_custody_event_prev_hash",
            ["prev_hash"],
            unique=True,
            sqlite_where=sa.text("prev_hash IS NOT NULL"),
            postgresql_where=sa.text("prev_hash IS NOT NULL"),
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_custody_event_evidence_file_id_evidence_file"), "evidence_file", ["evidence_file_id"], ["id"]
        )

    with op.batch_alter_table("evidence_file", schema=None) as batch_op:
        batch_op.add_column(sa.Column("derivation", sa.String(length=11), nullable=True))
        batch_op.add_column(sa.Column("uploaded_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_evidence_file_uploaded_by_id"), ["uploaded_by_id"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_evidence_file_evidence_id_sha256"), ["evidence_id", "sha256"])
        batch_op.create_foreign_key(
            batch_op.f("fk_evidence_file_uploaded_by_id_users"), "users", ["uploaded_by_id"], ["id"]
        )
    # Existing derivatives did not say how they were made
    op.execute("UPDATE evidence_file SET derivation = 'other' WHERE parent_id IS NOT NULL")
    allowed = ", ".join(f"'{d}'" for d in DERIVATIONS)
    with op.batch_alter_table("evidence_file", schema=None) as batch_op:
        batch_op.create_check_constraint(
            op.f("ck_evidence_file_derivation_allowed"), f"derivation IS NULL OR derivation IN ({allowed})"
        )
        batch_op.create_check_constraint(
            op.f("ck_evidence_file_derivation_iff_parent"), "(parent_id IS NULL) = (derivation IS NULL)"
        )
    _recreate_triggers(PROTECTED_AFTER)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for sql in triggers.drop_statements("evidence_file", dialect):
        op.execute(sql)
    with op.batch_alter_table("evidence_file", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_evidence_file_derivation_iff_parent"), type_="check")
        batch_op.drop_constraint(op.f("ck_evidence_file_derivation_allowed"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_evidence_file_uploaded_by_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("uq_evidence_file_evidence_id_sha256"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_evidence_file_uploaded_by_id"))
        batch_op.drop_column("uploaded_by_id")
        batch_op.drop_column("derivation")

    with op.batch_alter_table("custody_event", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_custody_event_evidence_file_id_evidence_file"), type_="foreignkey")
        batch_op.drop_index("uq_custody_event_prev_hash")
        batch_op.drop_index("uq_custody_event_first_per_evidence")
        batch_op.drop_index(batch_op.f("ix_custody_event_evidence_file_id"))
        batch_op.drop_column("evidence_file_id")

    op.drop_table("custody_head")
    op.drop_table("fixity_run")
    _recreate_triggers(PROTECTED_BEFORE)


def _recreate_triggers(tables: tuple[str, ...]) -> None:
    for sql in triggers.recreate_statements(tables, op.get_bind().dialect.name):
        op.execute(sql)
