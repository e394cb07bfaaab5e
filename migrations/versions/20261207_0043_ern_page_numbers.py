"""Evidence registration numbers on disclosed PDF pages (issue 23 item 4).

Reviewed by hand:
- ern_counter: one row (id 1) holding the last number issued, starting at 0.
- disclosure_item gains ern_first, ern_last (the range its stamped copy's pages carry; ern_first
  unique) and stamped_file_id (the stamped derivative), with CHECKs that the three are set
  together and the range is in order. On SQLite the CHECKs rebuild the table (it has no
  triggers); no rows change: earlier items have no stamped copy.
The downgrade drops them.

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-08 01:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0043"
down_revision = "0042"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ern_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_ern_counter_one_row")),
        sa.CheckConstraint("last_number >= 0", name=op.f("ck_ern_counter_last_number_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ern_counter")),
    )
    with op.batch_alter_table("disclosure_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ern_first", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("ern_last", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("stamped_file_id", sa.Integer(), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_disclosure_item_ern_first"), ["ern_first"])
        batch_op.create_index(batch_op.f("ix_disclosure_item_stamped_file_id"), ["stamped_file_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_disclosure_item_stamped_file_id_evidence_file"), "evidence_file", ["stamped_file_id"], ["id"]
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_disclosure_item_ern_range_whole"),
            "(ern_first IS NULL) = (ern_last IS NULL) AND (ern_first IS NULL) = (stamped_file_id IS NULL)",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_disclosure_item_ern_range_order"),
            "ern_first IS NULL OR (ern_first > 0 AND ern_last >= ern_first)",
        )


def downgrade() -> None:
    with op.batch_alter_table("disclosure_item", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_disclosure_item_ern_range_order"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_disclosure_item_ern_range_whole"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_disclosure_item_stamped_file_id_evidence_file"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_disclosure_item_stamped_file_id"))
        batch_op.drop_constraint(batch_op.f("uq_disclosure_item_ern_first"), type_="unique")
        batch_op.drop_column("stamped_file_id")
        batch_op.drop_column("ern_last")
        batch_op.drop_column("ern_first")
    op.drop_table("ern_counter")
