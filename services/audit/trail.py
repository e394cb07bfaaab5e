"""The audit trail, written automatically in the same transaction as every change.

A listener on every ORM session's ``after_flush`` looks at what the flush wrote: each
new, changed, soft-deleted, restored or removed record becomes an audit event with the
field-level values before and after. Because it hooks the flush, no code path that
changes case data can forget it. The events wait in the session and are chained onto the
trail and inserted when the transaction commits (services/audit/chain.py); a rolled-back
change, or savepoint, takes its events with it. Who acted comes from ``acting_as`` (set per
request and per CLI command).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session, SessionTransaction, UOWTransaction, scoped_session

from models import User
from models.base import utcnow
from services.audit import chain as audit_chain
from services.common import generation

# Tables that are logs or sign-in bookkeeping themselves, not case data.
NOT_AUDITED = frozenset(
    {
        "audit_event",
        "audit_head",
        "data_generation",
        "official_page_version",
        "act_evidence_digest",
        "dossier_summary",
        "custody_event",
        "custody_head",
        "fixity_run",
        "import_run",
        "import_record",
        "export",
        "export_official",
        # a case file a job built and kept: each download of it is recorded as an export
        "kept_case_file",
        "kept_case_file_official",
        "exhibit_number",
        "ern_counter",  # the numbers a stamped copy takes are recorded on its disclosure item
        "text_page",  # the pages of a derivative whose creation is recorded (its file and extraction)
        "login_throttle",
        "user_session",
        "alembic_version",
        # a user's own notifications: references to audited records, derived from their changes
        "notification",
    }
)
# Recorded events that change what pages show (an export is listed on its dossier); sign-ins do not.
CHANGING_ACTIONS = frozenset({"export", "import"})
# The only columns of a user that pages show
USER_COLUMNS_ON_PAGES = ("name", "email")
# Never copied into the trail: only the fact that they changed.
SECRET_COLUMNS = frozenset({"password_hash", "token_hash", "totp_secret", "enrolment_code_hash"})
# Bookkeeping that changes with every save and says nothing by itself.
QUIET_COLUMNS = frozenset({"updated_at", "version", "last_used_at", "progress_done", "progress_total", "heartbeat_at"})
REDACTED = "[changed]"


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    name: str


_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("audit_actor", default=None)


def current_actor_id() -> int | None:
    """The user the current request or command acts as (None: the system)."""
    actor = _actor.get()
    return actor.user_id if actor is not None else None


@contextmanager
def acting_as(user: User | None, name: str | None = None) -> Iterator[None]:
    """Attribute every change made inside the block to ``user`` (or to ``name``)."""
    token = _actor.set(Actor(user.id if user else None, name or (user.email if user else "system")))
    try:
        yield
    finally:
        _actor.reset(token)


def set_actor(user: User | None, name: str | None = None) -> contextvars.Token[Actor | None]:
    return _actor.set(Actor(user.id if user else None, name or (user.email if user else "system")))


def actor_id() -> int | None:
    """The user the changes being made are attributed to (none: the system, or nobody set)."""
    actor = _actor.get()
    return actor.user_id if actor else None


def reset_actor(token: contextvars.Token[Actor | None]) -> None:
    _actor.reset(token)


def _json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _columns(obj: Any) -> dict[str, Any]:
    state = inspect(obj)
    values = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        values[key] = REDACTED if key in SECRET_COLUMNS else _json(getattr(obj, key))
    return values


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """Field-level before and after for the columns and many-to-many links that changed."""
    state = inspect(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if not history.has_changes() or attr.key in QUIET_COLUMNS:
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if attr.key in SECRET_COLUMNS:
            before[attr.key], after[attr.key] = REDACTED, REDACTED
        else:
            before[attr.key], after[attr.key] = _json(old), _json(new)
    for rel in state.mapper.relationships:
        if rel.secondary is None:
            continue
        history = state.attrs[rel.key].history
        if history.has_changes():
            kept = [o.id for o in history.unchanged]
            before[rel.key] = sorted(kept + [o.id for o in history.deleted])
            after[rel.key] = sorted(kept + [o.id for o in history.added])
    return before, after


def _parent(obj: Any) -> tuple[str | None, int | None]:
    """The record whose history should also show this one (an alias under its official)."""
    parent = getattr(obj, "audit_parent", None)
    return parent if parent else (None, None)


def _entity_id(obj: Any) -> int | None:
    value = getattr(obj, "id", None)
    return value if isinstance(value, int) else None


def _event(action: str, obj: Any, before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, Any]:
    actor = _actor.get() or Actor(None, "system")
    parent_type, parent_id = _parent(obj)
    return {
        "occurred_at": utcnow(),
        "actor_id": actor.user_id,
        "actor_name": actor.name[:254],
        "action": action,
        "entity_type": obj.__tablename__,
        "entity_id": _entity_id(obj),
        "parent_type": parent_type,
        "parent_id": parent_id,
        "before": before,
        "after": after,
    }


def _audited(obj: Any) -> bool:
    return getattr(obj, "__tablename__", None) not in NOT_AUDITED


# session.info key: the events waiting for the commit, each with the (innermost) transaction
# that produced it, so that rolling back a savepoint drops its events
_PENDING = "audit_pending"


def _innermost(session: Session) -> SessionTransaction | None:
    return session.get_nested_transaction() or session.get_transaction()


def keep(session: Session, rows: list[dict[str, Any]]) -> None:
    """Hold ``rows`` (audit events, as ``pending`` gives them) for the session's commit."""
    transaction = _innermost(session)
    session.info.setdefault(_PENDING, []).extend((transaction, row) for row in rows)


def pending(session: Session) -> list[dict[str, Any]]:
    """The events this session will append when it commits (oldest first)."""
    return [row for _transaction, row in session.info.get(_PENDING, [])]


def after_flush(session: Session, flush_context: UOWTransaction) -> None:
    rows = [_event("create", obj, None, _columns(obj)) for obj in session.new if _audited(obj)]
    for obj in session.dirty:
        if not _audited(obj) or not session.is_modified(obj, include_collections=True):
            continue
        before, after = _changes(obj)
        if not after and not before:
            continue
        action = "update"
        if "deleted_at" in after:
            action = "delete" if after["deleted_at"] is not None else "restore"
        rows.append(_event(action, obj, before, after))
    rows += [_event("delete", obj, _columns(obj), None) for obj in session.deleted if _audited(obj)]
    if rows:
        keep(session, rows)
    shown = [row for row in rows if _shows_on_pages(row)]
    if shown:
        generation.note_change(session, shown)


def before_commit(session: Session) -> None:
    """Chain the transaction's events onto the trail (a flush may add more: until none is
    left). Not when a savepoint is released: its events wait for the transaction's commit, so
    the trail's head stays unlocked while the rest of the transaction runs."""
    if session.get_nested_transaction() is not None:
        return
    session.flush()
    while session.info.get(_PENDING):
        rows = pending(session)
        session.info[_PENDING] = []
        audit_chain.append(session, rows)
        session.flush()


def after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    """Drop the events of the transaction, or savepoint, rolled back (and of any inside it)."""
    waiting = session.info.get(_PENDING)
    if not waiting:
        return
    if previous.parent is None:
        session.info.pop(_PENDING, None)
        return
    session.info[_PENDING] = [(t, row) for t, row in waiting if not _within(t, previous)]


def _within(transaction: SessionTransaction | None, outer: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is outer:
            return True
        transaction = transaction.parent
    return False


def _shows_on_pages(row: dict[str, Any]) -> bool:
    """Whether a change can alter a rendered page: of a user, only the name or e-mail address
    (who led a case, who moved it); a sign-in's bookkeeping (language, TOTP step) cannot."""
    if row["entity_type"] == "saved_search":  # one user's filters, on no shared page
        return False
    if row["entity_type"] != "users":
        return True
    return any(key in (row["before"] or {}) or key in (row["after"] or {}) for key in USER_COLUMNS_ON_PAGES)


def record_update(
    session: Session, entity_type: str, entity_id: int, before: dict[str, Any], after: dict[str, Any]
) -> None:
    """Write the event of a change made with a Core statement, which the flush listener does
    not see (a task closed by itself while summaries are rewritten inside a flush)."""
    before_json = {k: _json(v) for k, v in before.items()}
    row = _row("update", entity_type, entity_id, before_json, {k: _json(v) for k, v in after.items()})
    keep(session, [row])
    generation.note_change(session, [row])


def _row(
    action: str, entity_type: str, entity_id: int | None, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> dict[str, Any]:
    actor = _actor.get() or Actor(None, "system")
    return {
        "occurred_at": utcnow(),
        "actor_id": actor.user_id,
        "actor_name": actor.name[:254],
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "parent_type": None,
        "parent_id": None,
        "before": before,
        "after": after,
    }


def record(
    session: Session | scoped_session[Session],
    action: str,
    entity_type: str,
    entity_id: int | None,
    *,
    parent: tuple[str, int] | None = None,
    **after: Any,
) -> None:
    """Write an event that is not a change of a record: a sign-in, an export, an import, a
    view of an evidence file (``session`` may be Flask-SQLAlchemy's scoped ``db.session``;
    ``parent`` files the event under a record, as a file's under its exhibit, whose
    clearance then hides it)."""
    real = session() if isinstance(session, scoped_session) else session
    row = _row(action, entity_type, entity_id, None, {k: _json(v) for k, v in after.items()} or None)
    if parent is not None:
        row["parent_type"], row["parent_id"] = parent
    keep(real, [row])
    if action in CHANGING_ACTIONS:
        generation.note_change(real, [row])
