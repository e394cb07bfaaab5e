"""Act evidence digests: per act, stance and classification, how many live exhibits bear on
it and the strongest twelve, so a dossier need not read every support of a shared act.

Reviewed by hand: a new derived table, filled from the existing supports (the same
computation as services/facts/act_evidence.py, frozen here in SQL).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 12:49:57.420158
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "act_evidence_digest",
        sa.Column("act_id", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=11), nullable=False),
        sa.Column("classification", sa.String(length=21), nullable=False),
        sa.Column("support_count", sa.Integer(), nullable=False),
        sa.Column("sample", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "classification IN ('public', 'restricted', 'confidential', 'strictly_confidential')",
            name=op.f("ck_act_evidence_digest_classification_allowed"),
        ),
        sa.CheckConstraint("stance IN ('supports', 'contradicts')", name=op.f("ck_act_evidence_digest_stance_allowed")),
        sa.ForeignKeyConstraint(
            ["act_id"], ["aggression_act.id"], name=op.f("fk_act_evidence_digest_act_id_aggression_act")
        ),
        sa.PrimaryKeyConstraint("act_id", "stance", "classification", name=op.f("pk_act_evidence_digest")),
    )
    with op.batch_alter_table("act_evidence_digest", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_act_evidence_digest_act_id"), ["act_id"], unique=False)
    _backfill(op.get_bind())


SAMPLE = 12


def _backfill(conn: sa.Connection) -> None:
    live = "FROM support s JOIN evidence e ON e.id = s.evidence_id WHERE s.act_id IS NOT NULL AND e.deleted_at IS NULL"
    counts = conn.execute(
        sa.text(
            f"SELECT s.act_id, s.stance, e.classification, count(*) {live} GROUP BY s.act_id, s.stance, e.classification"
        )
    ).all()
    ranked = conn.execute(
        sa.text(
            "SELECT act_id, stance, classification, id FROM ("
            " SELECT s.act_id, s.stance, e.classification, s.id, row_number() OVER ("
            "  PARTITION BY s.act_id, s.stance, e.classification ORDER BY e.reliability, e.credibility, s.id) AS rank"
            f" {live}) AS ranked WHERE rank <= {SAMPLE} ORDER BY act_id, stance, classification, rank"
        )
    ).all()
    samples: dict[tuple[int, str, str], list[str]] = {}
    for act_id, stance, classification, support_id in ranked:
        samples.setdefault((act_id, stance, classification), []).append(str(support_id))
    rows = [{"a": a, "s": s, "c": c, "n": n, "sample": " ".join(samples.get((a, s, c), []))} for a, s, c, n in counts]
    if rows:
        conn.execute(
            sa.text(
                "INSERT INTO act_evidence_digest (act_id, stance, classification, support_count, sample)"
                " VALUES (:a, :s, :c, :n, :sample)"
            ),
            rows,
        )


def downgrade() -> None:
    with op.batch_alter_table("act_evidence_digest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_act_evidence_digest_act_id"))

    op.drop_table("act_evidence_digest")
