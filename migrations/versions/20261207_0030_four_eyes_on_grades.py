"""Four eyes on grades (issue 25 item 5): who graded an exhibit, who linked it to a fact, and the
second analyst who confirmed the link.

Reviewed by hand:
- evidence gains graded_by_id (who last set the reliability or credibility);
- support gains linked_by_id (who made or last changed the link), confirmed_by_id and
  confirmed_at, with a CHECK that the two are set together. On SQLite the batch operation
  rebuilds the support table; the partial one-link-per-exhibit-and-fact indexes are dropped
  first and made again after, so their WHERE survives. The evidence table is rebuilt too, which
  discards its no-delete triggers: they are made again.
No data moves: earlier grades and links have no recorded author (none), and no link is
confirmed. Nothing an assessment reads changes unless FOUR_EYES_GRADES is turned on (then
``flask dossiers refresh``). The downgrade drops the columns (confirmations are lost; the audit
trail keeps them).

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07 22:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models import triggers

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

TARGETS = ("tenure_id", "involvement_id", "decision_id", "act_id", "act_assessment_id")
USER_COLUMNS = ("linked_by_id", "confirmed_by_id")


def _unique_links(*, create: bool) -> None:
    for column in TARGETS:
        name = f"uq_support_evidence_{column}"
        if create:
            where = sa.text(f"{column} IS NOT NULL")
            op.create_index(
                name, "support", ["evidence_id", column], unique=True, sqlite_where=where, postgresql_where=where
            )
        else:
            op.drop_index(name, table_name="support")


def _recreate_triggers() -> None:
    for sql in triggers.recreate_statements(("evidence",), op.get_bind().dialect.name):
        op.execute(sql)


def upgrade() -> None:
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.add_column(sa.Column("graded_by_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_evidence_graded_by_id"), ["graded_by_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_evidence_graded_by_id_users"), "users", ["graded_by_id"], ["id"])
    _recreate_triggers()
    _unique_links(create=False)
    with op.batch_alter_table("support", schema=None) as batch_op:
        for column in USER_COLUMNS:
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
        for column in USER_COLUMNS:
            batch_op.create_index(batch_op.f(f"ix_support_{column}"), [column], unique=False)
            batch_op.create_foreign_key(batch_op.f(f"fk_support_{column}_users"), "users", [column], ["id"])
        batch_op.create_check_constraint(
            op.f("ck_support_confirmed_by_iff_at"), "(confirmed_by_id IS NULL) = (confirmed_at IS NULL)"
        )
    _unique_links(create=True)


def downgrade() -> None:
    _unique_links(create=False)
    with op.batch_alter_table("support", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_support_confirmed_by_iff_at"), type_="check")
        for column in USER_COLUMNS:
            batch_op.drop_constraint(batch_op.f(f"fk_support_{column}_users"), type_="foreignkey")
            batch_op.drop_index(batch_op.f(f"ix_support_{column}"))
        batch_op.drop_column("confirmed_at")
        for column in USER_COLUMNS:
            batch_op.drop_column(column)
    _unique_links(create=True)
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_evidence_graded_by_id_users"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_evidence_graded_by_id"))
        batch_op.drop_column("graded_by_id")
    _recreate_triggers()
