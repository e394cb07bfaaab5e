"""Tasks from a dossier's gaps (issue 25 item 1).

Reviewed by hand:
- task: one gap of one official's dossier (element, target record, action: never its
  sentence), the clearance that saw it, its sentence then in each interface language, an
  assignee, a due date, a status limited by a CHECK; a reason exactly when the status is
  "won't do", a closing time exactly when it is done or won't be done, closed by the gap only
  as done. A partial unique index keeps one task still to do per gap and clearance (SQLite
  and PostgreSQL both have partial indexes).
No data moves. The downgrade drops the table (the audit trail keeps the tasks' history).

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07 22:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

ACTIVE = "status IN ('open', 'in_progress')"


def upgrade() -> None:
    op.create_table(
        "task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("element", sa.String(length=2), nullable=False),
        sa.Column("target_kind", sa.String(length=14), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=11), nullable=False),
        sa.Column("clearance", sa.String(length=21), nullable=False),
        sa.Column("gap_texts", sa.JSON(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=11), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("closed_by_gap", sa.Boolean(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'in_progress', 'done', 'wont_do')", name=op.f("ck_task_status_allowed")),
        sa.CheckConstraint(
            "clearance IN ('public', 'restricted', 'confidential', 'strictly_confidential')",
            name=op.f("ck_task_clearance_allowed"),
        ),
        sa.CheckConstraint("element IN ('E1', 'E2', 'E3', 'E4', 'E5', 'E6')", name=op.f("ck_task_element_allowed")),
        sa.CheckConstraint(
            "target_kind IN ('official', 'tenure', 'involvement', 'decision', 'act', 'act_assessment', 'support')",
            name=op.f("ck_task_target_kind_allowed"),
        ),
        sa.CheckConstraint(
            "action IN ('evidence', 'date', 'involvement', 'tenure', 'act', 'character', 'gravity', 'scale', 'confirm')",
            name=op.f("ck_task_action_allowed"),
        ),
        sa.CheckConstraint(
            "(status = 'wont_do') = (reason IS NOT NULL AND length(reason) > 0)",
            name=op.f("ck_task_reason_when_wont_do"),
        ),
        sa.CheckConstraint(f"(closed_at IS NULL) = ({ACTIVE})", name=op.f("ck_task_closed_when_finished")),
        sa.CheckConstraint("NOT closed_by_gap OR status = 'done'", name=op.f("ck_task_closed_by_gap_is_done")),
        sa.ForeignKeyConstraint(["official_id"], ["official.id"], name=op.f("fk_task_official_id_official")),
        sa.ForeignKeyConstraint(["assignee_id"], ["users.id"], name=op.f("fk_task_assignee_id_users")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_task_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
    )
    op.create_index(op.f("ix_task_created_by_id"), "task", ["created_by_id"], unique=False)
    op.create_index("ix_task_assignee_status", "task", ["assignee_id", "status"], unique=False)
    op.create_index("ix_task_official_status", "task", ["official_id", "status"], unique=False)
    op.create_index(
        "uq_task_active_gap",
        "task",
        ["official_id", "element", "target_kind", "target_id", "action", "clearance"],
        unique=True,
        sqlite_where=sa.text(ACTIVE),
        postgresql_where=sa.text(ACTIVE),
    )


def downgrade() -> None:
    op.drop_index("uq_task_active_gap", table_name="task")
    op.drop_index("ix_task_official_status", table_name="task")
    op.drop_index("ix_task_assignee_status", table_name="task")
    op.drop_index(op.f("ix_task_created_by_id"), table_name="task")
    op.drop_table("task")
