"""The audit trail as one keyed hash chain, appended as each transaction commits.

The rows a transaction's changes produce (services/audit/trail.py) wait in the session until it
commits. Then, in ``before_commit``, the trail's head row (``AuditHead``) is locked, each row
gets the hash of the one before (``prev_hash``) and its own HMAC under the chain key
(``event_hash``, services/common/chain_keys.py), the rows are inserted in that order and the head moves
to the last. The lock is held from there to the commit only -- never while a long import
runs --, so writers append in turn and the ids follow the chain. Locks are taken in one
order everywhere (the trail's head, then the data generation, both at commit), so two
committing transactions never wait for each other in a circle.

``verify`` walks the trail in id order: a changed row no longer matches its hash, a removed
or inserted one breaks the next link, removed newest rows leave the trail shorter than its
head says.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any, cast

from sqlalchemy import Row, Table, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import AuditEvent, AuditHead
from services.common import chain_keys as chains

HEAD_ID = 1
# The fields an event's hash covers (the id is the database's bookkeeping; the order of the
# trail is carried by prev_hash)
HASHED_FIELDS = (
    "occurred_at",
    "actor_id",
    "actor_name",
    "action",
    "entity_type",
    "entity_id",
    "parent_type",
    "parent_id",
    "before",
    "after",
    "prev_hash",
)
# More problems than this are counted, not listed (a wrong key breaks every event)
MAX_LISTED = 100


def payload(values: Mapping[Any, Any]) -> dict[str, Any]:
    return {name: values[name] for name in HASHED_FIELDS}


def _as_stored(value: Any) -> Any:
    """A JSON value as it reads back from the database (tuples become lists, keys strings),
    so the hash made now is the hash verified later."""
    return None if value is None else json.loads(json.dumps(value))


def _lock_head(session: Session) -> tuple[int, str | None]:
    query = select(AuditHead.event_count, AuditHead.head_hash).where(AuditHead.id == HEAD_ID).with_for_update()
    row = session.execute(query).first()
    if row is None:  # a database built without the migrations' row: the first writer adds it
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        first = dialect.insert(AuditHead).values(id=HEAD_ID, event_count=0, head_hash=None)
        session.execute(first.on_conflict_do_nothing())
        row = session.execute(query).one()
    return int(row.event_count), row.head_hash


def append(session: Session, rows: list[dict[str, Any]]) -> None:
    """Chain ``rows`` onto the trail and insert them (called as the transaction commits)."""
    count, previous = _lock_head(session)
    key = chains.current_key()
    for row in rows:
        row["before"], row["after"] = _as_stored(row["before"]), _as_stored(row["after"])
        row["prev_hash"] = previous
        row["event_hash"] = previous = chains.keyed_hash(key, payload(row))
    # Core's executemany, not the ORM's bulk insert, which on SQLite (no sentinel for RETURNING)
    # sends the rows in thousands of statements: 2 s of CPU for the 9,000 events of an EU import
    session.connection().execute(insert(cast(Table, AuditEvent.__table__)), rows)
    session.execute(
        update(AuditHead).where(AuditHead.id == HEAD_ID).values(event_count=count + len(rows), head_hash=previous)
    )


# --- verification ----------------------------------------------------------------------------


def _label(_position: int, row: Row[Any]) -> str:
    what = f"{row.action} of {row.entity_type}" + (f" #{row.entity_id}" if row.entity_id else "")
    when = row.occurred_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    return f"event #{row.id} ({what} by {row.actor_name or 'system'}, {when})"


def _rows(session: Session, batch: int) -> Iterator[Row[Any]]:
    columns = AuditEvent.__table__.c
    query = select(columns.id, *(columns[name] for name in HASHED_FIELDS), columns.event_hash)
    yield from session.execute(query.order_by(columns.id).execution_options(yield_per=batch))


def verify(session: Session, key: bytes | None = None, batch: int = 5000) -> chains.ChainVerdict:
    """What is wrong with the audit trail, streamed in id order."""
    head = session.execute(select(AuditHead.event_count, AuditHead.head_hash).where(AuditHead.id == HEAD_ID)).first()
    return chains.verify_chain(
        _rows(session, batch),
        (int(head.event_count), head.head_hash) if head else None,
        key=key or chains.current_key(),
        hashed_fields=HASHED_FIELDS,
        label=_label,
        noun="trail",
        max_listed=MAX_LISTED,
    )
