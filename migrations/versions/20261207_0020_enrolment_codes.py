"""One-time enrolment codes for two-factor sign-in: the hash of each user's code and its expiry.

Reviewed by hand: two nullable columns and a CHECK that they are set together; nothing to
backfill. Setting up an authenticator app used to need only the password (whoever signed in
first with it chose the second factor); from this revision on it also needs the code that
`users create` and `users reset-2fa` print. Prosecutors and admins who have not set up their
app yet have no code: an administrator runs `flask users reset-2fa EMAIL` for each (`users
list` names them). Accounts already set up are unaffected.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 12:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("enrolment_code_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("enrolment_code_expires_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_users_enrolment_code_whole"),
            "(enrolment_code_hash IS NULL) = (enrolment_code_expires_at IS NULL)",
        )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_enrolment_code_whole"), type_="check")
        batch_op.drop_column("enrolment_code_expires_at")
        batch_op.drop_column("enrolment_code_hash")
