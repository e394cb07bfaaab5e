"""The assessment's rules, round two (issue 20): new evidence kinds and involvement roles, act
digests that keep primary sources in their sample, and every dossier summary recomputed.

Reviewed by hand:
- evidence.kind may be a "statement_of_reasons" or a "press_report" (secondary sources, like a
  sanctions listing: they corroborate a fact, they do not prove it); involvement.role may be
  "supplied" (means to the act) or "allowed" (the use of the State's territory), the roles
  that suggest aiding and abetting. The CHECK constraints are replaced (autogenerate does not
  see them); on SQLite the batch operation rebuilds the evidence table and drops its trigger,
  which is recreated after each direction.
- act_evidence_digest.sample is recomputed with primary sources ranked before secondary ones
  (services/facts/act_evidence.py, frozen here in SQL): a dozen sanctions listings must not push
  the one primary exhibit that proves an act out of the sample.
- dossier_summary: every row is marked stale, because the rules that computed them changed;
  the dossiers index recomputes stale rows as it is visited, and ``flask dossiers refresh
  --stale`` (run by ``make run`` after the upgrade) finishes them all at once.
The downgrade refuses while rows use the new kinds or roles (they would break the old
constraints): change them first.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 10:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models import triggers

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

# The enumerations as they stand at revision 0020, frozen here (models/enums.py moves on)
OLD_KINDS = (
    "document",
    "testimony",
    "pow_interview",
    "official_statement",
    "audio_video",
    "image",
    "satellite_imagery",
    "intercept",
    "osint_capture",
    "expert_report",
    "sanctions_listing",
)
NEW_KINDS = (*OLD_KINDS, "statement_of_reasons", "press_report")
OLD_ROLES = (
    "proposed",
    "authored",
    "signed",
    "voted_for",
    "ordered",
    "commanded",
    "negotiated",
    "implemented",
    "publicly_endorsed",
    "attended",
)
NEW_ROLES = (*OLD_ROLES, "supplied", "allowed")
SECONDARY = ("sanctions_listing", "statement_of_reasons", "press_report")
SAMPLE = 12


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _checks(kinds: tuple[str, ...], roles: tuple[str, ...]) -> None:
    width = max(len(k) for k in kinds)  # as models/base.py enum_column sizes it
    with op.batch_alter_table("evidence", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_evidence_kind_allowed"), type_="check")
        batch_op.alter_column("kind", type_=sa.String(length=width), existing_nullable=False)
        batch_op.create_check_constraint(op.f("ck_evidence_kind_allowed"), _in("kind", kinds))
    with op.batch_alter_table("involvement", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_involvement_role_allowed"), type_="check")
        batch_op.create_check_constraint(op.f("ck_involvement_role_allowed"), _in("role", roles))
    for sql in triggers.recreate_statements(("evidence",), op.get_bind().dialect.name):
        op.execute(sql)


def _resample(conn: sa.Connection, secondary_last: bool) -> None:
    """Recompute every digest's sample (the counts do not change)."""
    first = f"CASE WHEN {_in('e.kind', SECONDARY)} THEN 1 ELSE 0 END, " if secondary_last else ""
    live = "FROM support s JOIN evidence e ON e.id = s.evidence_id WHERE s.act_id IS NOT NULL AND e.deleted_at IS NULL"
    ranked = conn.execute(
        sa.text(
            "SELECT act_id, stance, classification, id FROM ("
            " SELECT s.act_id, s.stance, e.classification, s.id, row_number() OVER ("
            f"  PARTITION BY s.act_id, s.stance, e.classification ORDER BY {first}e.reliability, e.credibility, s.id)"
            f" AS rank {live}) AS ranked WHERE rank <= {SAMPLE} ORDER BY act_id, stance, classification, rank"
        )
    ).all()
    samples: dict[tuple[int, str, str], list[str]] = {}
    for act_id, stance, classification, support_id in ranked:
        samples.setdefault((act_id, stance, classification), []).append(str(support_id))
    for (act_id, stance, classification), ids in samples.items():
        conn.execute(
            sa.text(
                "UPDATE act_evidence_digest SET sample = :sample"
                " WHERE act_id = :a AND stance = :s AND classification = :c"
            ),
            {"sample": " ".join(ids), "a": act_id, "s": stance, "c": classification},
        )


def _all_stale() -> None:
    op.execute(sa.text("UPDATE dossier_summary SET stale = :stale").bindparams(stale=True))


def upgrade() -> None:
    _checks(NEW_KINDS, NEW_ROLES)
    _resample(op.get_bind(), secondary_last=True)
    _all_stale()


def downgrade() -> None:
    conn = op.get_bind()
    kinds = conn.execute(sa.text(f"SELECT count(*) FROM evidence WHERE NOT {_in('kind', OLD_KINDS)}")).scalar_one()
    roles = conn.execute(sa.text(f"SELECT count(*) FROM involvement WHERE NOT {_in('role', OLD_ROLES)}")).scalar_one()
    if kinds or roles:
        raise RuntimeError(
            f"{kinds} exhibit(s) and {roles} involvement(s) use kinds or roles revision 0020 does not know:"
            " change them before downgrading"
        )
    _checks(OLD_KINDS, OLD_ROLES)
    _resample(conn, secondary_last=False)
    _all_stale()
