"""A database that is busy or cannot be reached: 503 with Retry-After, never a 500, as a page
and as problem details on the API; and the app serves again once the database is back
(views/outages.py)."""

from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress

import pytest
from flask import has_request_context
from sqlalchemy import event, exc

from config import engine_options
from extensions import db
from models import Official
from services.auth import tokens
from tests.conftest import POSTGRES_URL, make_settings
from views.outages import RETRY_BUSY, RETRY_UNREACHABLE


def busy_error() -> Exception:
    """What the engine's driver raises when another writer holds the lock too long."""
    if POSTGRES_URL:
        import psycopg

        return psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")
    error = sqlite3.OperationalError("database is locked")
    error.sqlite_errorcode = sqlite3.SQLITE_BUSY  # type: ignore[attr-defined]  (set by the driver itself)
    return error


def gone_error() -> Exception:
    """What the driver raises when the database goes away under a request."""
    if POSTGRES_URL:
        import psycopg

        return psycopg.errors.AdminShutdown("terminating connection due to administrator command")
    error = sqlite3.OperationalError("unable to open database file")
    error.sqlite_errorcode = sqlite3.SQLITE_CANTOPEN  # type: ignore[attr-defined]
    return error


@pytest.fixture
def failing(app) -> Iterator[Callable[..., None]]:
    """``failing(error)``: the queries requests send raise ``error`` as the driver would
    (``at="RELEASE SAVEPOINT"``: that statement instead); ``failing(None)`` heals. The
    transaction's own rollbacks still work, as they do on a busy or dropped connection."""
    armed: dict[str, object] = {}

    def before(conn, cursor, statement, parameters, context, executemany):
        error = armed.get("error")
        if error is not None and has_request_context() and statement.lstrip().upper().startswith(armed["at"]):
            raise exc.OperationalError(statement, parameters, error)  # as SQLAlchemy wraps the driver's

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", before)

    def arm(error: Exception | None, at: tuple[str, ...] | str = ("SELECT", "INSERT", "UPDATE", "DELETE")) -> None:
        armed.update(error=error, at=at)

    yield arm
    event.remove(engine, "before_cursor_execute", before)


def assert_page(response, status: int, retry_after: int | None, text: str) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code == status, body
    assert response.mimetype == "text/html"
    assert response.headers.get("Retry-After") == (str(retry_after) if retry_after else None)
    assert text in body and "Traceback" not in body
    assert response.headers["Content-Security-Policy"] and response.headers["Cache-Control"] == "no-store"


def assert_problem(response, status: int, retry_after: int, kind: str) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == str(retry_after)
    body = response.get_json()
    assert body["status"] == status and body["type"].endswith(f"#problem-{kind}") and body["detail"]
    return body


def test_lock_contention_is_503_with_retry_after_on_pages_and_the_api(client, login, session, failing, caplog):
    user = login("analyst")
    token = tokens.issue_token(session, user).secret
    session.commit()
    api = {"Authorization": f"Bearer {token}"}
    failing(busy_error())
    assert_page(client.get("/officials"), 503, RETRY_BUSY, "busy with another change")
    form = {"name": "Locked Out", "state_id": "", "version": ""}
    assert_page(client.post("/officials/new", data=form), 503, RETRY_BUSY, "Nothing was changed")
    body = assert_problem(client.get("/api/v1/officials", headers=api), 503, RETRY_BUSY, "unavailable")
    assert "busy" in body["detail"]
    created = client.post("/api/v1/officials", json={"name": "Locked Out", "state": "RU"}, headers=api)
    assert_problem(created, 503, RETRY_BUSY, "unavailable")
    assert "database busy" in caplog.text  # for the operator
    failing(None)  # the lock is released: the same requests are served
    assert client.get("/officials").status_code == 200
    assert client.get("/api/v1/officials", headers=api).status_code == 200
    session.expire_all()
    assert session.query(Official).filter_by(name="Locked Out").count() == 0


def test_a_failure_at_commit_is_503(client, make_user, session, failing, make):
    """The request's commit fails (views raise nothing): 503 too, not 500. What the failed
    commit leaves is the database's affair -- here it is the release of a savepoint in the
    test's transaction, which keeps its rows -- so only the answer is checked."""
    make.state(code="RU")
    token = tokens.issue_token(session, make_user("analyst")).secret
    session.commit()
    failing(busy_error(), at="RELEASE SAVEPOINT")  # the request's commit, within the test's transaction
    response = client.post(
        "/api/v1/officials", json={"name": "Half Saved", "state": "RU"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert_problem(response, 503, RETRY_BUSY, "unavailable")


def test_a_database_going_away_is_503_on_pages_and_the_api(client, login, session, failing):
    user = login("viewer")
    api = {"Authorization": f"Bearer {tokens.issue_token(session, user).secret}"}
    session.commit()
    failing(gone_error())
    assert_page(client.get("/officials"), 503, RETRY_UNREACHABLE, "cannot be reached")
    assert_problem(client.get("/api/v1/officials", headers=api), 503, RETRY_UNREACHABLE, "unavailable")
    failing(None)
    assert client.get("/officials").status_code == 200


def test_an_unreachable_database_server_is_503_not_500(tmp_path):
    """A PostgreSQL URL nothing listens at (a server restarting): every request that needs
    the database answers 503, sign-in page, API and health check alike."""
    from app import create_app

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free, and closed again: connections are refused
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/tribunal"
    app = create_app(make_settings(url, tmp_path, SQLALCHEMY_ENGINE_OPTIONS=engine_options(url, {})))
    client = app.test_client()
    assert client.get("/login").status_code == 200  # needs no database
    signing_in = client.post("/login", data={"email": "someone@tribunal.test", "password": "x" * 12})
    assert_page(signing_in, 503, RETRY_UNREACHABLE, "cannot be reached")
    api = client.get("/api/v1/officials", headers={"Authorization": "Bearer tsk_whatever"})
    assert_problem(api, 503, RETRY_UNREACHABLE, "unavailable")
    assert client.get("/health").status_code == 503
    with app.app_context():
        db.engine.dispose()


class Proxy:
    """A TCP relay to the test's PostgreSQL server that can be stopped (every connection cut,
    new ones refused, as during a restart) and started again on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self.listener: socket.socket | None = None
        self.sockets: list[socket.socket] = []

    def start(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self) -> None:
        assert self.listener is not None
        with suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (close alone does not)
        self.listener.close()
        for sock in self.sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _address = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.sockets += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


@pytest.mark.skipif(not POSTGRES_URL, reason="a PostgreSQL server restarting (TRIBUNAL_TEST_DB)")
def test_after_a_postgresql_restart_the_app_serves_again_by_itself(app, database_url, tmp_path):
    from sqlalchemy.engine import make_url

    from app import create_app

    real = make_url(database_url)
    proxy = Proxy((real.host or "127.0.0.1", real.port or 5432))
    proxy.start()
    url = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    served = create_app(make_settings(url, tmp_path, SQLALCHEMY_ENGINE_OPTIONS=engine_options(url, {})))
    client = served.test_client()
    try:
        assert client.get("/health").status_code == 200  # a pooled connection is open now
        proxy.stop()  # the server goes down: open connections cut, new ones refused
        assert_page(client.get("/health"), 503, RETRY_UNREACHABLE, "cannot be reached")
        signing_in = client.post("/login", data={"email": "someone@tribunal.test", "password": "x" * 12})
        assert_page(signing_in, 503, RETRY_UNREACHABLE, "cannot be reached")
        proxy.start()  # back, on the same address
        assert client.get("/health").status_code == 200
        refused = client.post("/login", data={"email": "someone@tribunal.test", "password": "x" * 12})
        assert refused.status_code == 200 and "Sign in" in refused.get_data(as_text=True)
    finally:
        with served.app_context():
            db.engine.dispose()
        proxy.stop()
