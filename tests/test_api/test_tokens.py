"""API tokens: issued by the command line, stored hashed, expiring, revocable; token requests
are exempt from CSRF, cookie requests to the API are not."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select

from models import ApiToken, AuditEvent
from models.base import utcnow
from services.auth import tokens
from tests.conftest import PASSWORD
from tests.pages import csrf_tokens
from tests.test_api.conftest import assert_problem


def _issue(runner, email, *args):
    result = runner.invoke(args=["users", "token", email, *args])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1], result.output


def _get(client, token, path="/api/v1/officials"):
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def test_cli_prints_the_token_as_its_last_line_and_stores_only_its_hash(runner, client, make_user, session):
    user = make_user("viewer")
    token, output = _issue(runner, user.email, "--expires-days", "7", "--label", "notebook")
    assert token.startswith("tsk_") and len(token) > 40
    assert "expires" in output and "viewer" in output
    record = session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert record.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert record.label == "notebook"
    assert dt.timedelta(days=6, hours=23) < record.expires_at - record.created_at <= dt.timedelta(days=7)
    stored = session.execute(select(ApiToken.__table__)).all()
    assert token not in repr(stored)
    assert _get(client, token).status_code == 200
    # the issue is in the audit trail, without the token or its hash
    event = session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "api_token"))
    assert event.action == "create" and token not in str(event.after) and record.token_hash not in str(event.after)


@pytest.mark.parametrize("days", ["0", "367", "-1", "x"])
def test_cli_refuses_an_expiry_out_of_range(runner, make_user, days):
    user = make_user()
    result = runner.invoke(args=["users", "token", user.email, "--expires-days", days])
    assert result.exit_code != 0


def test_cli_refuses_an_unknown_user(runner):
    result = runner.invoke(args=["users", "token", "nobody@tribunal.test"])
    assert result.exit_code == 1 and "No user" in result.output


def test_token_has_its_users_role(api):
    viewer = api("viewer")
    response = viewer.post("/officials", json={"name": "Someone", "state": "RU"})
    assert_problem(response, 403, "forbidden")


def test_expired_token_is_refused(client, make_user, session):
    user = make_user()
    issued = tokens.issue_token(session, user, expires_days=1, now=utcnow() - dt.timedelta(days=2))
    body = assert_problem(_get(client, issued.secret), 401, "unauthenticated")
    assert "expired" in body["detail"]


def test_revoked_token_is_refused_by_number_and_by_value(runner, client, make_user, session):
    user = make_user()
    first, _ = _issue(runner, user.email)
    second, _ = _issue(runner, user.email)
    number = session.scalar(select(ApiToken.id).where(ApiToken.token_hash == tokens.token_hash(first)))
    result = runner.invoke(args=["users", "revoke-token", str(number)])
    assert result.exit_code == 0, result.output
    assert_problem(_get(client, first), 401)
    assert _get(client, second).status_code == 200
    result = runner.invoke(args=["users", "revoke-token", second])
    assert result.exit_code == 0, result.output
    assert_problem(_get(client, second), 401)
    again = runner.invoke(args=["users", "revoke-token", second])
    assert again.exit_code == 1 and "already revoked" in again.output


def test_revoke_all_and_listing(runner, client, make_user):
    user = make_user()
    one, _ = _issue(runner, user.email, "--label", "sync")
    two, _ = _issue(runner, user.email)
    assert _get(client, one).status_code == 200
    listing = runner.invoke(args=["users", "tokens", user.email]).output
    assert "sync" in listing and "live" in listing and one not in listing
    result = runner.invoke(args=["users", "revoke-token", "--all", user.email])
    assert "Revoked 2" in result.output
    assert_problem(_get(client, one), 401)
    assert_problem(_get(client, two), 401)
    assert runner.invoke(args=["users", "tokens", user.email]).output.count("revoked") == 2


def test_unknown_token_to_revoke(runner):
    assert runner.invoke(args=["users", "revoke-token", "tsk_nothing"]).exit_code == 1
    assert runner.invoke(args=["users", "revoke-token"]).exit_code == 1


def test_disabled_users_token_is_refused(runner, client, make_user):
    user = make_user()
    token, _ = _issue(runner, user.email)
    runner.invoke(args=["users", "disable", user.email])
    assert_problem(_get(client, token), 401)


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Token abc", "Bearer " + "x" * 5000, "Bearer ключ"],
)
def test_malformed_or_unknown_authorization_is_401(client, header):
    response = client.get("/api/v1/officials", headers={"Authorization": header})
    assert_problem(response, 401, "unauthenticated")
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_no_credentials_is_401_problem_not_a_redirect(client):
    response = client.get("/api/v1/officials/1")
    assert_problem(response, 401)
    assert "Location" not in response.headers


def test_a_token_does_not_open_the_html_pages(api, client):
    viewer = api("viewer")
    response = client.get("/officials", headers=viewer.headers)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_the_token_is_used_at_most_once_a_minute(api, session):
    viewer = api("viewer")
    assert viewer.get("/officials").status_code == 200
    record = session.scalar(select(ApiToken).where(ApiToken.user_id == viewer.user.id))
    session.refresh(record)
    first = record.last_used_at
    assert first is not None
    assert viewer.get("/officials").status_code == 200
    session.refresh(record)
    assert record.last_used_at == first
    assert (
        session.scalar(select(AuditEvent).where(AuditEvent.entity_type == "api_token", AuditEvent.action == "update"))
        is None
    )


class TestCsrf:
    """With CSRF on, as in production: token requests need no CSRF token, cookie requests do."""

    @pytest.fixture(autouse=True)
    def csrf_on(self, app, monkeypatch, make):
        monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
        make.state(code="RU")

    def _sign_in(self, client, user):
        page = client.get("/login").get_data(as_text=True)
        csrf = csrf_tokens(page)[0]
        response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf})
        assert response.status_code == 302
        page = client.get("/officials").get_data(as_text=True)  # the signed-in session has its own token
        return csrf_tokens(page)[0]

    def test_token_request_is_exempt(self, api):
        analyst = api("analyst")
        response = analyst.post("/officials", json={"name": "Exempt Person", "state": "RU"})
        assert response.status_code == 201, response.get_data(as_text=True)

    def test_cookie_request_without_csrf_is_refused_and_changes_nothing(self, client, make_user, session, make):
        user = make_user("analyst")
        self._sign_in(client, user)
        assert client.get("/api/v1/officials").status_code == 200  # reads need no CSRF token
        response = client.post("/api/v1/officials", json={"name": "Forged Person", "state": "RU"})
        assert_problem(response, 400, "csrf")
        from models import Official

        assert session.scalar(select(Official).where(Official.name == "Forged Person")) is None

    def test_cookie_request_with_csrf_header_is_accepted(self, client, make_user):
        user = make_user("analyst")
        csrf = self._sign_in(client, user)
        response = client.post(
            "/api/v1/officials", json={"name": "Cookie Person", "state": "RU"}, headers={"X-CSRFToken": csrf}
        )
        assert response.status_code == 201, response.get_data(as_text=True)


def test_the_api_lists_and_revokes_the_callers_own_tokens(api, session):
    viewer = api("viewer")
    other = tokens.issue_token(session, viewer.user, label="second")
    listed = viewer.get("/tokens")
    assert listed.status_code == 200
    items = listed.get_json()["items"]
    assert [item["label"] for item in items] == ["second", None]  # newest first
    assert {item["state"] for item in items} == {"live"}
    revoked = viewer.post(f"/tokens/{other.record.id}/revoke")
    assert revoked.status_code == 200 and revoked.get_json()["state"] == "revoked"
    assert_problem(viewer.post(f"/tokens/{other.record.id}/revoke"), 409, "refused")
    assert_problem(viewer.post("/tokens/999999/revoke"), 404, "not-found")
    assert viewer.get("/tokens").get_json()["items"][0]["state"] == "revoked"
