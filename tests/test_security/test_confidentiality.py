"""Confidentiality: what a viewer is not cleared for can neither be read nor inferred (issue 17,
items 1-4 and 15; issue 18, item 2).

Each test replays an attack a signed-in user with low clearance could make, against the real
app, and compares what they get with and without a hidden record that would change the answer.
Checklist items of ../shared/SECURITY.md covered here:

- Access control, "No inference: no output -- search hits, counts ("N withheld"), uniqueness
  refusals, error texts, export lists, timings -- may depend on records the viewer cannot see.
  Prove it by comparing a low-clearance user's responses byte for byte (tokens masked) with and
  without a hidden record that would match. Every clearance predicate is NULL-safe."
- Access control, "Object-level checks: ... 404 for what they may not see (no difference between
  "hidden" and "missing")".
- Reliability, "Every counter and derived row (exhibit numbers, ...) is race-free on PostgreSQL
  (sequences, upserts) -- prove it with parallel requests".
- Reliability, "Production: ... generic error pages": no request, however its numbers are
  malformed, gets a server error, and no answer names the server software or its version (17.15).
- Access control, "Forms and API ignore protected fields (ids, ...)": an exhibit number is the
  server's to issue (17.2).

Tests that compare pages name the masking they use (tests/pages.py); the 17.15 tests cover the
routes of app.url_map, so a new route is tested as it is added.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import runpy
import socket
import threading
import urllib.error
import urllib.request

import flask_migrate
import pytest
from sqlalchemy import select
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.serving import make_server

from app import MIGRATIONS_DIR, create_app
from extensions import db
from models import AuditEvent, Evidence, User
from services.audit.history import visible_events
from services.auth import tokens
from services.evidence.exhibits import EvidenceInput, create_evidence
from services.imports.apply import Applier
from services.imports.runs import run_import
from tests.conftest import POSTGRES_URL, make_settings
from tests.live_server import ROOT, own_database
from tests.pages import mask_volatile

EU_FILE = ROOT.parent / "shared" / "data" / "real" / "eu_oj_32014R0269_russia_ukraine.csv"


def make_user_for(session, role: str, clearance: str) -> User:
    user = User(email=f"{role}-{clearance}@tribunal.test", role=role, clearance=clearance, password_hash="-")
    session.add(user)
    session.flush()
    return user


def evidence_input(**overrides) -> EvidenceInput:
    values = dict.fromkeys(EvidenceInput.__dataclass_fields__)
    values.update(title="Exhibit", kind="document", source="Test", classification="public", reliability="B")
    values.update(credibility="2", **overrides)
    return EvidenceInput(**values)


def bearer(session, user) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens.issue_token(session, user).secret}"}


def answers(client, urls, headers=None) -> dict[str, tuple[int, str]]:
    """Status and body of each URL, CSRF tokens, nonces and times masked."""
    got = {}
    for url in urls:
        response = client.get(url, headers=headers or {})
        got[url] = (response.status_code, mask_volatile(response.get_data(as_text=True)))
    return got


# --- search and filtered lists (17.1) --------------------------------------------------------

# What a public viewer asks, hoping for a count or an order that a hidden exhibit would change.
SEARCHES = ["/search?q=Zapad", "/search?q=Zapad+secret+annex+of+the+General+Staff", "/search?q=zapad%20s"]
LISTS = [
    "/evidence?kind=intercept",
    "/evidence?classification=confidential",
    "/evidence?reliability=A&credibility=1",
    "/evidence?from=2022-02-01&to=2022-02-28&sort=title",
    "/evidence?sort=classification&dir=desc",
]
API_LISTS = [
    "/api/v1/evidence?kind=intercept",
    "/api/v1/evidence?classification=confidential",
    "/api/v1/evidence?exhibit_no=Z-0001",
    "/api/v1/evidence?reliability=A&credibility=1",
]


@pytest.fixture
def public_viewer(client, login, make, session):
    """A public viewer signed in beside a public exhibit about the Zapad exercise."""
    make.evidence(exhibit_no="Z-0002", title="Zapad exercise report", kind="intercept", classification="public")
    user = login("viewer", "public")
    return user, bearer(session, user)


def test_search_and_lists_answer_the_same_whether_a_hidden_exhibit_matches_or_not(
    client, make, session, public_viewer, ticking_clock
):
    """17.1: the search page said how many hidden exhibits matched the query, so a public viewer
    could spell out a strictly-confidential title one letter at a time. Every search, filter and
    list now answers byte for byte the same whether a hidden exhibit matches or not; the search
    page and the API lists the same even whether one exists at all."""
    _user, headers = public_viewer
    nothing_hidden = answers(client, SEARCHES) | answers(client, API_LISTS, headers)

    hidden = make.evidence(exhibit_no="Z-0003", title="Minutes", kind="document", classification="public")
    hidden.classification = "strictly_confidential"  # hidden, matching nothing asked
    hidden.reliability, hidden.credibility = "C", "3"
    session.flush()
    not_matching = answers(client, SEARCHES + LISTS) | answers(client, API_LISTS, headers)

    hidden.exhibit_no, hidden.kind, hidden.title = "Z-0001", "intercept", "Zapad secret annex of the General Staff"
    hidden.summary, hidden.reliability, hidden.credibility = "Zapad", "A", "1"
    hidden.collected_on = dt.date(2022, 2, 10)
    session.flush()
    matching = answers(client, SEARCHES + LISTS) | answers(client, API_LISTS, headers)

    assert matching == not_matching
    assert {url: matching[url] for url in nothing_hidden} == nothing_hidden
    assert all(status == 200 for status, _body in matching.values())
    assert "Zapad exercise report" in matching[SEARCHES[0]][1]


# --- the audit trail (17.4) ------------------------------------------------------------------


def test_audit_trail_keeps_events_without_a_parent_when_something_is_hidden(client, login, make, session):
    """SECURITY.md "Every clearance predicate is NULL-safe": an administrator cleared below the
    top lost every sign-in and every event on officials, decisions and public evidence, because
    ``NOT (parent_id IN (hidden))`` is NULL for an event without a parent."""
    secret = make.evidence(title="Top secret intercept", classification="strictly_confidential")
    public = make.evidence(title="Public communique", classification="public")
    official = make.official(name="Audited Person")
    make.support(evidence=secret, tenure=make.tenure(official=official))
    make.support(evidence=public, decision=make.decision(title="Audited decision"))
    session.commit()  # the trail takes a transaction's events when it commits
    admin = login("admin", "confidential")  # the sign-in is an event on "users", without a parent

    shown = session.scalars(visible_events(("public", "restricted", "confidential"))).all()
    about = {(e.entity_type, e.entity_id) for e in shown}
    assert ("users", admin.id) in about  # the sign-in
    assert ("official", official.id) in about and ("evidence", public.id) in about
    assert ("evidence", secret.id) not in about
    assert not [e for e in shown if (e.parent_type, e.parent_id) == ("evidence", secret.id)]
    assert [e for e in shown if (e.parent_type, e.parent_id) == ("evidence", public.id)]  # its support

    page = client.get("/audit", query_string={"actor": "", "type": ""}).get_data(as_text=True)
    assert "Audited Person" in page and "Public communique" in page and "Top secret intercept" not in page
    login_events = session.scalars(select(AuditEvent).where(AuditEvent.action == "login")).all()
    assert login_events and all(e.parent_type is None for e in login_events)
    sign_ins = client.get("/audit", query_string={"type": "users"}).get_data(as_text=True)
    assert admin.email in sign_ins
    history = client.get(f"/history/official/{official.id}").get_data(as_text=True)
    assert "Audited Person" in history


# --- existence oracles and exhibit numbers (17.2, 18.2) -----------------------------------

EXHIBIT = {"title": "Minutes of the Security Council, 21 February 2022", "source": "kremlin.ru, transcript"}


def test_a_chosen_exhibit_number_tells_nothing_of_hidden_exhibits(client, make, session, public_viewer):
    """17.2: creating an exhibit under the number of a hidden exhibit answered 409 "already
    taken", which proved the hidden exhibit exists. The server issues every number now: a
    chosen one is refused alike, whether free, visible, hidden or deleted. Linking an exhibit by
    its number to a dossier's fact answers the same for a hidden number as for a missing one."""
    make.evidence(exhibit_no="P-0006")
    make.evidence(exhibit_no="P-0007", classification="strictly_confidential")
    make.evidence(exhibit_no="P-0008").soft_delete("withdrawn")
    session.flush()
    analyst = make_user_for(session, "analyst", "public")
    headers = bearer(session, analyst)
    refusals = set()
    for number in ("P-0005", "P-0006", "P-0007", "P-0008"):
        response = client.post("/api/v1/evidence", json={**EXHIBIT, "exhibit_no": number}, headers=headers)
        assert response.status_code == 422
        refusals.add(response.get_data(as_text=True))
    assert len(refusals) == 1 and "exhibit_no" in refusals.pop()
    created = client.post("/api/v1/evidence", json=EXHIBIT, headers=headers)
    assert created.status_code == 201 and created.get_json()["exhibit_no"] not in ("P-0006", "P-0007", "P-0008")


def test_linking_by_the_number_of_a_hidden_exhibit_answers_as_for_a_missing_one(
    client, login, make, session, ticking_clock
):
    official = make.official()
    tenure = make.tenure(official=official)
    make.evidence(exhibit_no="P-0007", classification="strictly_confidential")
    login("analyst", "public")
    url = f"/dossiers/{official.id}/link-evidence?target=tenure:{tenure.id}"
    pages = set()
    for number in ("P-0007", "P-0999"):
        response = client.post(url, data={"exhibit_no": number, "stance": "supports"})
        assert response.status_code == 400
        pages.add(mask_volatile(response.get_data(as_text=True)).replace(number, "NUMBER"))
    assert len(pages) == 1 and "There is no exhibit with this number that you may see." in pages.pop()


@pytest.fixture
def committed_app(tmp_path):
    """The app on a database of its own, built by the migrations, where commits are real (the
    usual fixtures roll every test back, which concurrent requests could not see), with an
    analyst's API token: (app, token)."""
    with own_database(tmp_path, "numbers") as url:
        app = create_app(make_settings(url, tmp_path))
        with app.app_context():
            flask_migrate.upgrade(directory=MIGRATIONS_DIR)
            analyst = User(email="writer@tribunal.test", role="analyst", clearance="public", password_hash="-")
            db.session.add(analyst)
            db.session.flush()
            token = tokens.issue_token(db.session, analyst).secret
            db.session.commit()
        try:
            yield app, token
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()


CLIENTS = 8
CREATES = 6  # each


def test_parallel_creates_each_get_a_number_and_none_is_refused(committed_app):
    """18.2: numbers were the highest on record plus one, read before the insert: on PostgreSQL
    15 % of valid creates by 6 clients were refused with 409 "No free exhibit number". Eight
    clients create at once: every create succeeds, under a number of its own."""
    app, token = committed_app
    headers = {"Authorization": f"Bearer {token}"}
    start = threading.Barrier(CLIENTS)
    answers: list[tuple[int, str | None]] = []
    lock = threading.Lock()

    def client(n: int) -> None:
        test_client = app.test_client()
        start.wait()
        for j in range(CREATES):
            response = test_client.post(
                "/api/v1/evidence", json={**EXHIBIT, "title": f"Exhibit {n}-{j}"}, headers=headers
            )
            with lock:
                answers.append((response.status_code, (response.get_json() or {}).get("exhibit_no")))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted({status for status, _ in answers}) == [201], answers
    numbers = [number for _, number in answers]
    assert len(set(numbers)) == CLIENTS * CREATES
    with app.app_context():
        stored = db.session.scalars(select(Evidence.exhibit_no)).all()
    assert sorted(stored) == sorted(numbers)


def test_an_import_never_clashes_with_creates_meanwhile(committed_app, monkeypatch):
    """18.2: an import reserved its numbers when it started writing, and failed (500, the whole
    import rolled back) when anyone created an exhibit meanwhile. Now a create in the middle of
    an import's writes neither waits for it nor takes one of its numbers, and the import
    completes."""
    if not POSTGRES_URL:
        pytest.skip("SQLite runs one writer at a time: nobody creates while an import writes")
    if not EU_FILE.exists():
        pytest.skip(f"{EU_FILE} is not here")
    app, _token = committed_app
    with EU_FILE.open("rb") as stream:
        head = io.BytesIO(b"".join(stream.readline() for _ in range(40)))
    meanwhile: list[str] = []

    def create_elsewhere() -> None:
        with app.app_context():
            evidence = create_evidence(db.session, evidence_input(title="Created during the import"))
            meanwhile.append(evidence.exhibit_no)
            db.session.commit()

    listing = Applier._listing
    written: list[int] = []

    def listing_then_a_create(self, *args, **kwargs):
        made = listing(self, *args, **kwargs)
        written.append(1)
        if len(written) == 10:  # ten listings into the import's writes
            self.session.flush()
            other = threading.Thread(target=create_elsewhere)
            other.start()
            other.join(timeout=60)  # a bound, not a pause: the create waits for nothing
            assert meanwhile, "the create had to wait for the import"
        return made

    monkeypatch.setattr(Applier, "_listing", listing_then_a_create)
    with app.app_context():
        report = run_import(db.session, "eu-csv", head, user=None, file_name="eu.csv")
        db.session.commit()
        assert report.status == "applied" and meanwhile
        listings = db.session.scalars(select(Evidence.exhibit_no).where(Evidence.kind == "sanctions_listing")).all()
    assert len(listings) > 10 and meanwhile[0] not in listings and len(set(listings)) == len(listings)


def test_a_dry_run_uses_up_no_number(session, make):
    """A preview is rolled back: on PostgreSQL the counter is a sequence, which no rollback
    moves back, so a dry run numbers its exhibits provisionally."""
    if not EU_FILE.exists():
        pytest.skip(f"{EU_FILE} is not here")
    first = create_evidence(session, evidence_input(title="Before"))
    with EU_FILE.open("rb") as stream:
        head = io.BytesIO(b"".join(stream.readline() for _ in range(30)))
    report = run_import(session, "eu-csv", head, user=None, file_name="eu.csv", dry_run=True)
    assert report.status == "dry_run" and report.counts["new"] > 10
    second = create_evidence(session, evidence_input(title="After"))
    assert int(second.exhibit_no[2:]) == int(first.exhibit_no[2:]) + 1


# --- past exports (17.3) ---------------------------------------------------------------------


def _export_as(client, session, user, official) -> None:
    """``user`` exports the dossier as CSV through the API."""
    response = client.post(
        f"/api/v1/dossiers/{official.id}/exports", json={"format": "csv"}, headers=bearer(session, user)
    )
    assert response.status_code == 200, response.get_data(as_text=True)[:300]


def test_past_exports_are_listed_only_to_those_cleared_as_far_as_their_exporter(
    client, login, make_user, session, export_case, ticking_clock
):
    """17.3: every viewer saw every past export of a dossier with its highest classification,
    exhibit count and size, which told a public viewer that classified material exists on the
    official, and how much. A public viewer now gets byte for byte the same dossier page and
    API list whether or not someone cleared higher has exported the dossier; each viewer sees
    the exports made at a clearance theirs covers, their own among them."""
    official, _public, _secret = export_case
    _export_as(client, session, make_user("analyst", "public"), official)
    viewer = login("viewer", "public")
    headers = bearer(session, viewer)
    urls = [f"/dossiers/{official.id}"]
    api_urls = [f"/api/v1/dossiers/{official.id}/exports"]
    before = answers(client, urls) | answers(client, api_urls, headers)

    cleared = make_user("analyst", "confidential")
    _export_as(client, session, cleared, official)  # holds the confidential exhibit
    after = answers(client, urls) | answers(client, api_urls, headers)
    assert after == before
    listed = client.get(api_urls[0], headers=headers).get_json()["items"]
    assert [item["highest_classification"] for item in listed] == ["public"]

    for clearance, expected in (("confidential", 2), ("strictly_confidential", 2), ("restricted", 1)):
        other = make_user("viewer", clearance)
        items = client.get(api_urls[0], headers=bearer(session, other)).get_json()["items"]
        assert len(items) == expected, clearance
    own = client.get(api_urls[0], headers=bearer(session, cleared)).get_json()["items"]
    assert {item["highest_classification"] for item in own} == {"public", "confidential"}
    cleared.clearance = "public"  # lowered since: no longer cleared for what their export held
    session.flush()
    own = client.get(api_urls[0], headers=bearer(session, cleared)).get_json()["items"]
    assert {item["highest_classification"] for item in own} == {"public"}


# --- numbers in requests (17.15) -------------------------------------------------------------

# Past what PostgreSQL's integers hold (its driver binds with an ::INTEGER cast) and what
# SQLite's driver can bind at all (OverflowError); in a path, also the first id past the last.
HUGE = str(10**30)
PATH_NUMBERS = [HUGE, str(2**31)]
MALFORMED_PAGES = ["-1", "0", "12abc"]


class ReadArguments(ImmutableMultiDict):
    """Query arguments that note which names a view reads."""

    names: set[str] = set()

    def get(self, key, *args, **kwargs):
        self.names.add(key)
        return super().get(key, *args, **kwargs)

    def getlist(self, key, *args, **kwargs):
        self.names.add(key)
        return super().getlist(key, *args, **kwargs)

    def __getitem__(self, key):
        self.names.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.names.add(key)
        return super().__contains__(key)


def _get_rules(app):
    return sorted(
        (r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"),
        key=lambda r: r.rule,
    )


def _path(rule, ids: dict[str, int], number: str | None = None) -> str:
    path = rule.rule
    for name in rule.arguments:
        if name == "entity_type":
            value = "official"
        elif name == "sha256":
            value = "0" * 64
        else:
            value = number if number is not None else str(ids.get(name, 1))
        path = re.sub(rf"<(?:[^:>]+:)?{name}>", value, path)
    return path


def _api_numeric_args(document, rule) -> list[str]:
    """The integer (and cursor) query parameters the OpenAPI document gives ``rule``'s GET."""
    path = re.sub(r"<(?:[^:>]+:)?([a-z_0-9]+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
    operation = document["paths"].get(path, {}).get("get", {})
    return [
        p["name"]
        for p in operation.get("parameters", [])
        if p["in"] == "query" and (p["schema"].get("type") == "integer" or p["name"] == "cursor")
    ]


@pytest.fixture
def record_ids(make, session):
    """A record of every kind a path names."""
    official = make.official()
    tenure = make.tenure(official=official)
    decision = make.decision()
    involvement = make.involvement(official=official, decision=decision)
    evidence = make.evidence()
    support = make.support(evidence=evidence, tenure=tenure)
    return {
        "official_id": official.id,
        "tenure_id": tenure.id,
        "decision_id": decision.id,
        "involvement_id": involvement.id,
        "evidence_id": evidence.id,
        "support_id": support.id,
        "institution_id": decision.institution_id,
        "position_id": tenure.position_id,
        "entity_id": official.id,
    }


def test_huge_and_malformed_numbers_are_refused_never_a_server_error(
    app, client, login, session, record_ids, monkeypatch
):
    """17.15: ``?page=`` beyond what the database's integers hold was a 500 (OverflowError) on
    every list page, and so was a huge id in a path. Every GET route of app.url_map, HTML and
    API, is asked with a huge value in each query argument it reads (the HTML views' as they
    read them, the API's from its OpenAPI document), malformed page numbers, and out-of-range
    path numbers: the answer is a refusal or a page, never a server error."""
    user = login("admin", "strictly_confidential")
    headers = bearer(session, user)
    document = client.get("/api/v1/openapi.json", headers=headers).get_json()
    monkeypatch.setattr(app.request_class, "parameter_storage_class", ReadArguments)
    failures = []

    def check(url: str, api: bool) -> None:
        status = client.get(url, headers=headers if api else {}).status_code
        if status >= 500:
            failures.append(f"{status} {url}")

    for rule in _get_rules(app):
        api = rule.rule.startswith("/api/")
        if rule.arguments - {"entity_type", "sha256"}:
            for number in PATH_NUMBERS:
                check(_path(rule, record_ids, number), api)
        url = _path(rule, record_ids)
        if api:
            names = _api_numeric_args(document, rule)
        else:
            ReadArguments.names = set()
            check(url, api)
            names = sorted(ReadArguments.names)
        for name in names:
            check(f"{url}?{name}={HUGE}", api)
        for number in MALFORMED_PAGES if "page" in names else []:
            check(f"{url}?page={number}", api)
    assert failures == [], "\n".join(failures)


def test_a_page_past_the_end_is_refused_with_a_message(client, login, make):
    make.official()
    login("viewer")
    response = client.get("/officials", query_string={"page": str(10**30)})
    assert response.status_code == 400
    assert client.get("/officials?page=1").status_code == 200 and client.get("/officials?page=").status_code == 200
    past = client.get("/officials?page=2")
    assert past.status_code == 400 and "There is no page 2 of this list: it has 1." in past.get_data(as_text=True)


def _headers_of(base: str, path: str) -> dict[str, str]:
    try:
        response = urllib.request.urlopen(f"{base}{path}", timeout=30)  # noqa: S310  (loopback)
    except urllib.error.HTTPError as error:
        response = error
    return {name.lower(): value for name, value in response.headers.items()}


def _no_software_named(headers: dict[str, str]) -> None:
    assert "server" not in headers and "x-powered-by" not in headers, headers
    assert not any(re.search(r"gunicorn|werkzeug|python|flask", value, re.I) for value in headers.values()), headers


def test_gunicorn_sends_no_server_header(client):
    """17.15: gunicorn (production, gunicorn.conf.py) named itself in ``Server`` on every answer,
    and no setting turns it off. Its configuration file is read as gunicorn reads it, and
    gunicorn's own response writer sends an answer of the app's (a page and an error) down a
    socket: nothing in the bytes names the software or its version."""
    from gunicorn.config import Config
    from gunicorn.http import wsgi

    config = Config()
    for name, value in runpy.run_path(str(ROOT / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)

    class Request:
        version = (1, 1)
        method = "GET"
        headers: list[tuple[str, str]] = []

        def should_close(self) -> bool:
            return False

    for path in ("/login", "/no-such-page"):
        answer = client.get(path)
        ours, theirs = socket.socketpair()
        with ours, theirs:
            response = wsgi.Response(Request(), ours, config)
            response.start_response(answer.status, list(answer.headers.items()))
            response.write(answer.get_data())
            ours.shutdown(socket.SHUT_WR)
            sent = b"".join(iter(functools.partial(theirs.recv, 65536), b"")).decode("latin-1")
        head = sent.partition("\r\n\r\n")[0]
        assert head.startswith("HTTP/1.1 ") and "\r\ndate:" in head.lower()  # gunicorn's own lines are there
        _no_software_named(dict(line.lower().split(": ", 1) for line in head.split("\r\n")[1:]))


def test_the_development_server_sends_no_server_header(app):
    """``make run`` (Werkzeug's development server) named Werkzeug and Python's version."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        for path in ("/health", "/login", "/no-such-page"):
            _no_software_named(_headers_of(base, path))
    finally:
        server.shutdown()
        thread.join()
