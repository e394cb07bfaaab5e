"""Shared fixtures.

The suite runs on SQLite by default and on PostgreSQL when ``TRIBUNAL_TEST_DB`` holds a
PostgreSQL URL (``make test`` does both when ``TEST_DATABASE_URL`` is set). The test
database is built once per run by the migrations; each test runs inside a transaction
that is rolled back afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import flask_migrate
import pyotp
import pytest
from flask import Flask
from flask.globals import _cv_app
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import Engine, create_engine, event, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, scoped_session, sessionmaker

from app import MIGRATIONS_DIR, create_app
from config import TestingConfig, normalise_database_url
from extensions import db
from models import (
    AggressionAct,
    Decision,
    Evidence,
    Institution,
    Involvement,
    Official,
    PartialDate,
    Position,
    State,
    Support,
    Tenure,
    User,
)
from models.base import utcnow
from seeds.demo import load_demo
from services.auth.accounts import hash_password
from tests import demo_rows as demo_copy

POSTGRES_URL = normalise_database_url(os.environ.get("TRIBUNAL_TEST_DB", "").strip()) or None


# Whole real data files beside the checkout (../shared/data/real/SOURCES.md), not in git; and
# excerpts of them that are (tests/data/SOURCES.md), so that parsers always meet real rows.
REAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "real"
EXCERPTS = Path(__file__).resolve().parent / "data"
EU_EXCERPT = EXCERPTS / "eu_csv_excerpt.csv"
OFAC_EXCERPT = EXCERPTS / "ofac_sdn_excerpt.csv"
FTM_EXCERPT = EXCERPTS / "ftm_excerpt.jsonl"


def real_data_file(name: str) -> Path:
    """The whole real data file ``name`` from ../shared/data/real. A test that needs one skips
    when it is not beside the checkout -- and fails when ``CI`` is set, where a skip would
    hide that the slower tests on real data did not run."""
    path = REAL_DATA / name
    if not path.exists():
        message = f"{name} is not in {REAL_DATA} (see tests/data/SOURCES.md)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}, and CI is set: the tests of the whole real files must run")
        pytest.skip(message)
    return path


def engine_name() -> str:
    return "postgresql" if POSTGRES_URL else "sqlite"


def reset_postgres_schema(url: str) -> None:
    """Empty a PostgreSQL database: drop and recreate its public schema."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


# Under pytest-xdist (``-n 2``), the worker running this process: "gw0", "gw1", ...; each has
# databases of its own.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def sibling_postgres_database(url: str, suffix: str) -> str:
    """Create (empty) a database next to the one at ``url`` and return its URL (one per
    xdist worker: two workers never share one)."""
    base = make_url(url)
    name = f"{base.database}_{suffix}" + (f"_{WORKER}" if WORKER else "")
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
    admin.dispose()


def gin_options(conn) -> dict[str, list[str] | None]:
    """The storage options of the search index's GIN indexes (PostgreSQL)."""
    rows = conn.execute(
        text(
            "SELECT c.relname, c.reloptions FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " JOIN pg_am am ON am.oid = c.relam WHERE i.indrelid = 'search_index'::regclass AND am.amname = 'gin'"
        )
    )
    return dict(rows.tuples().all())


# The slow tiers, by folder or module: `make test-fast` leaves them out (markers in pyproject.toml).
SLOW_TIERS = {
    "test_browser": "browser",
    "test_fuzz": "fuzz",
    "test_schemathesis.py": "fuzz",
    "test_concurrency": "concurrency",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    tests = Path(__file__).resolve().parent
    for item in items:
        for part in item.path.relative_to(tests).parts:
            if part in SLOW_TIERS:
                item.add_marker(SLOW_TIERS[part])


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Compile the message catalogs when a run starts from a checkout without them
    (``make`` compiles them too; the .mo files are not kept in git)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in (Path(__file__).resolve().parents[1] / "translations").glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source)
            with mo.open("wb") as target:
                write_mo(target, catalog, use_fuzzy=True)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The run's database: a SQLite file, or the PostgreSQL database named by TRIBUNAL_TEST_DB
    emptied -- under xdist, a database beside it for each worker, dropped at the end."""
    if not POSTGRES_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    elif not WORKER:
        reset_postgres_schema(POSTGRES_URL)
        yield POSTGRES_URL
    else:
        url = sibling_postgres_database(POSTGRES_URL, "run")
        try:
            yield url
        finally:
            drop_postgres_database(url)


def make_settings(database_url: str, tmp: Path, **overrides: Any) -> TestingConfig:
    settings = TestingConfig()
    settings.SQLALCHEMY_DATABASE_URI = database_url
    settings.EVIDENCE_DIR = str(tmp / "evidence")
    settings.TOTP_KEY_PATH = str(tmp / "totp-key")
    # One chain key for every app of the run (``tmp`` is a folder of pytest's base temporary
    # folder): services read the key of the app last created when no app context is pushed
    settings.CHAIN_KEY_PATH = str(tmp.parent / "chain-key")
    settings.EXPORT_KEY_PATH = str(tmp / "export-signing-key.pem")  # not the checkout's instance/ key
    settings.WTF_CSRF_ENABLED = False
    for key, value in overrides.items():
        setattr(settings, key, value)
    return settings


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app on a database built by the migrations (upgrade to head)."""
    app = create_app(make_settings(database_url, tmp_path_factory.mktemp("app")))
    with app.app_context():
        flask_migrate.upgrade(directory=MIGRATIONS_DIR)
    yield app
    with app.app_context():
        db.engine.dispose()


def _scope() -> object:
    """Each app context (each request, each CLI command) gets its own session, as in
    production; code running outside any context (the test body) shares one."""
    ctx = _cv_app.get(None)
    return id(ctx) if ctx is not None else "test-body"


@pytest.fixture
def evidence_dir(app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty evidence store for each test (files are not rolled back with the database)."""
    directory = tmp_path / "evidence"
    monkeypatch.setitem(app.config, "EVIDENCE_DIR", str(directory))
    return directory


@pytest.fixture
def upload_limit(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """``upload_limit(1000)``: accept uploads of at most that many bytes in this test."""
    from config import FORM_OVERHEAD_BYTES

    def set_limit(limit: int) -> None:
        monkeypatch.setitem(app.config, "MAX_UPLOAD_BYTES", limit)
        monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", limit + FORM_OVERHEAD_BYTES)

    return set_limit


@contextmanager
def rolled_back_session(app: Flask) -> Iterator[Session]:
    """A session whose work, and every request's, is rolled back when the block ends.

    No app context stays pushed meanwhile: requests push their own, so ``g`` and the
    signed-in user do not leak from one request into the next.
    """
    from services.common import chain_keys as chains

    chains.use_key(app.extensions["chain_key"])  # a test may have created another app since
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    original = db.session
    db.session = scoped_session(
        sessionmaker(bind=connection, join_transaction_mode="create_savepoint"), scopefunc=_scope
    )
    try:
        yield db.session()
    finally:
        db.session.remove()
        db.session = original
        outer.rollback()
        connection.close()


@pytest.fixture
def session(app: Flask, evidence_dir: Path) -> Iterator[Session]:
    """This test's session: every write, the test's and its requests', is rolled back after it."""
    with rolled_back_session(app) as session:
        yield session


@pytest.fixture(scope="session")
def demo_rows(app: Flask) -> demo_copy.Captured:
    """The rows loading the demo data set writes, loaded once per run (tests/demo_rows.py)."""
    with rolled_back_session(app) as session:
        return demo_copy.capture(session, load_demo)


@pytest.fixture
def demo(session: Session, demo_rows: demo_copy.Captured) -> Session:
    """The demo data set (seeds/data) in this test's transaction: ``session``."""
    demo_copy.copy_into(session, demo_rows)
    return session


@pytest.fixture
def ticking_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each signed value (CSRF tokens, session cookies) is stamped one second after the one
    before, as if every request straddled a second: a test comparing pages that embed them
    fails every time unless it masks them (tests/pages.py ``mask_volatile``)."""
    from itsdangerous.timed import TimestampSigner

    clock = itertools.count(int(time.time()))
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: next(clock))


@pytest.fixture
def client(app: Flask, session: Session) -> FlaskClient:
    return app.test_client()


PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def password_hash(app: Flask) -> str:
    """Hashed once, with the testing mode's cheap Argon2 cost (so each sign-in's verify is cheap too)."""
    with app.app_context():
        return hash_password(PASSWORD)


# Every prosecutor and admin make_user builds has set up two-factor sign-in with this secret.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(user: User) -> str:
    """A code the server accepts for ``user`` now: the current time step's, or the next
    step's (within the drift allowed) when the current one was used already."""
    from services.auth import two_factor

    step = two_factor.time_step(utcnow())
    if user.totp_last_step is not None and user.totp_last_step >= step:
        step = user.totp_last_step + 1
    assert step <= two_factor.time_step(utcnow()) + two_factor.DRIFT_STEPS, "signed in too often within a minute"
    return two_factor.code_at(TOTP_SECRET, step)


def wrong_code(secret: str = TOTP_SECRET) -> str:
    """A well-formed code that is valid for no step within the drift window (now or soon)."""
    totp = pyotp.TOTP(secret)
    now = time.time()
    valid = {totp.at(now + seconds) for seconds in range(-60, 91, 30)}
    return next(
        code for code in ("000000", "111111", "222222", "333333", "444444", "555555", "666666") if code not in valid
    )


@pytest.fixture
def make_user(app: Flask, session: Session, password_hash: str) -> Callable[..., User]:
    """``make_user("prosecutor", "confidential")``; prosecutors and admins come enrolled in
    two-factor sign-in with TOTP_SECRET unless given ``two_factor=False``."""
    from services.auth import two_factor

    counter = iter(range(1, 10_000))

    def build(role: str = "analyst", clearance: str = "public", **kw: Any) -> User:
        email = kw.pop("email", f"{role}{next(counter)}@tribunal.test")
        enrolled = kw.pop("two_factor", True)
        user = User(email=email, role=role, clearance=clearance, password_hash=password_hash, **kw)
        session.add(user)
        session.flush()
        if enrolled and two_factor.required_for(user):
            key = two_factor.load_or_create_key(app.config["TOTP_KEY_PATH"])
            user.totp_secret = two_factor.encrypt_secret(key, two_factor.stored_binding(user), TOTP_SECRET)
            user.totp_enrolled_at = utcnow()
            session.flush()
        return user

    return build


@pytest.fixture
def login(client: FlaskClient, make_user: Callable[..., User], session: Session) -> Callable[..., User]:
    """Sign in through the real forms: ``login("prosecutor", "confidential")``; prosecutors
    and admins then enter a code from their authenticator app (TOTP_SECRET)."""

    def sign_in(role: str = "analyst", clearance: str = "public", **kw: Any) -> User:
        user = make_user(role, clearance, **kw)
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        if response.headers["Location"] == "/login/code":
            session.refresh(user)
            response = client.post("/login/code", data={"code": totp_code(user)})
            assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return sign_in


@pytest.fixture
def runner(app: Flask, session: Session) -> FlaskCliRunner:
    return app.test_cli_runner()


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN")):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask, session: Session) -> Callable[[], Any]:
    """``with count_queries() as counter: ...`` then ``counter.count``."""

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()
        with app.app_context():
            engine: Engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


# --- factories: callables that build valid records, overridable field by field ------------


@pytest.fixture
def make(session: Session) -> Any:
    return Factory(session)


class Factory:
    """Builds valid records with sensible defaults; every keyword overrides a field."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._n = 0

    def _next(self) -> int:
        self._n += 1
        return self._n

    def _save(self, row: Any) -> Any:
        self.session.add(row)
        self.session.flush()
        return row

    def state(self, **kw: Any) -> State:
        n = self._next()
        code = kw.pop("code", f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
        return self._save(State(**{"code": code, "name": f"State {code}", "role": "aggressor", **kw}))

    def institution(self, **kw: Any) -> Institution:
        state = kw.pop("state", None) or self.state()
        n = self._next()
        return self._save(Institution(**{"state": state, "name": f"Institution {n}", "kind": "ministry", **kw}))

    def position(self, **kw: Any) -> Position:
        institution = kw.pop("institution", None) or self.institution()
        n = self._next()
        return self._save(Position(**{"institution": institution, "title": f"Post {n}", "tier": "leadership", **kw}))

    def official(self, **kw: Any) -> Official:
        state = kw.pop("state", None) or self.state()
        n = self._next()
        return self._save(Official(**{"state": state, "name": f"Official {n}", **kw}))

    def tenure(self, **kw: Any) -> Tenure:
        official = kw.pop("official", None) or self.official()
        position = kw.pop("position", None) or self.position()
        start = kw.pop("start", "2020-01-01")
        end = kw.pop("end", None)
        tenure = Tenure(official=official, position=position, **kw)
        tenure.start = PartialDate.parse(start)
        tenure.end = PartialDate.parse(end) if end else None
        return self._save(tenure)

    def decision(self, **kw: Any) -> Decision:
        institution = kw.pop("institution", None) or self.institution()
        when = kw.pop("when", "2022-02-22")
        n = self._next()
        decision = Decision(**{"institution": institution, "title": f"Decision {n}", "kind": "military", **kw})
        decision.when = PartialDate.parse(when)
        return self._save(decision)

    def act(self, **kw: Any) -> AggressionAct:
        """An act of aggression; ``states``: the States responsible for it (leadership, E2,
        is assessed over them)."""
        start = kw.pop("start", "2022-02-24")
        n = self._next()
        act = AggressionAct(**{"title": f"Act {n}", "states": kw.pop("states", []), **kw})
        act.start = PartialDate.parse(start)
        return self._save(act)

    def linked_decision(self, state: State | None = None, **kw: Any) -> Decision:
        """A decision serving an act of aggression ``state`` is responsible for."""
        return self.decision(acts=[self.act(states=[state] if state else [])], **kw)

    def involvement(self, **kw: Any) -> Involvement:
        official = kw.pop("official", None) or self.official()
        decision = kw.pop("decision", None) or self.decision()
        return self._save(Involvement(**{"official": official, "decision": decision, "role": "signed", **kw}))

    def evidence(self, **kw: Any) -> Evidence:
        n = self._next()
        defaults = {
            "exhibit_no": f"T-{n:04d}",
            "title": f"Exhibit {n}",
            "kind": "document",
            "source": "Test source",
            "classification": "public",
            "reliability": "B",
            "credibility": "2",
        }
        return self._save(Evidence(**{**defaults, **kw}))

    def support(self, **kw: Any) -> Support:
        evidence = kw.pop("evidence", None) or self.evidence()
        return self._save(Support(**{"evidence": evidence, "stance": "supports", **kw}))


@pytest.fixture
def export_case(session, make, app):
    """An official with a tenure supported by a public exhibit (with a stored file) and a
    confidential one, committed: (official, public, secret)."""
    from services.evidence.exhibits import add_support
    from services.evidence.files import attach_file
    from services.evidence.store import store_for

    official = make.official(name="Kim Jong Un", native_name="김정은")
    tenure = make.tenure(official=official)
    public = make.evidence(classification="public", title="KCNA report")
    secret = make.evidence(classification="confidential", title="Defector testimony")
    for evidence in (public, secret):
        add_support(session, evidence, "tenure", tenure.id, stance="supports", pinpoint=None, note=None)
    store = store_for(app.config)
    incoming = store.receive()
    incoming.write(b"KCNA, 28 April 2025")
    attach_file(session, store, public, incoming, original_name="kcna.txt", actor=None)
    session.commit()
    return official, public, secret


@pytest.fixture
def ids(demo):
    """A real id (in the demo data) for every kind of record a page's route can name."""
    session = demo

    def first(model):
        return session.scalar(select(model.id).order_by(model.id))

    return {
        "official_id": first(Official),
        "tenure_id": first(Tenure),
        "decision_id": first(Decision),
        "evidence_id": session.scalar(select(Evidence.id).where(Evidence.classification == "public")),
        "institution_id": first(Institution),
        "position_id": first(Position),
        "act_id": first(AggressionAct),
        "involvement_id": first(Involvement),
        "support_id": first(Support),
        "entity_type": "official",
        "entity_id": first(Official),
        "code": "en",
    }
