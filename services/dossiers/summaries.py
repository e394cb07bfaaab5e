"""Stored dossier summaries (models/dossier_summary.py), kept in step with the facts.

Why: assessing every official on each view of the dossiers index costs a second at 2,000
officials; the index reads these rows instead, with one indexed query per page.

How they stay right
  * Every ORM flush: an ``after_flush`` listener (installed by services/common/hooks.py) works out which officials a
    change can move -- a tenure, position tier, troika or institution, an institution's State,
    involvement, decision (date, acts, deletion), decision-act link, act dates and responsible
    States, an act's character, gravity or scale, support, evidence (classification, grades,
    kind, deletion), an official (name, deletion) or a dossier's status -- and rewrites their
    rows with Core statements on the flush's own connection, in the same transaction. No ORM
    object is written inside the flush.
  * Wide changes: evidence on an act that thousands of officials' decisions served reaches
    them all. At most ``IN_FLUSH_LIMIT`` officials are recomputed inside the flush; the rows
    of the others are marked ``stale`` (one UPDATE per 500). Each request of the index first
    recomputes up to ``HEAL_PER_REQUEST`` stale officials, and ``flask dossiers refresh
    --stale`` finishes them all. An official without any row yet is always computed at once.
  * Bulk writers wrap their work in ``deferred(session)`` (one recomputation at the end), or
    write with Core and call ``refresh`` when done (seeds/synth).
  * Writes that bypass the ORM, a new ``TEMPORAL_SCOPE_START``, turning ``FOUR_EYES_GRADES``
    on or off: run ``flask dossiers refresh`` (the migration creating the table, too). A new version of the assessment
    rules comes with a migration that marks every row stale (revision 0021 did): the index
    recomputes stale rows as it is visited, and ``flask dossiers refresh --stale`` (run by
    ``make run`` and ``make serve`` after the upgrade) finishes them.
  * Tasks (services/workspace/tasks.py): each rewrite also closes the tasks still to do
    whose gap is no longer among the gaps of their clearance, in the same transaction.
  * Today's date: nothing stored depends on it. Only the troika notice does, and the index
    works it out for the officials on the page when it shows them (``troikas``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from flask import current_app, has_app_context
from sqlalchemy import Connection, Table, delete, insert, inspect, or_, select, update
from sqlalchemy.orm import Session, UOWTransaction

from models import (
    ActAssessment,
    AggressionAct,
    Decision,
    Dossier,
    DossierSummary,
    Evidence,
    Institution,
    Involvement,
    Official,
    PartialDate,
    Position,
    Support,
    Tenure,
    Watch,
    decision_act,
)
from models.dossier_summary import ELEMENT_COLUMNS
from models.enums import CLASSIFICATIONS
from services.assessment.elements import assess_dossier
from services.assessment.texts import untranslated
from services.assessment.types import Assessment, DossierFacts
from services.dossiers.facts import load_many_facts
from services.dossiers.workflow import INITIAL_STATUS
from services.workspace.tasks import GapKey, close_vanished, gap_keys

# Officials recomputed inside one flush; the rest of a wide change is marked stale.
IN_FLUSH_LIMIT = 200
# Stale officials an index request recomputes before it reads.
HEAL_PER_REQUEST = 100
# Officials per round of a bulk refresh: facts loaded, assessed and written together.
CHUNK = 1000
_IN_LIST = 500  # ids per IN (...) list when resolving a change to officials
DEFAULT_SCOPE_START = dt.date(2014, 2, 20)

SUMMARY: Table = cast(Table, DossierSummary.__table__)


def scope_start() -> dt.date:
    if has_app_context():
        return cast(dt.date, current_app.config.get("TEMPORAL_SCOPE_START", DEFAULT_SCOPE_START))
    return DEFAULT_SCOPE_START


def four_eyes() -> bool:
    """Whether four eyes on grades is on (config.py FOUR_EYES_GRADES); off outside an app."""
    return bool(current_app.config.get("FOUR_EYES_GRADES", False)) if has_app_context() else False


def clearance_of(visible: Sequence[str]) -> str:
    """The clearance whose rows a viewer reads: the highest classification they may see."""
    return visible[-1] if visible else CLASSIFICATIONS[0]


# --- computing rows -----------------------------------------------------------------------


def _row(facts: DossierFacts, clearance: str, status: str, assessment: Assessment, now: dt.datetime) -> dict[str, Any]:
    return {
        "official_id": facts.official_id,
        "clearance": clearance,
        "name": facts.official_name,
        "state_id": facts.official_state_id,
        "status": status,
        "strength": assessment.score,
        **{e.code.lower(): e.status for e in assessment.elements},
        "review": assessment.review,
        "complete": assessment.complete,
        "gap_count": len(assessment.gaps),
        "withheld_count": assessment.withheld_count,
        "stale": False,
        "computed_at": now,
    }


def summary_rows(
    facts: DossierFacts,
    status: str,
    *,
    start: dt.date,
    now: dt.datetime,
    four_eyes: bool = False,
    gaps: dict[tuple[int, str], set[GapKey]] | None = None,
) -> list[dict[str, Any]]:
    """One row per clearance. A clearance that no exhibit on the official's facts is
    classified at sees exactly what the one below it sees: its assessment is copied. The
    gaps of each clearance go to ``gaps`` when given (for the tasks that close by themselves)."""
    present = {s.exhibit.classification for s in facts.supports}
    present |= {t.classification for t in facts.act_totals}  # acts' exhibits beyond the sample
    rows = []
    assessment: Assessment | None = None
    for level, clearance in enumerate(CLASSIFICATIONS):
        if assessment is None or clearance in present:
            visible = CLASSIFICATIONS[: level + 1]
            # ``today`` only moves the troika notice, which is not stored; nor are the modes
            assessment = assess_dossier(
                facts, visible=visible, scope_start=start, today=now.date(), with_modes=False, four_eyes=four_eyes
            )
        rows.append(_row(facts, clearance, status, assessment, now))
        if gaps is not None:
            gaps[(facts.official_id, clearance)] = gap_keys(assessment)
    return rows


def _statuses(session: Session, ids: Sequence[int]) -> dict[int, str]:
    rows = session.execute(select(Dossier.official_id, Dossier.status).where(Dossier.official_id.in_(ids)))
    return {row.official_id: row.status for row in rows}


def _one_writer_per_official(session: Session, ids: Sequence[int]) -> None:
    """Lock the officials' rows (in id order, so two writers cannot deadlock on them) until
    the transaction ends, before their facts are read. Concurrent transactions that change
    facts of one official then rewrite its summaries one after the other, each reading what
    the one before it committed: without the lock, on PostgreSQL, two rewrote from their own
    snapshots -- the second's insert met the first's new rows (a unique-key violation, a 500)
    or, had it replaced them, left out the first's change. FOR NO KEY UPDATE: inserting a
    row that refers to the official (a tenure) is not held up. SQLite lets one writer in at a
    time anyway (models/base.py) and has no row locks; the clause is left out there."""
    if session.connection().dialect.name == "postgresql":
        locking = select(Official.id).where(Official.id.in_(ids)).order_by(Official.id)
        session.connection().execute(locking.with_for_update(key_share=True))


def _rewrite(session: Session, ids: Sequence[int], start: dt.date) -> int:
    """Replace the rows of ``ids`` by fresh ones; officials no longer live lose theirs."""
    if not ids:
        return 0
    _one_writer_per_official(session, ids)
    all_facts = load_many_facts(session, ids)
    statuses = _statuses(session, list(all_facts))
    now = dt.datetime.now(dt.UTC)
    rule = four_eyes()
    gaps: dict[tuple[int, str], set[GapKey]] = {}
    with untranslated():  # a summary keeps figures, not sentences
        rows = [
            row
            for official_id, facts in all_facts.items()
            for row in summary_rows(
                facts, statuses.get(official_id, INITIAL_STATUS), start=start, now=now, four_eyes=rule, gaps=gaps
            )
        ]
    conn = session.connection()
    if rows and _watched(conn, ids):
        _note_element_changes(session, _element_statuses(conn, ids), rows)
    conn.execute(delete(SUMMARY).where(SUMMARY.c.official_id.in_(ids)))
    if rows:
        conn.execute(insert(SUMMARY), rows)
    close_vanished(session, gaps)  # tasks whose gap the facts no longer show close by themselves
    return len(all_facts)


# --- element changes, for the watchers of a dossier (services/workspace/watches.py) ---------

# session.info key: (official id, clearance, element code, old status, new status) seen by the
# rewrites of this transaction, told to watchers before it commits
ELEMENT_CHANGES = "dossier_element_changes"


def _watched(conn: Connection, ids: Sequence[int]) -> bool:
    """Whether anyone watches one of these officials, or any saved search (one indexed query;
    without a watcher nothing more is read)."""
    found = conn.execute(
        select(Watch.id).where(or_(Watch.official_id.in_(list(ids)), Watch.saved_search_id.is_not(None))).limit(1)
    ).first()
    return found is not None


def _element_statuses(conn: Connection, ids: Sequence[int]) -> dict[tuple[int, str], dict[str, str]]:
    columns = [SUMMARY.c[code] for code in ELEMENT_COLUMNS]
    rows = conn.execute(
        select(SUMMARY.c.official_id, SUMMARY.c.clearance, *columns).where(
            SUMMARY.c.official_id.in_(ids), SUMMARY.c.stale.is_(False)
        )
    )
    return {(r.official_id, r.clearance): {code: getattr(r, code) for code in ELEMENT_COLUMNS} for r in rows}


def _note_element_changes(
    session: Session, before: dict[tuple[int, str], dict[str, str]], rows: list[dict[str, Any]]
) -> None:
    changes = session.info.setdefault(ELEMENT_CHANGES, [])
    for row in rows:
        old = before.get((row["official_id"], row["clearance"]))
        if old is None:  # a new official, or a stale row: no status known to compare
            continue
        for code in ELEMENT_COLUMNS:
            if old[code] != row[code]:
                changes.append((row["official_id"], row["clearance"], code.upper(), old[code], row[code]))


def pop_element_changes(session: Session) -> list[tuple[int, str, str, str, str]]:
    return list(session.info.pop(ELEMENT_CHANGES, None) or [])


def chunks(ids: Iterable[int], size: int) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for begin in range(0, len(ordered), size):
        yield ordered[begin : begin + size]


def refresh(session: Session, official_ids: Iterable[int] | None = None, *, chunk: int = CHUNK) -> int:
    """Recompute the summaries of ``official_ids`` (every live official when None, after
    emptying the table); returns how many officials now have rows."""
    start = scope_start()
    if official_ids is None:
        session.flush()
        session.connection().execute(delete(SUMMARY))
        official_ids = session.scalars(select(Official.id).where(Official.deleted_at.is_(None)))
    return sum(_rewrite(session, ids, start) for ids in chunks(official_ids, chunk))


def stale_ids(session: Session, limit: int | None = None) -> list[int]:
    query = select(SUMMARY.c.official_id).where(SUMMARY.c.stale.is_(True), SUMMARY.c.clearance == CLASSIFICATIONS[0])
    return list(session.scalars(query.order_by(SUMMARY.c.official_id).limit(limit)))


def refresh_stale(session: Session, limit: int | None = None) -> int:
    """Recompute officials marked stale (at most ``limit``); returns how many."""
    ids = stale_ids(session, limit)
    return refresh(session, ids) if ids else 0


def heal(session: Session, limit: int) -> bool:
    """Recompute at most ``limit`` stale officials; True when none is left stale (one query
    tells both: it looks for one more than it recomputes)."""
    ids = stale_ids(session, limit + 1)
    if ids:
        refresh(session, ids[:limit])
    return len(ids) <= limit


def _mark_stale(conn: Connection, ids: Iterable[int]) -> None:
    for part in chunks(ids, _IN_LIST):
        conn.execute(update(SUMMARY).where(SUMMARY.c.official_id.in_(part)).values(stale=True))


def _without_rows(conn: Connection, ids: Iterable[int]) -> set[int]:
    missing = set(ids)
    for part in chunks(missing, _IN_LIST):
        missing -= set(conn.scalars(select(SUMMARY.c.official_id).where(SUMMARY.c.official_id.in_(part))))
    return missing


def recompute(session: Session, ids: set[int], *, limit: int | None = None) -> None:
    """Recompute ``ids`` now, up to ``limit`` (``IN_FLUSH_LIMIT``) of them, and every one
    without rows yet; mark the rest stale."""
    now = sorted(ids)[: IN_FLUSH_LIMIT if limit is None else limit]
    rest = ids.difference(now)
    conn = session.connection()
    if rest:
        new = _without_rows(conn, rest)
        _mark_stale(conn, rest - new)
        now += sorted(new)
    refresh(session, now)


# --- which officials a flush touches ---------------------------------------------------------

# Attributes whose change can move an assessment, per model
_WATCHED: dict[type, tuple[str, ...]] = {
    Official: ("name", "state_id", "deleted_at"),
    Dossier: ("status", "official_id"),
    Tenure: ("official_id", "position_id", "start_date", "start_date_precision", "end_date", "end_date_precision"),
    Involvement: ("official_id", "decision_id", "role"),
    Support: (
        "evidence_id",
        "stance",
        "tenure_id",
        "involvement_id",
        "decision_id",
        "act_id",
        "act_assessment_id",
        "confirmed_by_id",
    ),
    ActAssessment: ("act_id", "aspect", "act"),
    Position: ("tier", "troika", "institution_id"),
    Institution: ("state_id",),
    Decision: ("date", "date_precision", "deleted_at", "acts"),
    AggressionAct: ("start_date", "start_date_precision", "end_date", "end_date_precision", "decisions", "states"),
    Evidence: ("classification", "reliability", "credibility", "kind", "deleted_at"),
}
TARGETS = ("tenure", "involvement", "decision", "act", "act_assessment")


class Seeds:
    """Records a flush changed, by kind; ``officials`` resolves them to official ids."""

    def __init__(self) -> None:
        self.ids: dict[str, set[int]] = {
            k: set() for k in ("official", *TARGETS, "position", "institution", "evidence")
        }

    def add(self, kind: str, values: Iterable[Any]) -> None:
        self.ids[kind].update(v for v in values if isinstance(v, int))

    def __bool__(self) -> bool:
        return any(self.ids.values())

    def officials(self, conn: Connection) -> set[int]:
        self._evidence_targets(conn)
        found = set(self.ids["official"])
        queries = {
            "tenure": lambda part: select(Tenure.official_id).where(Tenure.id.in_(part)),
            "position": lambda part: select(Tenure.official_id).where(Tenure.position_id.in_(part)),
            "institution": lambda part: (
                select(Tenure.official_id)
                .join(Position, Tenure.position_id == Position.id)
                .where(Position.institution_id.in_(part))
            ),
            "involvement": lambda part: select(Involvement.official_id).where(Involvement.id.in_(part)),
            "decision": lambda part: select(Involvement.official_id).where(Involvement.decision_id.in_(part)),
            "act": lambda part: (
                select(Involvement.official_id)
                .join(decision_act, decision_act.c.decision_id == Involvement.decision_id)
                .where(decision_act.c.act_id.in_(part))
            ),
            "act_assessment": lambda part: (
                select(Involvement.official_id)
                .join(decision_act, decision_act.c.decision_id == Involvement.decision_id)
                .join(ActAssessment, ActAssessment.act_id == decision_act.c.act_id)
                .where(ActAssessment.id.in_(part))
            ),
        }
        for kind, query in queries.items():
            for part in chunks(self.ids[kind], _IN_LIST):
                found.update(conn.scalars(query(part).distinct()))
        return found

    def _evidence_targets(self, conn: Connection) -> None:
        for part in chunks(self.ids["evidence"], _IN_LIST):
            columns = [getattr(Support, f"{kind}_id") for kind in TARGETS]
            for row in conn.execute(select(*columns).where(Support.evidence_id.in_(part))):
                for kind, value in zip(TARGETS, row, strict=True):
                    self.add(kind, [value])


def _values(obj: Any, name: str) -> list[Any]:
    """The attribute's value now and before the flush (a moved tenure moves two officials)."""
    history = inspect(obj).attrs[name].history
    return [getattr(obj, name), *(history.deleted or ())]


def _changed(obj: Any) -> bool:
    attrs = inspect(obj).attrs
    return any(attrs[name].history.has_changes() for name in _WATCHED[type(obj)])


def _seed(seeds: Seeds, obj: Any) -> None:
    if isinstance(obj, Official):
        seeds.add("official", [obj.id])
    elif isinstance(obj, Dossier | Tenure | Involvement):
        seeds.add("official", _values(obj, "official_id"))
    elif isinstance(obj, Support):
        for kind in TARGETS:
            seeds.add(kind, _values(obj, f"{kind}_id"))
    elif isinstance(obj, Position):
        seeds.add("position", [obj.id])
    elif isinstance(obj, Institution):
        seeds.add("institution", [obj.id])
    elif isinstance(obj, Decision):
        seeds.add("decision", [obj.id])
    elif isinstance(obj, AggressionAct):
        seeds.add("act", [obj.id])
        history = inspect(obj).attrs["decisions"].history  # links made or broken from this side
        seeds.add("decision", (d.id for d in (*(history.added or ()), *(history.deleted or ()))))
    elif isinstance(obj, Evidence):
        seeds.add("evidence", [obj.id])
    elif isinstance(obj, ActAssessment):
        # Moved to another act through the relationship: the column's history shows nothing yet
        moved = inspect(obj).attrs["act"].history
        acts = [obj.act, *(moved.added or ()), *(moved.deleted or ())]
        seeds.add("act", [*_values(obj, "act_id"), *(a.id for a in acts if a is not None)])


def _seeds(session: Session) -> Seeds:
    seeds = Seeds()
    for obj in (*session.new, *session.deleted):
        if type(obj) in _WATCHED:
            _seed(seeds, obj)
    for obj in session.dirty:
        if type(obj) in _WATCHED and _changed(obj):
            _seed(seeds, obj)
    return seeds


_DEFERRED = "dossier_summaries_deferred"


def after_flush(session: Session, flush_context: UOWTransaction) -> None:
    seeds = _seeds(session)
    if not seeds:
        return
    ids = seeds.officials(session.connection())
    pending = session.info.get(_DEFERRED)
    if pending is not None:
        pending.update(ids)
    elif ids:
        recompute(session, ids)


@contextmanager
def deferred(session: Session) -> Iterator[None]:
    """Recompute once, when the block ends, every official its flushes touched (a bulk
    import flushes thousands of times); the block's own reads of summaries see old rows."""
    if _DEFERRED in session.info:  # an enclosing block recomputes
        yield
        return
    session.info[_DEFERRED] = set()
    try:
        yield
        session.flush()
        pending: set[int] = session.info.get(_DEFERRED) or set()
        refresh(session, pending)
    finally:
        session.info.pop(_DEFERRED, None)


# --- reading -----------------------------------------------------------------------------


def troikas(session: Session, official_ids: Sequence[int], today: dt.date) -> dict[int, str]:
    """The troika post each official may hold today (the rule of services/assessment/elements.py
    ``_troika``: a troika tenure begun by today, open or ended no earlier than today)."""
    if not official_ids:
        return {}
    rows = session.execute(
        select(Tenure.official_id, Tenure.start_date, Tenure.end_date, Tenure.end_date_precision, Position.troika)
        .join(Position, Tenure.position_id == Position.id)
        .where(Tenure.official_id.in_(official_ids), Position.troika.is_not(None), Tenure.start_date <= today)
        .order_by(Tenure.start_date, Tenure.id)
    )
    found: dict[int, str] = {}
    for row in rows:
        end = PartialDate.from_columns(row.end_date, row.end_date_precision)
        if row.official_id not in found and (end is None or end.end >= today):
            found[row.official_id] = row.troika
    return found
