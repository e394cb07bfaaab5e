"""The character, gravity and scale of each act of aggression, assessed apart with their own
evidence (issue 20: the manifest violation, element E5, on its own facts).

Reviewed by hand:
- act_assessment: one row per act and aspect (character, gravity, scale) with the finding;
- support gains act_assessment_id, a fifth kind of fact a support may bear on: the
  exactly-one-target CHECK is replaced, and the one-link-per-exhibit-and-fact partial unique
  indexes of revision 0023 get their fifth. On SQLite the batch operation rebuilds the support
  table; the partial indexes are dropped first and made again after, so their WHERE survives.
- every dossier summary is marked stale (E5 now reads the new assessments).
The downgrade refuses while any assessment is recorded (its evidence links would be lost).

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 13:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None

OLD_TARGETS = ("tenure_id", "involvement_id", "decision_id", "act_id")
NEW_TARGETS = (*OLD_TARGETS, "act_assessment_id")


def _one_target(columns: tuple[str, ...]) -> str:
    return " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in columns) + " = 1"


def _unique_links(columns: tuple[str, ...], *, create: bool) -> None:
    for column in columns:
        name = f"uq_support_evidence_{column}"
        if create:
            where = sa.text(f"{column} IS NOT NULL")
            op.create_index(
                name, "support", ["evidence_id", column], unique=True, sqlite_where=where, postgresql_where=where
            )
        else:
            op.drop_index(name, table_name="support")


def upgrade() -> None:
    op.create_table(
        "act_assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("aspect", sa.String(length=9), nullable=False),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "aspect IN ('character', 'gravity', 'scale')", name=op.f("ck_act_assessment_aspect_allowed")
        ),
        sa.CheckConstraint("length(finding) > 0", name=op.f("ck_act_assessment_finding_not_empty")),
        sa.ForeignKeyConstraint(
            ["act_id"], ["aggression_act.id"], name=op.f("fk_act_assessment_act_id_aggression_act")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_act_assessment")),
        sa.UniqueConstraint("act_id", "aspect", name=op.f("uq_act_assessment_act_id_aspect")),
    )
    op.create_index(op.f("ix_act_assessment_act_id"), "act_assessment", ["act_id"], unique=False)
    _unique_links(OLD_TARGETS, create=False)
    with op.batch_alter_table("support", schema=None) as batch_op:
        batch_op.add_column(sa.Column("act_assessment_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_support_act_assessment_id"), ["act_assessment_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_support_act_assessment_id_act_assessment"), "act_assessment", ["act_assessment_id"], ["id"]
        )
        batch_op.drop_constraint(op.f("ck_support_exactly_one_target"), type_="check")
        batch_op.create_check_constraint(op.f("ck_support_exactly_one_target"), _one_target(NEW_TARGETS))
    _unique_links(NEW_TARGETS, create=True)
    op.execute(sa.text("UPDATE dossier_summary SET stale = :stale").bindparams(stale=True))


def downgrade() -> None:
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT count(*) FROM act_assessment")).scalar_one():
        raise RuntimeError("act assessments are recorded: remove them (and their evidence links) before downgrading")
    _unique_links(NEW_TARGETS, create=False)
    with op.batch_alter_table("support", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_support_exactly_one_target"), type_="check")
        batch_op.create_check_constraint(op.f("ck_support_exactly_one_target"), _one_target(OLD_TARGETS))
        batch_op.drop_constraint(batch_op.f("fk_support_act_assessment_id_act_assessment"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_support_act_assessment_id"))
        batch_op.drop_column("act_assessment_id")
    _unique_links(OLD_TARGETS, create=True)
    op.drop_index(op.f("ix_act_assessment_act_id"), table_name="act_assessment")
    op.drop_table("act_assessment")
    op.execute(sa.text("UPDATE dossier_summary SET stale = :stale").bindparams(stale=True))
