"""Comments and notifications (issue 25 items 2 and 3).

Reviewed by hand:
- comment: a record's thread, the record named by kind (CHECK) and id (no foreign key: five
  tables can hold it); replies by parent_id; retraction instead of deletion; versioned.
- comment_revision: the texts a comment had before each edit, append-only by the application.
- notification: references only (kind, record kind and id, the comment, the actor), rendered
  through the reader's clearance when read; indexed for the header's unread count.
No data moves. The downgrade drops the three tables (the audit trail keeps every comment's
history).

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07 22:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_kind", sa.String(length=8), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("edited_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retracted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("retracted_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "record_kind IN ('official', 'decision', 'evidence', 'support', 'dossier')",
            name=op.f("ck_comment_record_kind_allowed"),
        ),
        sa.CheckConstraint("length(body) > 0", name=op.f("ck_comment_body_not_empty")),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_comment_author_id_users")),
        sa.ForeignKeyConstraint(["parent_id"], ["comment.id"], name=op.f("fk_comment_parent_id_comment")),
        sa.ForeignKeyConstraint(["retracted_by_id"], ["users.id"], name=op.f("fk_comment_retracted_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment")),
    )
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comment_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_comment_parent_id"), ["parent_id"], unique=False)
        batch_op.create_index("ix_comment_record", ["record_kind", "record_id", "id"], unique=False)

    op.create_table(
        "comment_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("written_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["comment_id"], ["comment.id"], name=op.f("fk_comment_revision_comment_id_comment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_revision")),
    )
    with op.batch_alter_table("comment_revision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_comment_revision_comment_id"), ["comment_id"], unique=False)

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=15), nullable=False),
        sa.Column("record_kind", sa.String(length=8), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(length=40), nullable=True),
        sa.Column("clearance", sa.String(length=21), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "clearance IS NULL OR clearance IN ('public', 'restricted', 'confidential', 'strictly_confidential')",
            name=op.f("ck_notification_clearance_allowed"),
        ),
        sa.CheckConstraint(
            "kind IN ('mention', 'evidence_linked', 'element_changed', 'task_assigned')",
            name=op.f("ck_notification_kind_allowed"),
        ),
        sa.CheckConstraint(
            "record_kind IN ('official', 'decision', 'evidence', 'support', 'dossier', 'task')",
            name=op.f("ck_notification_record_kind_allowed"),
        ),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_notification_actor_id_users")),
        sa.ForeignKeyConstraint(["comment_id"], ["comment.id"], name=op.f("fk_notification_comment_id_comment")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notification_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_comment_id"), ["comment_id"], unique=False)
        batch_op.create_index("ix_notification_unread", ["user_id", "read_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index("ix_notification_unread")
        batch_op.drop_index(batch_op.f("ix_notification_comment_id"))

    op.drop_table("notification")
    with op.batch_alter_table("comment_revision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comment_revision_comment_id"))

    op.drop_table("comment_revision")
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_index("ix_comment_record")
        batch_op.drop_index(batch_op.f("ix_comment_parent_id"))
        batch_op.drop_index(batch_op.f("ix_comment_author_id"))

    op.drop_table("comment")
