"""Dossier pages cached per official (issue 24): each official's page version, the data
generation at which a change last reached the official's dossier page
(services/dossiers/page_versions.py).

Reviewed by hand:
- official_page_version: one row per official whose page a committed change reached, its
  key the official (deleted with it); no row reads as version 0.
No data moves: pages cached before the upgrade live in the processes the upgrade restarts.

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-07 22:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0036"
down_revision = "0035"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "official_page_version",
        sa.Column("official_id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["official_id"],
            ["official.id"],
            name=op.f("fk_official_page_version_official_id_official"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("official_id", name=op.f("pk_official_page_version")),
    )


def downgrade() -> None:
    op.drop_table("official_page_version")
