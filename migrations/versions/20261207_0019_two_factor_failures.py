"""Wrong two-factor codes counted on the server, per account, and the lock they lead to.

Reviewed by hand: a counter (0 for every existing account) and a nullable lock time; nothing
to backfill. The count used to live in the browser's signed cookie, where replaying an older
cookie reset it.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 11:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_failures", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("sign_in_locked_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(op.f("ck_users_totp_failures_not_negative"), "totp_failures >= 0")


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_totp_failures_not_negative"), type_="check")
        batch_op.drop_column("sign_in_locked_at")
        batch_op.drop_column("totp_failures")
