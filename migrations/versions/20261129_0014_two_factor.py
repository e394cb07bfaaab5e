"""Two-factor sign-in: each user's encrypted TOTP secret, the last accepted time step, the enrolment time.

Reviewed by hand: three nullable columns and a CHECK that a secret always comes with its
enrolment time; nothing to backfill (every prosecutor and admin enrols at their next sign-in).
The sessions prosecutors and admins opened with a password alone end, so the requirement holds
from the upgrade on; a downgrade leaves them ended.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 15:10:00.000000
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("totp_secret", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("totp_enrolled_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_users_totp_enrolment_whole"), "(totp_secret IS NULL) = (totp_enrolled_at IS NULL)"
        )
    users = sa.table("users", sa.column("id", sa.Integer()), sa.column("role", sa.String()))
    sessions = sa.table(
        "user_session",
        sa.column("user_id", sa.Integer()),
        sa.column("ended_at", sa.DateTime(timezone=True)),
        sa.column("ended_reason", sa.String()),
    )
    needing_a_code = sa.select(users.c.id).where(users.c.role.in_(("prosecutor", "admin")))
    op.execute(
        sessions.update()
        .where(sessions.c.ended_at.is_(None), sessions.c.user_id.in_(needing_a_code))
        .values(ended_at=dt.datetime.now(dt.UTC), ended_reason="two-factor required")
    )


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_users_totp_enrolment_whole"), type_="check")
        batch_op.drop_column("totp_enrolled_at")
        batch_op.drop_column("totp_last_step")
        batch_op.drop_column("totp_secret")
