"""Every form-handling page route fuzzed with hostile input (hypothesis), as an administrator
cleared for everything, on the demo data.

The routes are read from the app's URL map, so a new form is fuzzed without being listed
here; each route's fields come from the WTForms classes its view builds, the names it reads
from ``request.form`` and the ``<form>`` its page renders. No answer may be a 5xx, and no
request may write half of a change: either it succeeds (a redirect, or a file sent as an
attachment) with its change recorded in the audit trail, or the database is left exactly as
it was.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from typing import Any

import pytest
from flask import Flask, url_for
from hypothesis import HealthCheck, given, settings
from sqlalchemy import func, select

from extensions import db
from models import Evidence, EvidenceFile, ImportRule, MatchReview, Official, Tenure, User
from models.enums import CLASSIFICATIONS
from services.auth import accounts as auth_service
from services.imports.runs import run_import
from tests.test_fuzz import discovery
from tests.test_fuzz.strategies import multipart, submissions, urlencoded
from tests.test_services.test_review import LAVROV_ROW, eu_file

EXAMPLES = 12  # per route; some 45 routes, about two minutes in all

# Routes left out, with the reason.
EXCLUDED = {
    "auth.logout": "ends the fuzzer's own session and takes no input; tests/test_views/test_auth.py covers it",
    "files.download": "takes no input but the CSRF token and answers with the file's bytes, not a form; "
    "tests/test_views/test_evidence_files.py and tests/test_security/test_integrity.py cover it",
    "account.revoke_token": "takes nothing but the number in its path; tests/test_security/test_accounts.py covers it",
    "saved_searches.delete_search": "takes nothing but the number in its path; "
    "tests/test_views/test_saved_searches.py covers it (its owner alone; anyone else's is 404)",
    "jobs.extract_text": "takes nothing but the numbers in its path; tests/test_views/test_jobs.py covers it "
    "(analysts alone; a file of another exhibit is 404)",
    "jobs.retry_job": "takes the job's number and a 'back' flag compared to one word; tests/test_views/test_jobs.py "
    "covers it (administrators alone; a job above their clearance is 404)",
    "comments.retract_comment": "takes nothing but the number in its path; tests/test_views/test_comments.py covers it",
    "notifications.mark_read": "takes nothing but the number in its path; "
    "tests/test_views/test_notifications.py covers it (the reader's own; anyone else's is 404)",
    "case_files.download": "takes no input but the CSRF token and answers with a kept case file's bytes, not a form; "
    "tests/test_views/test_kept_case_files.py covers it (cleared analysts alone; others 403 or 404)",
}

# Tables whose rows change on purpose even when a request is refused.
BOOKKEEPING = {
    "user_session": "every signed-in request touches its session's last-seen time",
    "login_throttle": "failed sign-ins are counted, for throttling",
    "import_run": "every uploaded import is recorded as a run, a refused one too",
    "data_generation": "a counter bumped by every write, read by the page cache",
    "audit_head": "the audit trail's tip, moved by every event appended (the events are counted)",
    "dossier_summary": "derived from the case data (compared in full) and recomputed when it changes",
    "act_evidence_digest": "derived from the case data (compared in full) and recomputed when it changes",
}

# What a route writes even when it refuses the input: the record of an import run is kept
# with its audit event, a preview's or a refused file's too.
RUN_RECORDS = {"import_runs.new_import": {"audit_event"}}

# Query arguments a route needs to show its form: name -> key of the records fixture.
QUERY_ARGS = {"dossiers.link_evidence": {"target": "dossier_fact"}, "tasks.new_task": {"gap": "dossier_gap"}}


def _document_app() -> Flask:
    """An app only for reading the URL map when the module is collected."""
    from app import create_app
    from config import TestingConfig

    settings_ = TestingConfig()
    settings_.SQLALCHEMY_DATABASE_URI = "sqlite://"
    return create_app(settings_)


def form_rules(app: Flask) -> list[Any]:
    """The page rules that take a POST (the JSON API's are fuzzed by schemathesis)."""
    return sorted(
        (r for r in app.url_map.iter_rules() if "POST" in r.methods and not r.rule.startswith("/api/")),
        key=lambda r: r.rule,
    )


RULES = [r.endpoint for r in form_rules(_document_app()) if r.endpoint not in EXCLUDED]


@pytest.fixture
def records(session, ids, app):
    """The demo data's ids (tests/conftest.py), and records the demo lacks: a stored file, a
    pending match."""
    from services.evidence.files import attach_file
    from services.evidence.store import store_for

    evidence = session.get(Evidence, ids["evidence_id"])
    store = store_for(app.config)
    incoming = store.receive()
    incoming.write(b"fuzz exhibit bytes")
    attach_file(session, store, evidence, incoming, original_name="exhibit.txt", actor=None)
    run_import(session, "eu-csv", io.BytesIO(eu_file(LAVROV_ROW)), user=None, file_name="eu.csv")
    official_id, task, other_gap = _task_and_gap(session)
    tenure = session.scalar(select(Tenure).where(Tenure.official_id == official_id).limit(1))
    file_id = session.scalar(select(EvidenceFile.id).order_by(EvidenceFile.id.desc()))
    return {
        **ids,
        **_disclosure_records(session, session.get(EvidenceFile, file_id), official_id),
        "official_id": official_id,
        "task_id": task.id,
        "dossier_gap": other_gap,
        "dossier_fact": f"tenure:{tenure.id}",
        "file_id": file_id,
        "review_id": session.scalar(select(MatchReview.id).order_by(MatchReview.id.desc())),
        "rule_id": session.scalar(select(ImportRule.id).order_by(ImportRule.id)),
        "aspect": "gravity",
        # a comment thread: the official's, and a comment in it (by another user: editing it is refused)
        "kind": "official",
        "record_id": ids["official_id"],
        "comment_id": _comment_id(
            session, ids["official_id"]
        ),  # one of the manifest-violation aspects an act's assessment page edits
    }


def _disclosure_records(session, file, official_id):
    """A defence team of the official, a batch for it in draft and an item of the stored file."""
    from services.disclosure import workflow as disclosure

    user = User(email="fuzz-discloser@tribunal.test", role="prosecutor", clearance=CLASSIFICATIONS[-1])
    session.add(user)
    session.flush()
    recipient = disclosure.save_recipient(
        session, None, disclosure.RecipientInput("defence", "Fuzz defence team", None, [official_id])
    )
    batch = disclosure.create_batch(
        session, disclosure.BatchInput(recipient.id, dt.date(2026, 1, 5), "Rule 77", None), user
    )
    item = disclosure.add_item(session, batch, file, category="rule_77", conditions=None, actor=user)
    return {"recipient_id": recipient.id, "batch_id": batch.id, "item_id": item.id}


def _task_and_gap(session):
    """The first official whose dossier has gaps (as the fuzzer's cleared administrator sees
    it) and a tenure: its id, a task made of its first gap, the key of another gap."""
    from services.assessment.elements import assess_dossier
    from services.dossiers.facts import load_facts
    from services.workspace import tasks as task_service

    today = dt.datetime.now(dt.UTC).date()
    keys: list[task_service.GapKey] = []
    with_tenures = select(Tenure.official_id).distinct().order_by(Tenure.official_id)
    for official_id in session.scalars(with_tenures):
        facts = load_facts(session, official_id)
        assessment = assess_dossier(facts, visible=CLASSIFICATIONS, scope_start=dt.date(2014, 2, 20), today=today)
        keys = [task_service.first_key(g.elements, g.target, g.action) for g in assessment.gaps]
        if len(keys) >= 2:
            break
    assert len(keys) >= 2, "the demo has a dossier with gaps to make tasks of"
    admin = User(email="task-maker@tribunal.test", role="admin", clearance=CLASSIFICATIONS[-1])
    session.add(admin)
    session.flush()
    official = session.get(Official, official_id)
    task = task_service.create(
        session, official, keys[0], {"en": "a gap"}, creator=admin, assignee_id=admin.id, due_date=today, today=today
    )
    session.flush()
    return official_id, task, str(keys[1])


def _comment_id(session: Any, official_id: int) -> int:
    from services.workspace.comments import add

    author = User(email="fuzz-commenter@tribunal.test", role="analyst", clearance="public")
    session.add(author)
    session.flush()
    return add(session, author, "official", official_id, "A comment to edit").id


# Append-only tables (hash-chained): a count tells whether a row was added.
APPEND_ONLY = {"audit_event", "custody_event"}


def snapshot(connection: Any) -> dict[str, Any]:
    """Every row of every table but the bookkeeping ones, as a multiset per table."""
    state: dict[str, Any] = {}
    for table in db.metadata.sorted_tables:
        if table.name in APPEND_ONLY:
            state[table.name] = connection.scalar(select(func.count()).select_from(table))
        elif table.name not in BOOKKEEPING:
            state[table.name] = Counter(map(repr, connection.execute(table.select())))
    return state


def changed_tables(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def _url(app: Flask, endpoint: str, values: dict[str, Any]) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    arguments = {name: values[name] for name in rule.arguments}
    query = {name: values[key] for name, key in QUERY_ARGS.get(endpoint, {}).items()}
    with app.test_request_context():
        return url_for(endpoint, **arguments, **query)


def _fields(app: Flask, client: Any, endpoint: str, url: str) -> dict[str, discovery.FieldSpec]:
    view = app.view_functions[endpoint]
    classes = discovery.form_classes(view)
    raw = {name: discovery.FieldSpec(name, discovery.TEXT) for name in discovery.raw_form_names(view)}
    page: dict[str, discovery.FieldSpec] = {}
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    if "GET" in rule.methods:
        response = client.get(url)
        if response.status_code == 200:
            page = discovery.fields_of_page(response.get_data(as_text=True), url.split("?")[0])
    assert classes or raw or page, f"{endpoint}: no form found; fuzz it or add it to EXCLUDED with a reason"
    return discovery.merge(discovery.fields_of_classes(app, classes), raw, page)


def sign_in(client: Any, session: Any, user: Any) -> None:
    """A signed-in browser session for ``user``, as the sign-in steps leave it (the steps
    themselves are fuzzed as routes of their own)."""
    with client.session_transaction() as browser:
        browser[auth_service.SESSION_TOKEN_KEY] = auth_service.start_session(session, user)
        browser.permanent = True


def _succeeded(response: Any) -> bool:
    if 300 <= response.status_code < 400:
        return not response.headers["Location"].startswith("/login")
    return response.status_code == 200 and "attachment" in response.headers.get("Content-Disposition", "")


def fuzz_route(app: Flask, client: Any, session: Any, endpoint: str, values: dict[str, Any]) -> None:
    """Post hostile submissions to one route; raise on a 5xx or a half-written change."""
    url = _url(app, endpoint, values)
    specs = list(_fields(app, client, endpoint, url).values())
    with_files = any(s.kind == discovery.FILE for s in specs)
    connection = session.get_bind()
    before = snapshot(connection)  # each example starts from this state and is rolled back to it

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(pairs=submissions(specs))
    def post(pairs: list[tuple[str, Any]]) -> None:
        example = connection.begin_nested()
        try:
            if with_files:
                response = client.post(url, data=multipart(pairs), content_type="multipart/form-data")
            else:
                response = client.post(url, data=urlencoded(pairs), content_type="application/x-www-form-urlencoded")
            response.get_data()  # a streamed page runs to its end
            assert response.status_code < 500, (pairs, response.get_data(as_text=True)[:2000])
            changed = changed_tables(before, snapshot(connection))
            if changed and not set(changed) <= RUN_RECORDS.get(endpoint, set()):
                assert _succeeded(response), (changed, response.status_code, pairs)
                # every change to case data leaves an audit event, and every custody event is
                # a record of its own (the hash-chained custody log); a user's interface
                # language is a preference, not case data
                recorded = {"audit_event", "custody_event"} & set(changed) or changed == ["users"]
                assert recorded, (changed, pairs)
        finally:
            example.rollback()
            session.expire_all()

    post()


def test_no_form_answers_500_or_writes_half_a_change(app, client, make_user, session, records):
    """One test for all the routes, so the demo data is loaded once; each route's failure is
    reported with hypothesis's smallest failing submission."""
    assert not app.config["WTF_CSRF_ENABLED"]  # the fuzzer posts without tokens
    sign_in(client, session, make_user("admin", "strictly_confidential"))
    session.commit()  # the demo, the user and the session are the starting point of each example
    failures = {}
    for endpoint in RULES:
        try:
            fuzz_route(app, client, session, endpoint, records)
        except Exception as exc:  # noqa: BLE001  (every route is tried; all failures are reported)
            failures[endpoint] = f"{type(exc).__name__}: {str(exc)[:3000]}"
    assert failures == {}


def test_every_post_route_is_fuzzed_or_excluded_with_a_reason(app):
    endpoints = {r.endpoint for r in form_rules(app)}
    assert set(EXCLUDED) <= endpoints
    assert endpoints - set(EXCLUDED) == set(RULES)
    assert all(reason.strip() for reason in EXCLUDED.values())


def test_a_nul_character_is_refused_with_a_clear_message(client, make_user, make, session):
    """Found by the fuzzer: PostgreSQL cannot store NUL, which made a note with one a 500."""
    state = make.state()
    sign_in(client, session, make_user("admin", "strictly_confidential"))
    session.commit()
    before = snapshot(session.get_bind())
    response = client.post("/officials/new", data={"name": "Ivan\x00ov", "state_id": str(state.id)})
    assert response.status_code == 400
    assert "NUL character" in response.get_data(as_text=True)
    assert changed_tables(before, snapshot(session.get_bind())) == []
