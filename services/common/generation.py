"""The data's generation: a number that moves with every committed change of case data.

Pages rendered from case data are kept under the generation they were rendered at
(views/page_cache.py) and dropped once it moves. The audit trail (services/audit/trail.py) notes
each transaction that changes case data; just before that transaction commits, the one row
of ``data_generation`` is incremented in it. The row lock is held only from that update to
the commit, so concurrent writers queue for microseconds, and the numbers follow the order
of the commits: a reader that sees generation N also sees every change committed with N or
before it, and any later change commits a greater number. (The newest audit event's id
would not do on PostgreSQL: ids are handed out when a flush runs, not when its transaction
commits, so a long import could commit an id below one already seen.)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from models import DataGeneration

_CHANGED = "case_data_changed"
_ROWS = "case_data_changes"  # the audit events of those changes, for the pages' own versions
_COMMITTING = "case_data_generation_committing"
ROW_ID = 1


# Stands for a change noted without its events: no page can be sure it is not reached
UNPLACED: dict[str, Any] = {"entity_type": None, "entity_id": None, "before": None, "after": None}


def note_change(session: Session, rows: Iterable[dict[str, Any]] | None = None) -> None:
    """Called by the audit trail: this transaction changes case data, with these events."""
    session.info[_CHANGED] = True
    session.info.setdefault(_ROWS, []).extend([UNPLACED] if rows is None else rows)


def committing(session: Session) -> tuple[int, list[dict[str, Any]]] | None:
    """In a later before_commit handler: the generation this commit brings and the audit
    events of its changes (None when it changes no case data). Asked once."""
    return session.info.pop(_COMMITTING, None)


def pending(session: Session) -> bool:
    """Whether this session holds changes of case data not committed yet."""
    return bool(session.info.get(_CHANGED))


def current(session: Session) -> int:
    """The generation committed so far (0 before any change)."""
    return int(session.scalar(select(DataGeneration.value).where(DataGeneration.id == ROW_ID)) or 0)


def before_commit(session: Session) -> None:
    # Releasing a savepoint also fires before_commit: the row is locked at the commit only,
    # after the audit trail's head (services/audit/chain.py), in every transaction alike
    if session.get_nested_transaction() is not None:
        return
    session.flush()  # the last changes' audit events note the change too
    rows = session.info.pop(_ROWS, [])
    if not session.info.pop(_CHANGED, False):
        return
    session.info[_COMMITTING] = (bump(session, ROW_ID), rows)


def bump(session: Session, row_id: int) -> int:
    """Move the counter ``row_id`` on by one (created at 1), in this transaction; its new value."""
    bumped = session.execute(
        update(DataGeneration).where(DataGeneration.id == row_id).values(value=DataGeneration.value + 1)
    )
    if not bumped.rowcount:  # type: ignore[attr-defined]
        session.execute(insert(DataGeneration).values(id=row_id, value=1))
    return int(session.scalar(select(DataGeneration.value).where(DataGeneration.id == row_id)) or 0)


def after_rollback(session: Session) -> None:
    for key in (_CHANGED, _ROWS, _COMMITTING):
        session.info.pop(key, None)
