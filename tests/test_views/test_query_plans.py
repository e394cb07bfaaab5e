"""Indexes justified by the query plans: every statement behind the pages prosecutors use all
day is EXPLAINed, and a full scan of a table that grows with the case (officials, decisions,
evidence, supports...) fails the test.

SQLite: EXPLAIN QUERY PLAN, where a full scan reads "SCAN <table>" (a search through an index
reads "SEARCH"). PostgreSQL: EXPLAIN with sequential scans priced out (enable_seqscan off), so
on these small test tables the plan shows whether an index *can* serve the query; a "Seq Scan"
that remains has no index to use. A keyset page (ORDER BY <table>.id ... LIMIT n) walks the
primary key and stops after n rows: that scan is allowed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, select, text

from extensions import db
from models import Decision, Evidence, Official, User
from services.auth import tokens

# Tables that grow with the case; the small reference tables (states, users, import rules...)
# may be read whole.
LARGE = {
    "official",
    "official_name",
    "external_identifier",
    "tenure",
    "position",
    "decision",
    "decision_act",
    "involvement",
    "evidence",
    "evidence_file",
    "support",
    "custody_event",
    "audit_event",
    "dossier",
    "dossier_summary",
    "export",
    "import_run",
}


@contextmanager
def captured(app) -> Iterator[list[tuple[str, object]]]:
    statements: list[tuple[str, object]] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


def _keyset(statement: str, table: str) -> bool:
    return re.search(rf"ORDER BY {table}\.id(\s+ASC)?\s+LIMIT", statement) is not None


def full_scans(session, statement: str, parameters: object) -> list[str]:
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
        scanned = []
        for row in plan:
            match = re.match(r"SCAN (\w+)", row[3])
            if match and "VIRTUAL TABLE" not in row[3]:
                scanned.append(match.group(1))
    else:
        connection.execute(text("SET LOCAL enable_seqscan = off"))
        try:
            raw = connection.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters).scalar()
        finally:
            connection.execute(text("SET LOCAL enable_seqscan = on"))
        document = raw if isinstance(raw, list) else json.loads(raw)
        scanned = [node["Relation Name"] for node in _nodes(document[0]["Plan"]) if node["Node Type"] == "Seq Scan"]
    return [table for table in scanned if table in LARGE and not _keyset(statement, table)]


def _nodes(plan: dict) -> Iterator[dict]:
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


@pytest.fixture
def demo_ids(session, demo):
    official = session.scalar(select(Official.id).where(Official.name.like("%Shoigu%")))
    decision = session.scalar(select(Decision.id).order_by(Decision.id))
    evidence = session.scalar(select(Evidence.id).where(Evidence.classification == "public").order_by(Evidence.id))
    return {"official": official, "decision": decision, "evidence": evidence}


def _pages(ids: dict[str, int]) -> list[str]:
    official, decision, evidence = ids["official"], ids["decision"], ids["evidence"]
    return [
        f"/dossiers/{official}",
        f"/officials/{official}",
        "/dossiers?state=BY",
        "/dossiers?missing=E1",
        "/dossiers?state=BY&missing=E1",
        "/search?q=Shoigu",
        "/search?q=Шойгу",
        "/search?q=김정은",
        f"/decisions/{decision}",
        f"/evidence/{evidence}",
        "/officials?state=RU",
    ]


def _api(ids: dict[str, int]) -> list[str]:
    official, decision, evidence = ids["official"], ids["decision"], ids["evidence"]
    return [
        f"/api/v1/dossiers/{official}",
        "/api/v1/dossiers?state=BY",
        f"/api/v1/officials/{official}",
        "/api/v1/officials?state=RU",
        "/api/v1/officials?name=Shoigu",
        f"/api/v1/involvements?official_id={official}",
        f"/api/v1/involvements?decision_id={decision}",
        f"/api/v1/supports?evidence_id={evidence}",
        f"/api/v1/tenures?official_id={official}",
        f"/api/v1/decisions/{decision}",
    ]


def test_the_main_pages_scan_no_large_table(app, client, login, session, demo_ids):
    login("prosecutor", "strictly_confidential")
    problems = []
    for url in _pages(demo_ids):
        with captured(app) as statements:
            assert client.get(url).status_code == 200, url
        for statement, parameters in statements:
            for table in full_scans(session, statement, parameters):
                problems.append((url, table, statement[:160]))
    assert problems == [], "\n".join(map(str, problems))


def test_the_main_api_reads_scan_no_large_table(app, client, session, demo_ids):
    user = User(email="plans@tribunal.test", role="admin", clearance="strictly_confidential")
    session.add(user)
    session.flush()
    headers = {"Authorization": f"Bearer {tokens.issue_token(session, user).secret}"}
    problems = []
    for url in _api(demo_ids):
        with captured(app) as statements:
            assert client.get(url, headers=headers).status_code == 200, url
        for statement, parameters in statements:
            for table in full_scans(session, statement, parameters):
                problems.append((url, table, statement[:160]))
    assert problems == [], "\n".join(map(str, problems))


def test_the_check_sees_a_full_scan(session, demo_ids):
    """The detector itself: a filter on an unindexed column is a full scan."""
    statement = "SELECT id FROM evidence WHERE title = 'x'"
    assert full_scans(session, statement, {} if session.connection().dialect.name != "sqlite" else ()) == ["evidence"]
