"""Production safety: no start with an unsafe key or the debugger, generic error pages, and
logs that name no secret and keep each entry on one line."""

from __future__ import annotations

import logging
import runpy
import secrets
from pathlib import Path

import pytest
from flask import Flask

import app as app_module
from app import create_app
from config import ConfigError, ProductionConfig
from services.auth import tokens
from services.common import chain_keys as chains
from tests.conftest import PASSWORD

GOOD_KEY = secrets.token_hex(32)
SECRET_TEXT = "psycopg.errors SELECT password_hash FROM users WHERE 1 /srv/tribunal/app.py"


def production_env(monkeypatch: pytest.MonkeyPatch, tmp_path, key: str | None = GOOD_KEY) -> None:
    monkeypatch.setenv("TRIBUNAL_ENV", "production")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.db'}")
    monkeypatch.setenv("EVIDENCE_DIR", str(tmp_path / "evidence"))
    monkeypatch.setenv("CHAIN_KEY_PATH", str(tmp_path / "chain-key"))
    chains.load_or_create_key(tmp_path / "chain-key")  # `make chain-key`: production never creates it
    if key is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", key)


@pytest.mark.parametrize("key", [None, "", "dev", "changeme", "  secret  ", "x" * 31])
def test_production_refuses_a_missing_default_or_short_secret_key(monkeypatch, tmp_path, key):
    production_env(monkeypatch, tmp_path, key)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_refuses_to_start_without_the_chain_key(monkeypatch, tmp_path):
    """The key of the custody chains and the audit trail is never made by a production
    server: one that quietly made itself a new key would chain events nobody can verify
    against the old ones. Development and testing make it on first start."""
    production_env(monkeypatch, tmp_path)
    monkeypatch.setenv("CHAIN_KEY_PATH", str(tmp_path / "absent" / "chain-key"))
    with pytest.raises(ConfigError, match="no chain key at .*make chain-key"):
        create_app()
    assert not (tmp_path / "absent").exists()
    (tmp_path / "short-key").write_bytes(b"too short")
    monkeypatch.setenv("CHAIN_KEY_PATH", str(tmp_path / "short-key"))
    with pytest.raises(ConfigError, match="32-byte chain key"):
        create_app()
    monkeypatch.setenv("TRIBUNAL_ENV", "testing")
    monkeypatch.setenv("CHAIN_KEY_PATH", str(tmp_path / "made" / "chain-key"))
    assert len(create_app().extensions["chain_key"]) == 32
    assert (tmp_path / "made" / "chain-key").stat().st_mode & 0o777 == 0o600


def test_the_chain_key_is_created_once_and_never_replaced(tmp_path, capsys):
    path = tmp_path / "chain-key"
    assert chains.main([str(path)]) == 0
    key = path.read_bytes()
    assert chains.main([str(path)]) == 1 and "never replaced" in capsys.readouterr().err
    assert path.read_bytes() == key and path.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("flag", ["1", "true", "yes"])
def test_production_refuses_to_start_with_the_debugger(monkeypatch, tmp_path, flag):
    production_env(monkeypatch, tmp_path)
    monkeypatch.setenv("FLASK_DEBUG", flag)
    with pytest.raises(ConfigError, match="FLASK_DEBUG"):
        create_app()


def test_production_runs_without_debug_and_hides_sql_parameters(monkeypatch, tmp_path):
    production_env(monkeypatch, tmp_path)
    monkeypatch.setenv("FLASK_DEBUG", "0")
    app = create_app()
    assert app.debug is False and app.config["DEBUG"] is False and app.config["TESTING"] is False
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["hide_parameters"] is True
    assert ProductionConfig().SECRET_KEY == GOOD_KEY


@pytest.fixture
def production_app(monkeypatch, tmp_path) -> Flask:
    """A production app with a page and an API operation that fail with a revealing error."""
    production_env(monkeypatch, tmp_path)
    app = create_app()

    def explode():
        raise RuntimeError(SECRET_TEXT)

    app.add_url_rule("/boom", "boom", explode)
    app.add_url_rule("/api/v1/boom", "api_boom", explode)
    monkeypatch.setattr(app_module, "PUBLIC_ENDPOINTS", app_module.PUBLIC_ENDPOINTS | {"boom", "api_boom"})
    return app


def assert_generic(body: str) -> None:
    for leak in ("Traceback", "RuntimeError", "SELECT", "password_hash", "/srv/", ".py", "psycopg", "werkzeug"):
        assert leak not in body


def test_an_unexpected_error_shows_a_generic_page(production_app, caplog):
    client = production_app.test_client()
    with caplog.at_level(logging.ERROR):
        response = client.get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert_generic(body)
    assert "Nothing was changed" in body
    assert response.headers["Cache-Control"] == "no-store"
    assert "unhandled error" in caplog.text  # the details go to the log, not to the visitor


def test_the_api_answers_problem_json_without_details(production_app):
    response = production_app.test_client().get("/api/v1/boom")
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert_generic(response.get_data(as_text=True))


@pytest.mark.parametrize(("method", "path", "code"), [("GET", "/no/such/page", 404), ("POST", "/health", 405)])
def test_404_and_405_pages_are_generic(production_app, method, path, code):
    response = production_app.test_client().open(path, method=method)
    assert response.status_code == code
    body = response.get_data(as_text=True)
    assert_generic(body)
    assert "Werkzeug" not in body and "The requested URL" not in body


def test_logs_name_no_password_token_or_session(app, client, login, make_user, session, caplog):
    caplog.set_level(logging.DEBUG)
    user = login("analyst")
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    secret = tokens.issue_token(session, make_user("admin", "strictly_confidential")).secret
    session.commit()
    client.get("/api/v1/officials", headers={"Authorization": f"Bearer {secret}"})
    client.get(f"/officials?password={PASSWORD}&token={secret}")
    client.post("/logout")
    client.post("/login", data={"email": user.email, "password": PASSWORD + "x"})
    client.post("/login", data={"email": "someone@tribunal.test", "password": PASSWORD})
    logging.getLogger("werkzeug").info('"GET /x?token=%s&password=%s HTTP/1.1" 200', secret, PASSWORD)
    text = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert "failed sign-in for " + user.email in text  # something was logged
    for leaked in (PASSWORD, secret, secret[len(tokens.PREFIX) :], cookie):
        assert leaked not in text


@pytest.mark.parametrize("name", ["evil\nINFO forged", "evil\r\nINFO forged", "evil\u2028INFO forged", "a\x1b[31mb"])
def test_a_user_name_with_a_newline_stays_on_one_log_line(client, session, caplog, name):
    caplog.set_level(logging.DEBUG)
    client.post("/login", data={"email": name, "password": "whatever-it-is"})
    lines = [r.getMessage() for r in caplog.records if "failed sign-in" in r.getMessage()]
    assert len(lines) == 1
    assert "\n" not in lines[0] and "\r" not in lines[0] and "\u2028" not in lines[0] and "\x1b" not in lines[0]
    assert not any(line.startswith("INFO forged") for line in caplog.text.splitlines())


def test_the_development_servers_request_lines_carry_no_escaped_colour_codes(caplog):
    """`make run` printed `\\x1b[33m...` around every request line: werkzeug colours them, and the
    log escaped the codes. Its colour codes go; any other control character is still escaped."""
    caplog.set_level(logging.INFO)
    logging.getLogger("werkzeug").info('\x1b[33m"GET /officials HTTP/1.1" 404 -\x1b[0m')
    logging.getLogger("app").info("a\x1b[31mb")
    assert [r.getMessage() for r in caplog.records] == ['"GET /officials HTTP/1.1" 404 -', "a\\x1b[31mb"]


def test_the_favicon_is_served_to_anyone_and_linked_from_every_page(client):
    """Every page asked for /favicon.ico and got a 404."""
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data
    assert 'rel="icon" type="image/svg+xml" href="/static/favicon.svg"' in client.get("/login").get_data(as_text=True)


def test_the_access_log_names_no_query_string_cookie_or_token():
    """Query strings can carry searched names or a token; headers carry the session cookie."""
    settings = runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py"))
    access = settings["access_log_format"]
    assert "%(U)s" in access
    assert "%(r)s" not in access and "%(q)s" not in access  # the request line and the query string
    assert "}i)s" not in access and "}e)s" not in access  # no request header, no environ value


def test_gunicorn_opens_no_control_socket_shared_by_every_server_of_a_user():
    """18.10: every gunicorn of a user listened on the same ~/.gunicorn/gunicorn.ctl. The
    configuration file is read as gunicorn reads it (an unknown setting would be refused)."""
    from gunicorn.config import Config

    config = Config()
    for name, value in runpy.run_path(str(Path(__file__).resolve().parents[1] / "gunicorn.conf.py")).items():
        if name in config.settings:
            config.set(name, value)
    assert config.control_socket_disable is True
    assert "control_socket_disable" in config.settings  # the installed gunicorn's name for it
