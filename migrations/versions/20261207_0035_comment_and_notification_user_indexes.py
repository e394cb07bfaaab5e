"""Indexes on the two user references of comments and notifications that had none: who
retracted a comment, who acted on a notification (every foreign key column is indexed, so that
deleting or looking up a user never reads the whole table).

Reviewed by hand: two indexes, no data moves.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 23:35:00
"""

from __future__ import annotations

from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(op.f("ix_comment_retracted_by_id"), "comment", ["retracted_by_id"])
    op.create_index(op.f("ix_notification_actor_id"), "notification", ["actor_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_notification_actor_id"), table_name="notification")
    op.drop_index(op.f("ix_comment_retracted_by_id"), table_name="comment")
