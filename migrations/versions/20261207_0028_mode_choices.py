"""The prosecutors' choice of the modes of liability to charge (issue 20, item 5): each choice
with its reason, who made it and when, and the modes it charges.

Reviewed by hand:
- mode_choice: one row per choice made on a dossier; the latest is the dossier's. The reason
  is required (a CHECK refuses an empty one).
- charged_mode: the modes of Rome Statute Art. 25(3) a choice charges, one row each, limited to
  the six modes by a CHECK; none is a withdrawal of an earlier choice.
- both are logs, append-only like the status changes (triggers refuse UPDATE and DELETE).
No data moves. The downgrade refuses while any choice is recorded (it would be lost).

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models import triggers

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

MODES = ("co_perpetration", "indirect_perpetration", "ordering", "inducing", "aiding", "common_purpose")
TABLES = ("mode_choice", "charged_mode")


def upgrade() -> None:
    op.create_table(
        "mode_choice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.Integer(), nullable=False),
        sa.Column("chosen_by_id", sa.Integer(), nullable=True),
        sa.Column("chosen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.CheckConstraint("length(reason) > 0", name=op.f("ck_mode_choice_reason_not_empty")),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], name=op.f("fk_mode_choice_dossier_id_dossier")),
        sa.ForeignKeyConstraint(["chosen_by_id"], ["users.id"], name=op.f("fk_mode_choice_chosen_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mode_choice")),
    )
    op.create_index(op.f("ix_mode_choice_dossier_id"), "mode_choice", ["dossier_id"], unique=False)
    op.create_index(op.f("ix_mode_choice_chosen_by_id"), "mode_choice", ["chosen_by_id"], unique=False)
    allowed = ", ".join(f"'{m}'" for m in MODES)
    op.create_table(
        "charged_mode",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("choice_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=21), nullable=False),
        sa.CheckConstraint(f"mode IN ({allowed})", name=op.f("ck_charged_mode_mode_allowed")),
        sa.ForeignKeyConstraint(["choice_id"], ["mode_choice.id"], name=op.f("fk_charged_mode_choice_id_mode_choice")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charged_mode")),
        sa.UniqueConstraint("choice_id", "mode", name=op.f("uq_charged_mode_choice_id_mode")),
    )
    op.create_index(op.f("ix_charged_mode_choice_id"), "charged_mode", ["choice_id"], unique=False)
    dialect = op.get_bind().dialect.name
    for table in TABLES:
        for sql in triggers.create_statements(table, dialect):
            op.execute(sql)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT count(*) FROM mode_choice")).scalar_one():
        raise RuntimeError("modes of liability have been chosen on dossiers: downgrading would lose those choices")
    for table in reversed(TABLES):
        for sql in triggers.drop_statements(table, conn.dialect.name):
            op.execute(sql)
    op.drop_index(op.f("ix_charged_mode_choice_id"), table_name="charged_mode")
    op.drop_table("charged_mode")
    op.drop_index(op.f("ix_mode_choice_chosen_by_id"), table_name="mode_choice")
    op.drop_index(op.f("ix_mode_choice_dossier_id"), table_name="mode_choice")
    op.drop_table("mode_choice")
