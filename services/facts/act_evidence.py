"""The evidence digest of each act of aggression (models/act.py ActEvidenceDigest): how many
live exhibits support or contradict it, by classification, and the strongest few of each.

Kept in step like the search index: a flush that adds, removes or changes a support on an
act, or regrades, reclassifies or deletes an exhibit that bears on an act, recomputes the
digest of those acts in the same transaction. Bulk loads (seeds/synth) call
``refresh`` once at the end.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, case, delete, func, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from models import ActEvidenceDigest, AggressionAct, Evidence, Support
from services.assessment.basis import SECONDARY_KINDS

SAMPLE = 12  # exhibits kept per act, stance and classification: what a dossier lists at most
_CHUNK = 200
# Exhibit columns whose change can move an exhibit in or out of a digest, or reorder it
_EVIDENCE_COLUMNS = ("classification", "reliability", "credibility", "kind", "deleted_at")
_SUPPORT_COLUMNS = ("act_id", "stance", "evidence_id")


def refresh(conn: Connection, act_ids: Iterable[int] | None = None) -> None:
    """Recompute the digest of ``act_ids`` (every act when None)."""
    if act_ids is None:
        wanted = list(conn.scalars(select(AggressionAct.id).order_by(AggressionAct.id)))
        conn.execute(delete(ActEvidenceDigest))
    else:
        wanted = sorted(set(act_ids))
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        if act_ids is not None:
            conn.execute(delete(ActEvidenceDigest).where(ActEvidenceDigest.act_id.in_(chunk)))
        rows = _digest_rows(conn, chunk)
        if rows:
            conn.execute(insert(ActEvidenceDigest), rows)


def _secondary_last() -> Any:
    """Primary sources first: only they prove an act, so the sample must not lose them behind
    a dozen sanctions listings (services/assessment/basis.py)."""
    return case((Evidence.kind.in_(sorted(SECONDARY_KINDS)), 1), else_=0)


def _digest_rows(conn: Connection, act_ids: Sequence[int]) -> list[dict[str, Any]]:
    live = (Support.act_id.in_(act_ids), Evidence.deleted_at.is_(None))
    group = (Support.act_id, Support.stance, Evidence.classification)
    counts = conn.execute(
        select(*group, func.count()).join(Evidence, Support.evidence_id == Evidence.id).where(*live).group_by(*group)
    ).all()
    rank = (
        func.row_number()
        .over(partition_by=group, order_by=(_secondary_last(), Evidence.reliability, Evidence.credibility, Support.id))
        .label("rank")
    )
    ranked = (
        select(*group, Support.id.label("support_id"), rank)
        .join(Evidence, Support.evidence_id == Evidence.id)
        .where(*live)
        .subquery()
    )
    samples: dict[tuple[int, str, str], list[str]] = {}
    for row in conn.execute(
        select(ranked.c.act_id, ranked.c.stance, ranked.c.classification, ranked.c.support_id)
        .where(ranked.c.rank <= SAMPLE)
        .order_by(ranked.c.act_id, ranked.c.stance, ranked.c.classification, ranked.c.rank)
    ):
        samples.setdefault((row.act_id, row.stance, row.classification), []).append(str(row.support_id))
    return [
        {
            "act_id": act_id,
            "stance": stance,
            "classification": classification,
            "support_count": count,
            "sample": " ".join(samples.get((act_id, stance, classification), [])),
        }
        for act_id, stance, classification, count in counts
    ]


# --- kept in step -------------------------------------------------------------------------


def _changed(obj: Any, columns: Sequence[str]) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in columns)


def _touched_acts(session: Session) -> set[int]:
    acts: set[int] = set()
    regraded: set[int] = set()
    for obj in (*session.new, *session.deleted):
        if isinstance(obj, Support) and obj.act_id is not None:
            acts.add(obj.act_id)
    for obj in session.dirty:
        if isinstance(obj, Support) and _changed(obj, _SUPPORT_COLUMNS):
            history = inspect(obj).attrs["act_id"].history
            acts.update(a for a in (obj.act_id, *(history.deleted or ())) if isinstance(a, int))
        elif isinstance(obj, Evidence) and _changed(obj, _EVIDENCE_COLUMNS):
            regraded.add(obj.id)
    if regraded:
        acts.update(
            session.connection().scalars(
                select(Support.act_id).where(Support.evidence_id.in_(regraded), Support.act_id.is_not(None)).distinct()
            )
        )
    return acts


def after_flush(session: Session, flush_context: UOWTransaction) -> None:
    acts = _touched_acts(session)
    if acts:
        refresh(session.connection(), acts)
