"""The demo data set, loaded once per run and copied into each test that asks for it.

Loading it through seeds/demo.py costs seconds (every record looked up, then written
through the ORM with the audit trail, the search index and the dossier summaries computed as
it goes); dozens of tests start from it. ``capture`` loads it once, in a transaction that is
rolled back, and keeps every row it wrote, table by table, derived rows included (audit
events, search index, summaries, digests); ``copy_into`` inserts those rows into a test's
own transaction in a few statements. The test then sees what a load would have left, with
the same ids -- which a fresh load would not give it on PostgreSQL, where sequences are not
rolled back, but no test relies on ids staying the same between tests anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, TableClause, insert, inspect, select, text
from sqlalchemy.orm import Session

from extensions import db
from models import AuditEvent, text_search
from models.search_index import FTS5_SHADOW_SUFFIXES, TABLE, search_index, search_index_with_rowid
from services.audit import trail as audit
from services.common import generation

Captured = list[tuple[TableClause, list[dict[str, Any]]]]


def _tables(conn: Connection) -> list[TableClause]:
    """Every table, parents before children; the search index with its FTS5 rowid on SQLite
    (PostgreSQL numbers its rows itself)."""
    index = search_index_with_rowid if conn.dialect.name == "sqlite" else search_index
    return [*db.metadata.sorted_tables, index]


def _rows(conn: Connection, table: TableClause) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in conn.execute(select(table))]


def _key(row: dict[str, Any]) -> str:
    return repr(sorted(row.items()))


def capture(session: Session, load: Callable[[Session], object]) -> Captured:
    """Run ``load(session)`` and return the rows it added, table by table (in insert order);
    its audit events, which wait for the commit (services/audit/trail.py), under ``audit_event``."""
    conn = session.connection()
    known = {TABLE, "alembic_version", *(t.name for t in db.metadata.sorted_tables)}
    known |= {TABLE + suffix for suffix in FTS5_SHADOW_SUFFIXES}
    # the full-text index of text pages: triggers on text_page fill it as the copy inserts them
    known |= {text_search.SQLITE_TABLE, text_search.PG_TABLE}
    known |= {text_search.SQLITE_TABLE + suffix for suffix in text_search.FTS5_SHADOW_SUFFIXES}
    unknown = set(inspect(conn).get_table_names()) - known
    assert not unknown, f"tables the copy would miss: {sorted(unknown)}"
    before = {table.name: {_key(row) for row in _rows(conn, table)} for table in _tables(conn)}
    waiting = len(audit.pending(session))
    load(session)
    session.flush()
    captured: Captured = []
    for table in _tables(conn):
        after = _rows(conn, table)
        keys = {_key(row) for row in after}
        assert before[table.name] <= keys, f"loading changed or removed rows of {table.name}: copy those too"
        new = [row for row in after if _key(row) not in before[table.name]]
        if new:
            captured.append((table, new))
    events = audit.pending(session)[waiting:]
    if events:
        captured.append((AuditEvent.__table__, [dict(row) for row in events]))
    return captured


def _sequence_past(conn: Connection, table: TableClause, rows: list[dict[str, Any]]) -> None:
    """On PostgreSQL, move the sequence of ``table``'s id past the ids just copied, so that the
    test's own inserts do not draw one of them: the ids were drawn when the rows were captured,
    and a test that rebuilt the schema since (the migration tests) restarted every sequence."""
    if conn.dialect.name != "postgresql" or "id" not in table.c or not rows:
        return
    highest = max((row["id"] for row in rows if isinstance(row.get("id"), int)), default=None)
    sequence = conn.scalar(text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name})
    if highest is None or sequence is None:
        return
    current = conn.scalar(text(f"SELECT last_value FROM {sequence}"))  # a name PostgreSQL quoted
    if current is None or current < highest:
        conn.execute(text("SELECT setval(:sequence, :value)"), {"sequence": sequence, "value": highest})


def copy_into(session: Session, captured: Captured) -> None:
    """Insert the captured rows into ``session``'s transaction, as the load would have."""
    conn = session.connection()
    for table, rows in captured:
        if table is AuditEvent.__table__:  # chained onto the trail when the test's transaction commits
            audit.keep(session, [dict(row) for row in rows])
        else:
            conn.execute(insert(table), rows)
            _sequence_past(conn, table, rows)
    generation.note_change(session)  # as the load's audit events did: the next commit counts
