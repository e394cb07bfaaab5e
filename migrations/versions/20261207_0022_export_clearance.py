"""The clearance each case-file export was made at, so that past exports are listed only to
those cleared as far (issue 17.3).

Reviewed by hand: a NOT NULL column with a CHECK. The export table is append-only (its
triggers refuse UPDATE), so earlier rows get their value from the column's default as it is
added, and the default is dropped afterwards. The exporter's clearance at the time was not
recorded before this revision, and their clearance now may differ: every earlier export is
taken to have been made at the highest clearance, so it stays listed to its exporter and to
those cleared for everything, and to nobody else (the safe side: a lower guess could show a
public viewer what a strictly-confidential export held). On SQLite the batch operations
rebuild the table, which discards its triggers: they are made again. A downgrade drops the
column.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 13:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models import triggers

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

CLASSIFICATIONS = ("public", "restricted", "confidential", "strictly_confidential")  # as on this revision


def upgrade() -> None:
    allowed = ", ".join(f"'{c}'" for c in CLASSIFICATIONS)
    with op.batch_alter_table("export", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("clearance", sa.String(length=21), nullable=False, server_default="strictly_confidential")
        )
    with op.batch_alter_table("export", schema=None) as batch_op:
        batch_op.alter_column("clearance", existing_type=sa.String(length=21), server_default=None)
        batch_op.create_check_constraint(op.f("ck_export_clearance_allowed"), f"clearance IN ({allowed})")
    _recreate_triggers()


def downgrade() -> None:
    with op.batch_alter_table("export", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_export_clearance_allowed"), type_="check")
        batch_op.drop_column("clearance")
    _recreate_triggers()


def _recreate_triggers() -> None:
    for sql in triggers.recreate_statements(("export",), op.get_bind().dialect.name):
        op.execute(sql)
