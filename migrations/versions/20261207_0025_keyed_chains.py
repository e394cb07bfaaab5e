"""Keyed hash chains: custody chains re-keyed with the instance's chain key, the audit trail
chained the same way.

Reviewed by hand:
- Custody chains: each event's hash becomes an HMAC-SHA256 under the chain key
  (services/common/chain_keys.py) instead of a plain SHA-256 anyone with the database could recompute.
  A chain that verifies under the old hashes is re-keyed, event by event (``prev_hash``
  too) and its head; a chain already broken is left exactly as it was, so fixity goes on
  reporting it (re-keying it would vouch for the tampering). Those chains are named in the
  migration's log.
- The audit trail: ``audit_event`` gains ``prev_hash`` and ``event_hash`` (added nullable,
  filled by chaining the existing events in id order, then required and unique, with the
  same checks as custody events and an index that keeps the trail from forking);
  ``audit_head`` holds the trail's length and newest hash (one row, locked by each append).
- ``fixity_run`` counts the audit events it verified.
The append-only triggers refuse the rewrite: they are dropped for it and recreated (batch
operations on SQLite rebuild ``audit_event``, which drops them anyway).

The key comes from ``config.attributes["chain_key"]`` (the migration tests hand one in), the
Flask app running ``flask db upgrade``, or CHAIN_KEY_PATH as the environment configures it;
it is read only when there are rows to chain. The hashing is frozen here as it stands at
this revision. Downgrade recomputes intact chains with plain SHA-256 and drops the trail's
columns.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 12:00:00.000000
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import itertools
import json
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from alembic import context, op

from models import triggers

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

CUSTODY_FIELDS = (
    "evidence_id",
    "event_type",
    "actor_id",
    "actor_name",
    "occurred_at",
    "from_party",
    "to_party",
    "location",
    "purpose",
    "evidence_file_id",
    "verified_sha256",
    "prev_hash",
)
AUDIT_FIELDS = (
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
BATCH = 2000

custody_event = sa.table(
    "custody_event",
    sa.column("id", sa.Integer),
    sa.column("evidence_id", sa.Integer),
    sa.column("event_type", sa.String),
    sa.column("actor_id", sa.Integer),
    sa.column("actor_name", sa.String),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("from_party", sa.String),
    sa.column("to_party", sa.String),
    sa.column("location", sa.String),
    sa.column("purpose", sa.Text),
    sa.column("evidence_file_id", sa.Integer),
    sa.column("verified_sha256", sa.String),
    sa.column("prev_hash", sa.String),
    sa.column("event_hash", sa.String),
)
custody_head = sa.table(
    "custody_head",
    sa.column("evidence_id", sa.Integer),
    sa.column("event_count", sa.Integer),
    sa.column("head_hash", sa.String),
)
audit_event = sa.table(
    "audit_event",
    sa.column("id", sa.Integer),
    sa.column("occurred_at", sa.DateTime(timezone=True)),
    sa.column("actor_id", sa.Integer),
    sa.column("actor_name", sa.String),
    sa.column("action", sa.String),
    sa.column("entity_type", sa.String),
    sa.column("entity_id", sa.Integer),
    sa.column("parent_type", sa.String),
    sa.column("parent_id", sa.Integer),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
    sa.column("prev_hash", sa.String),
    sa.column("event_hash", sa.String),
)

Hasher = Callable[[Mapping[str, Any]], str]


# --- the hashes as they stand at this revision -------------------------------------------------


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)  # SQLite keeps no zone
        return aware.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def _canonical(row: Mapping[str, Any], fields: tuple[str, ...]) -> bytes:
    payload = {name: _value(row[name]) for name in fields}
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _plain(fields: tuple[str, ...]) -> Hasher:
    return lambda row: hashlib.sha256(_canonical(row, fields)).hexdigest()


def _keyed(key: bytes, fields: tuple[str, ...]) -> Hasher:
    return lambda row: hmac.new(key, _canonical(row, fields), hashlib.sha256).hexdigest()


def _chain_key() -> bytes:
    handed = context.config.attributes.get("chain_key")
    if handed:
        return bytes(handed)
    from flask import current_app, has_app_context

    if has_app_context() and "chain_key" in current_app.extensions:
        return bytes(current_app.extensions["chain_key"])
    from config import config_from_env
    from services.common import chain_keys as chains

    settings = config_from_env()
    return chains.key_for({"CHAIN_KEY_PATH": settings.CHAIN_KEY_PATH, "CHAIN_KEY_CREATE": settings.CHAIN_KEY_CREATE})


# --- rewriting chains ----------------------------------------------------------------------------


def _intact(events: list[Mapping[str, Any]], head: Mapping[str, Any] | None, hasher: Hasher) -> bool:
    previous = None
    for event in events:
        if event["prev_hash"] != previous or hasher(event) != event["event_hash"]:
            return False
        previous = event["event_hash"]
    return head is not None and head["event_count"] == len(events) and head["head_hash"] == previous


def _rehashed(events: Iterable[Mapping[str, Any]], hasher: Hasher) -> list[dict[str, Any]]:
    """Each event's new link and hash, in chain order."""
    changes, previous = [], None
    for event in events:
        new = hasher({**event, "prev_hash": previous})
        changes.append({"b_id": event["id"], "b_prev": previous, "b_hash": new})
        previous = new
    return changes


def _write(conn: sa.Connection, table: sa.TableClause, changes: list[dict[str, Any]]) -> None:
    statement = (
        table.update()
        .where(table.c.id == sa.bindparam("b_id"))
        .values(prev_hash=sa.bindparam("b_prev"), event_hash=sa.bindparam("b_hash"))
    )
    for start in range(0, len(changes), BATCH):
        conn.execute(statement, changes[start : start + BATCH])


def _rechain_custody(conn: sa.Connection, old: Hasher, new: Hasher) -> list[int]:
    """Rewrite every intact custody chain with ``new`` hashes; the ids of chains left broken."""
    heads = {row.evidence_id: row._mapping for row in conn.execute(sa.select(custody_head))}
    rows = conn.execute(sa.select(custody_event).order_by(custody_event.c.evidence_id, custody_event.c.id))
    broken, changes = [], []
    for evidence_id, group in itertools.groupby((row._mapping for row in rows), key=lambda r: r["evidence_id"]):
        events = list(group)
        if not _intact(events, heads.get(evidence_id), old):
            broken.append(evidence_id)
            continue
        rehashed = _rehashed(events, new)
        changes += rehashed
        conn.execute(
            custody_head.update()
            .where(custody_head.c.evidence_id == evidence_id)
            .values(head_hash=rehashed[-1]["b_hash"])
        )
    _write(conn, custody_event, changes)
    return broken


def _chain_audit(conn: sa.Connection, hasher: Hasher) -> tuple[int, str | None]:
    rows = conn.execute(sa.select(audit_event).order_by(audit_event.c.id))
    changes = _rehashed((row._mapping for row in rows), hasher)
    _write(conn, audit_event, changes)
    return len(changes), (changes[-1]["b_hash"] if changes else None)


def _has_rows(conn: sa.Connection, table: sa.TableClause) -> bool:
    return conn.execute(sa.select(sa.literal(1)).select_from(table).limit(1)).first() is not None


def _drop_triggers(dialect: str) -> None:
    for table in ("custody_event", "audit_event"):
        for sql in triggers.drop_statements(table, dialect):
            op.execute(sql)


def _create_triggers(dialect: str) -> None:
    for sql in triggers.recreate_statements(("custody_event", "audit_event"), dialect):
        op.execute(sql)


# --- upgrade and downgrade ---------------------------------------------------------------------


def upgrade() -> None:
    conn = op.get_bind()
    dialect = conn.dialect.name
    _drop_triggers(dialect)
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("event_hash", sa.String(length=64), nullable=True))
    audit_head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_count", sa.BigInteger(), nullable=False),
        sa.Column("head_hash", sa.String(length=64), nullable=True),
        sa.CheckConstraint("event_count >= 0", name=op.f("ck_audit_head_event_count_not_negative")),
        sa.CheckConstraint(
            "(event_count = 0 AND head_hash IS NULL) OR length(head_hash) = 64",
            name=op.f("ck_audit_head_head_hash_present"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    count, head = 0, None
    if _has_rows(conn, custody_event) or _has_rows(conn, audit_event):
        key = _chain_key()
        broken = _rechain_custody(conn, _plain(CUSTODY_FIELDS), _keyed(key, CUSTODY_FIELDS))
        if broken:
            log.warning("custody chains already broken, left as they were (evidence ids): %s", broken)
        count, head = _chain_audit(conn, _keyed(key, AUDIT_FIELDS))
    op.bulk_insert(audit_head, [{"id": 1, "event_count": count, "head_hash": head}])
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.alter_column("event_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_event_event_hash"), ["event_hash"])
        batch_op.create_check_constraint(op.f("ck_audit_event_event_hash_length"), "length(event_hash) = 64")
        batch_op.create_check_constraint(
            op.f("ck_audit_event_prev_hash_length"), "prev_hash IS NULL OR length(prev_hash) = 64"
        )
        batch_op.create_index(
            "uq_audit_event_prev_hash",
            ["prev_hash"],
            unique=True,
            sqlite_where=sa.text("prev_hash IS NOT NULL"),
            postgresql_where=sa.text("prev_hash IS NOT NULL"),
        )
    with op.batch_alter_table("fixity_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audit_events_checked", sa.BigInteger(), nullable=False, server_default="0"))
    with op.batch_alter_table("fixity_run", schema=None) as batch_op:
        batch_op.alter_column("audit_events_checked", existing_type=sa.BigInteger(), server_default=None)
    _create_triggers(dialect)


def downgrade() -> None:
    conn = op.get_bind()
    dialect = conn.dialect.name
    _drop_triggers(dialect)
    with op.batch_alter_table("fixity_run", schema=None) as batch_op:
        batch_op.drop_column("audit_events_checked")
    if _has_rows(conn, custody_event):
        key = _chain_key()
        broken = _rechain_custody(conn, _keyed(key, CUSTODY_FIELDS), _plain(CUSTODY_FIELDS))
        if broken:
            log.warning("custody chains broken, left as they were (evidence ids): %s", broken)
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("uq_audit_event_prev_hash")
        batch_op.drop_constraint(op.f("ck_audit_event_prev_hash_length"), type_="check")
        batch_op.drop_constraint(op.f("ck_audit_event_event_hash_length"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_audit_event_event_hash"), type_="unique")
        batch_op.drop_column("event_hash")
        batch_op.drop_column("prev_hash")
    op.drop_table("audit_head")
    _create_triggers(dialect)
