"""Watched saved searches of the evidence list and of search (issue 25 items 3 and 4): the
watcher is told when a record appears in the search's results as their clearance sees them.

"Appears" means: it is among the results when the transaction commits, and was not when the
transaction began -- a new exhibit, official or decision, or one changed so that it now
matches (a new alias, a retitled decision, an exhibit regraded or reclassified within the
watcher's clearance, a deleted one restored). The results are the pages' own: the evidence
list's filters (services/evidence/listing.py) and search's match (services/search/engine.py
``found_among``), asked of the records the transaction touched only, at the watcher's
clearance -- an exhibit above it is never asked about, so it tells nothing, not even as a
count.

Cheap by construction: the after_flush hook only notes which records a flush inserted or
changed (no query); a transaction that touches no exhibit, official or decision costs
nothing. Before a flush changes a record that was committed before, the records' matches as
they stand are asked once (only when someone watches such a search); at the commit, one
query per watched search and kind. A few new results are told one by one; more in one commit
(an import) are told at once, as a number, by one notification of the search.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from models import Decision, Evidence, Official, OfficialName, SavedSearch, User, Watch
from services.common.access import visible_classifications
from services.dossiers.summaries import clearance_of
from services.evidence import listing as evidence_listing
from services.search import engine as search_engine
from services.workspace.notifications import notify
from services.workspace.watches import acting_user

# The pages whose saved searches these watches follow, and the kinds of record each lists
PAGE_KINDS: dict[str, tuple[str, ...]] = {
    "evidence": ("evidence",),
    "search": ("official", "decision", "evidence"),
}
_KIND_OF: dict[type, str] = {Evidence: "evidence", Official: "official", Decision: "decision"}
# More new results than this in one commit are told as one notification of the search
TOLD_ONE_BY_ONE = 3

_STATE = "result_watches"

Record = tuple[str, int]  # (kind, id)


@dataclass
class _State:
    watched: list[tuple[User, SavedSearch]] | None = None  # asked once per transaction
    inserted: set[Record] = field(default_factory=set)  # made in this transaction
    captured: set[Record] = field(default_factory=set)  # their matches before it were asked
    before: set[tuple[int, str, int]] = field(default_factory=set)  # (search id, kind, id) matched before
    touched: dict[str, set[int]] = field(default_factory=dict)  # kind -> ids inserted or changed


def _state(session: Session) -> _State:
    found = session.info.get(_STATE)
    if found is None:
        found = session.info[_STATE] = _State()
    return found


def _watched(session: Session, state: _State) -> list[tuple[User, SavedSearch]]:
    """Every active user's watched saved search of these pages: one query per transaction."""
    if state.watched is None:
        with session.no_autoflush:
            rows = session.execute(
                select(User, SavedSearch)
                .join(Watch, Watch.user_id == User.id)
                .join(SavedSearch, SavedSearch.id == Watch.saved_search_id)
                .where(User.active.is_(True), SavedSearch.page.in_(tuple(PAGE_KINDS)))
                .order_by(SavedSearch.id)
            ).all()
        state.watched = [(user, search) for user, search in rows]
    return state.watched


def results_among(session: Session, search: SavedSearch, user: User, records: dict[str, set[int]]) -> set[Record]:
    """Which of ``records`` the page of ``search`` lists for ``user`` with its filters."""
    args = dict(parse_qsl(search.query))
    visible = visible_classifications(user)
    found: set[Record] = set()
    for kind in PAGE_KINDS.get(search.page, ()):
        ids = records.get(kind)
        if not ids:
            continue
        if search.page == "evidence":
            matched = evidence_listing.listed_among(session, args, visible, ids)
        else:
            matched = search_engine.found_among(session, args.get("q", ""), kind, ids, visible=visible)
        found.update((kind, record_id) for record_id in matched)
    return found


def _touched(objects: Iterable[Any], *, changed_only: bool) -> dict[str, set[int]]:
    """The listed records among ``objects`` (an alias stands for its official)."""
    records: dict[str, set[int]] = {}
    for obj in objects:
        if isinstance(obj, OfficialName):  # an alias given through the relationship has no id yet
            kind = "official"
            record_id = obj.official_id if obj.official_id is not None else getattr(obj.official, "id", None)
        elif type(obj) in _KIND_OF:
            if changed_only and not inspect(obj).modified:
                continue
            kind, record_id = _KIND_OF[type(obj)], obj.id
        else:
            continue
        if isinstance(record_id, int):
            records.setdefault(kind, set()).add(record_id)
    return records


def before_flush(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    """Before a flush changes records committed before this transaction: their matches as
    they stand (asked once per record, and only while someone watches such a search)."""
    if not session.dirty and not session.deleted and not any(isinstance(o, OfficialName) for o in session.new):
        return
    state = _state(session)
    changing = _touched([*session.dirty, *session.deleted, *session.new], changed_only=True)
    fresh = {
        kind: {i for i in ids if (kind, i) not in state.captured and (kind, i) not in state.inserted}
        for kind, ids in changing.items()
    }
    fresh = {kind: ids for kind, ids in fresh.items() if ids}
    if not fresh:
        return
    watched = _watched(session, state)
    state.captured.update((kind, i) for kind, ids in fresh.items() for i in ids)
    if not watched:
        return
    with session.no_autoflush:
        for user, search in watched:
            for kind, record_id in results_among(session, search, user, fresh):
                state.before.add((search.id, kind, record_id))


def after_flush(session: Session, flush_context: UOWTransaction) -> None:
    """Note the records the flush inserted or changed (no query)."""
    new = _touched(session.new, changed_only=False)
    changed = _touched([*session.dirty, *session.deleted], changed_only=True)
    if not new and not changed:
        return
    state = _state(session)
    state.inserted.update((_KIND_OF[type(o)], o.id) for o in session.new if type(o) in _KIND_OF)
    for records in (new, changed):
        for kind, ids in records.items():
            state.touched.setdefault(kind, set()).update(ids)


def before_commit(session: Session) -> None:
    """Tell each watcher of a saved search the records new in its results."""
    if session.get_nested_transaction() is not None:  # a savepoint's release: not the commit yet
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # what is left: its records count too
    state: _State | None = session.info.pop(_STATE, None)
    if state is None or not state.touched:
        return
    actor = acting_user(session)
    for user, search in _watched(session, state):
        new = sorted(
            (kind, record_id)
            for kind, record_id in results_among(session, search, user, state.touched)
            if (search.id, kind, record_id) not in state.before
        )
        if len(new) <= TOLD_ONE_BY_ONE:
            for kind, record_id in new:
                notify(session, user, "search_result", kind, record_id, actor=actor, detail=str(search.id))
        else:
            clearance = clearance_of(visible_classifications(user))
            notify(
                session, user, "search_result", "saved_search", search.id, actor=actor, detail=str(len(new)),
                clearance=clearance,
            )  # fmt: skip


def after_rollback(session: Session) -> None:
    session.info.pop(_STATE, None)
