"""The data's generation: one row counting the committed transactions that changed case data,
so that rendered pages can be kept until it moves (services/common/generation.py).

Reviewed by hand: a new one-row table, its row inserted here.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 15:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "data_generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_generation")),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("data_generation")
