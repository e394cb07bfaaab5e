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

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from models import DataGeneration

_CHANGED = "case_data_changed"
ROW_ID = 1


def note_change(session: Session) -> None:
    """Called by the audit trail: this transaction changes case data."""
    session.info[_CHANGED] = True


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
    if not session.info.pop(_CHANGED, False):
        return
    bumped = session.execute(
        update(DataGeneration).where(DataGeneration.id == ROW_ID).values(value=DataGeneration.value + 1)
    )
    if not bumped.rowcount:  # type: ignore[attr-defined]
        session.execute(insert(DataGeneration).values(id=ROW_ID, value=1))


def after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)
