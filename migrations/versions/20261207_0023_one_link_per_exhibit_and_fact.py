"""An exhibit supports or contradicts a fact, never both (issue 20): one link per exhibit and fact.

Reviewed by hand: a partial unique index per kind of fact, (evidence_id, <fact>_id) where the
fact column is set, the same on SQLite and PostgreSQL (models/evidence.py one_link_per_fact).

Links that break the rule are resolved before the indexes are made, and nothing is lost:
- an exhibit both supporting and contradicting the same fact keeps its *contradicting* link
  (exculpatory evidence must be disclosed; an exhibit read both ways is at best ambiguous, so
  it cannot prove the fact), and the supporting link is removed;
- the same exhibit linked twice with the same stance keeps its oldest link.
The kept link's note records each removed link (its id, stance, pinpoint and note), so a
prosecutor can read what was there. Act digests of acts that lost a link are recomputed (the
computation of services/facts/act_evidence.py, frozen here in SQL), and when anything was removed
every dossier summary is marked stale (``flask dossiers refresh --stale`` finishes them).

The downgrade drops the indexes; removed links are not restored (their record stays in the
kept links' notes).

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 12:10:00
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

# The kinds of fact a support bears on at this revision (frozen: models/enums.py moves on)
TARGETS = ("tenure_id", "involvement_id", "decision_id", "act_id")
SECONDARY = ("sanctions_listing", "statement_of_reasons", "press_report")
SAMPLE = 12


def _removed_note(row: sa.Row) -> str:
    parts = [f"Link #{row.id} ({row.stance})"]
    if row.pinpoint:
        parts.append(f"pinpoint: {row.pinpoint}")
    if row.note:
        parts.append(f"note: {row.note}")
    return "; ".join(parts)


def _resolve(conn: sa.Connection) -> set[int]:
    """Remove every link beyond one per exhibit and fact; returns the acts that lost a link."""
    acts: set[int] = set()
    for column in TARGETS:
        rows = conn.execute(
            sa.text(
                f"SELECT s.id, s.evidence_id, s.{column} AS fact, s.stance, s.pinpoint, s.note FROM support s"
                f" JOIN (SELECT evidence_id, {column} FROM support WHERE {column} IS NOT NULL"
                f"  GROUP BY evidence_id, {column} HAVING count(*) > 1) d"
                f" ON d.evidence_id = s.evidence_id AND d.{column} = s.{column} ORDER BY s.id"
            )
        ).all()
        groups: dict[tuple[int, int], list[sa.Row]] = defaultdict(list)
        for row in rows:
            groups[(row.evidence_id, row.fact)].append(row)
        for links in groups.values():
            contradicting = [r for r in links if r.stance == "contradicts"]
            kept = (contradicting or links)[0]
            removed = [r for r in links if r.id != kept.id]
            record = " | ".join(_removed_note(r) for r in removed)
            note = (
                f"Revision 0023 (an exhibit supports or contradicts a fact, never both) removed the other links"
                f" of this exhibit to this fact: {record}"
            )
            conn.execute(
                sa.text("UPDATE support SET note = :note WHERE id = :id"),
                {"note": f"{kept.note}\n\n{note}" if kept.note else note, "id": kept.id},
            )
            conn.execute(
                sa.text("DELETE FROM support WHERE id IN :ids").bindparams(sa.bindparam("ids", expanding=True)),
                {"ids": [r.id for r in removed]},
            )
            if column == "act_id":
                acts.add(kept.fact)
    return acts


def _redigest(conn: sa.Connection, acts: set[int]) -> None:
    """Recompute the digests of ``acts`` (counts and samples, primary sources first)."""
    if not acts:
        return
    ids = sa.bindparam("ids", expanding=True)
    conn.execute(sa.text("DELETE FROM act_evidence_digest WHERE act_id IN :ids").bindparams(ids), {"ids": sorted(acts)})
    live = "FROM support s JOIN evidence e ON e.id = s.evidence_id WHERE s.act_id IN :ids AND e.deleted_at IS NULL"
    counts = conn.execute(
        sa.text(
            f"SELECT s.act_id, s.stance, e.classification, count(*) {live} GROUP BY s.act_id, s.stance, e.classification"
        ).bindparams(ids),
        {"ids": sorted(acts)},
    ).all()
    secondary = ", ".join(f"'{k}'" for k in SECONDARY)
    ranked = conn.execute(
        sa.text(
            "SELECT act_id, stance, classification, id FROM ("
            " SELECT s.act_id, s.stance, e.classification, s.id, row_number() OVER ("
            "  PARTITION BY s.act_id, s.stance, e.classification"
            f"  ORDER BY CASE WHEN e.kind IN ({secondary}) THEN 1 ELSE 0 END, e.reliability, e.credibility, s.id)"
            f" AS rank {live}) AS ranked WHERE rank <= {SAMPLE} ORDER BY act_id, stance, classification, rank"
        ).bindparams(ids),
        {"ids": sorted(acts)},
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


def upgrade() -> None:
    conn = op.get_bind()
    before = conn.execute(sa.text("SELECT count(*) FROM support")).scalar_one()
    _redigest(conn, _resolve(conn))
    if conn.execute(sa.text("SELECT count(*) FROM support")).scalar_one() != before:
        op.execute(sa.text("UPDATE dossier_summary SET stale = :stale").bindparams(stale=True))
    for column in TARGETS:
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(
            f"uq_support_evidence_{column}",
            "support",
            ["evidence_id", column],
            unique=True,
            sqlite_where=where,
            postgresql_where=where,
        )


def downgrade() -> None:
    for column in reversed(TARGETS):
        op.drop_index(f"uq_support_evidence_{column}", table_name="support")
