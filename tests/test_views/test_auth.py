"""Sign-in, sessions, throttling, redirects and the deny-by-default gate."""

from __future__ import annotations

import datetime as dt

import pytest

from models import User, UserSession
from services.auth import accounts as auth_service
from tests.conftest import PASSWORD
from tests.pages import csrf_tokens
from views.util import safe_next

COOKIE = "tribunal_session"


def sign_in(client, email, password=PASSWORD, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": email, "password": password})


def test_sign_in_redirects_to_officials_and_opens_a_session(client, make_user, session):
    user = make_user("viewer")
    response = sign_in(client, user.email.upper())  # e-mail is case-insensitive
    assert response.status_code == 302 and response.headers["Location"] == "/officials"
    assert client.get("/officials").status_code == 200
    assert session.query(UserSession).filter_by(user_id=user.id, ended_at=None).count() == 1


def test_wrong_password_is_refused_with_a_message(client, make_user):
    user = make_user()
    response = sign_in(client, user.email, "not the password at all")
    assert response.status_code == 200
    assert "not correct" in response.get_data(as_text=True)
    assert client.get("/officials").status_code == 302


def test_unknown_account_gets_the_same_message(client):
    response = sign_in(client, "nobody@tribunal.test", "whatever whatever")
    assert "not correct" in response.get_data(as_text=True)


def test_disabled_account_cannot_sign_in(client, make_user):
    user = make_user(active=False)
    assert sign_in(client, user.email).status_code == 200
    assert client.get("/officials").status_code == 302


def test_sign_in_issues_a_new_session_and_the_old_cookie_gives_nothing(client, make_user):
    user = make_user()
    client.get("/login")
    sign_in(client, user.email)
    first = client.get_cookie(COOKIE).value
    sign_in(client, user.email)
    second = client.get_cookie(COOKIE).value
    assert first != second
    client.set_cookie(COOKIE, first)
    # the first sign-in's session still exists server-side; sign out of it, then replay it
    client.post("/logout")
    client.set_cookie(COOKIE, first)
    assert client.get("/officials").status_code == 302


def test_logout_is_post_only_and_a_replayed_cookie_is_refused(client, login):
    login()
    cookie = client.get_cookie(COOKIE).value
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/officials").status_code == 302
    client.set_cookie(COOKIE, cookie)  # the attacker kept a copy
    assert client.get("/officials").status_code == 302


def test_session_cookie_flags(client, make_user):
    user = make_user()
    response = sign_in(client, user.email)
    header = response.headers["Set-Cookie"]
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_sixth_attempt_within_a_minute_is_refused_even_with_the_right_password(client, make_user):
    user, other = make_user(), make_user()
    for _ in range(5):
        assert sign_in(client, user.email, "wrong password!!").status_code == 200
    refused = sign_in(client, user.email)
    assert refused.status_code == 429
    assert "Wait 1 minute" in refused.get_data(as_text=True)
    # other accounts are unaffected
    assert sign_in(client, other.email).status_code == 302


def test_throttle_lifts_after_a_minute(session, make_user):
    user = make_user()
    start = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.UTC)
    for i in range(5):
        auth_service.sign_in(
            session, user.email, "wrong password!!", address="192.0.2.1", now=start + dt.timedelta(seconds=i)
        )
    at = start + dt.timedelta(seconds=30)
    assert auth_service.sign_in(session, user.email, PASSWORD, address="192.0.2.1", now=at).throttled
    later = auth_service.sign_in(session, user.email, PASSWORD, address="192.0.2.1", now=at + dt.timedelta(seconds=35))
    assert later.user is not None


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "evil.example",
        "/ok\r\nSet-Cookie: x=1",
        "",
        None,
    ],
)
def test_unsafe_next_is_refused(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", ["/officials", "/officials/3?page=2", "/search?q=%D0%A8"])
def test_same_site_next_is_kept(target):
    assert safe_next(target) == target


def test_next_after_sign_in(client, make_user):
    user = make_user()
    assert sign_in(client, user.email, next_url="/officials/1").headers["Location"] == "/officials/1"
    assert sign_in(client, user.email, next_url="//evil.example").headers["Location"] == "/officials"


def test_idle_and_lifetime_expiry(session, make_user):
    user = make_user()
    t0 = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)
    idle, life = dt.timedelta(minutes=30), dt.timedelta(hours=12)

    def resume(token, now):
        """As a request does: resume, then write the bookkeeping once its transaction ends."""
        user = auth_service.resume_session(session, token, idle=idle, lifetime=life, now=now)
        auth_service.write_touches(session)
        session.expire_all()
        return user

    token = auth_service.start_session(session, user, now=t0)
    assert resume(token, t0 + dt.timedelta(minutes=29))
    assert resume(token, t0 + dt.timedelta(minutes=40))
    assert not resume(token, t0 + dt.timedelta(hours=2))
    fresh = auth_service.start_session(session, user, now=t0)
    steps = [t0 + dt.timedelta(minutes=20 * i) for i in range(1, 38)]
    alive = [resume(fresh, t) for t in steps]
    assert alive[0] and not alive[-1]  # kept busy, it still ends after 12 hours


def test_password_change_and_disabling_end_sessions(session, make_user):
    user = make_user()
    kw = {"idle": dt.timedelta(minutes=30), "lifetime": dt.timedelta(hours=12)}
    token = auth_service.start_session(session, user)
    auth_service.set_password(session, user, "a brand new passphrase")
    assert auth_service.resume_session(session, token, **kw) is None
    token = auth_service.start_session(session, user)
    auth_service.disable_user(session, user)
    assert auth_service.resume_session(session, token, **kw) is None


def test_passwords_are_argon2id_and_at_least_12_characters(session):
    user = auth_service.create_user(session, "New@Tribunal.test", role="analyst", clearance="public", password=PASSWORD)
    assert user.email == "new@tribunal.test"
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    with pytest.raises(auth_service.AccountError, match="at least 12"):
        auth_service.create_user(
            session, "short@tribunal.test", role="viewer", clearance="public", password="elevenchars"
        )


def test_anonymous_requests_to_every_route_are_sent_to_sign_in(app, client):
    """Deny by default: every rule but the allowlist redirects an anonymous visitor to /login
    (the JSON API answers 401 instead: tests/test_api/test_access.py)."""
    allowed = {"/login", "/health", "/favicon.ico", "/static/<path:filename>", "/language/<code>"}
    for rule in app.url_map.iter_rules():
        if rule.rule in allowed or rule.rule.startswith("/api/"):
            continue
        url = rule.rule
        for name in rule.arguments:
            url = url.replace(f"<int:{name}>", "1").replace(f"<{name}>", "x").replace(f"<path:{name}>", "x")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response.headers["Location"].startswith("/login"), (method, url)


def test_users_cli(runner, session):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Lead@Tribunal.test",
            "--role",
            "prosecutor",
            "--clearance",
            "confidential",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    assert session.query(User).filter_by(email="lead@tribunal.test").one().role == "prosecutor"
    short = runner.invoke(
        args=["users", "create", "x@tribunal.test", "--role", "viewer", "--clearance", "public", "--password-stdin"],
        input="short\n",
    )
    assert short.exit_code != 0 and "at least 12" in short.output
    listing = runner.invoke(args=["users", "list"])
    assert "lead@tribunal.test\tprosecutor\tconfidential\tactive" in listing.output
    disabled = runner.invoke(args=["users", "disable", "lead@tribunal.test"])
    assert disabled.exit_code == 0
    assert "disabled" in runner.invoke(args=["users", "list"]).output
    assert runner.invoke(args=["users", "disable", "ghost@tribunal.test"]).exit_code != 0


def test_first_admin_prints_one_command_to_copy_when_nobody_types(runner, session):
    """`make run` printed the command over two lines, and the copy died in production mode."""
    result = runner.invoke(args=["users", "first-admin"], input="")
    assert result.exit_code == 0 and session.query(User).count() == 0
    line = next(line.strip() for line in result.output.splitlines() if " users create " in line)
    assert line == (
        "TRIBUNAL_ENV=testing .venv/bin/flask --app app users create you@example.org"
        " --role admin --clearance strictly_confidential"
    )


def test_first_admin_asks_again_after_a_bad_answer_then_creates_the_admin(runner, session, monkeypatch):
    from commands import users as cli

    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    answers = f"not-an-address\nshort\nshort\nfirst@tribunal.test\n{PASSWORD}\n{PASSWORD}\n"
    result = runner.invoke(args=["users", "first-admin"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Try again" in result.output
    user = session.query(User).one()
    assert (user.email, user.role, user.clearance) == ("first@tribunal.test", "admin", "strictly_confidential")
    code = result.output.strip().splitlines()[-1]
    assert "enrolment code" in result.output and len(code) >= 8 and " " not in code
    again = runner.invoke(args=["users", "first-admin"], input=answers)  # a user exists: nothing asked
    assert again.exit_code == 0 and again.output == "" and session.query(User).count() == 1


class TestWithCsrf:
    """CSRF protection switched on, as in production."""

    @pytest.fixture(autouse=True)
    def csrf_on(self, app, monkeypatch):
        monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    def test_login_without_token_is_refused(self, client, make_user):
        user = make_user()
        response = sign_in(client, user.email)
        assert response.status_code == 400
        assert "Reload the page" in response.get_data(as_text=True)

    def test_login_with_token_works(self, client, make_user):
        user = make_user()
        token = csrf_tokens(client.get("/login").get_data(as_text=True))[0]
        response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302

    def test_logout_without_token_is_refused(self, client, make_user):
        user = make_user()
        client.application.config["WTF_CSRF_ENABLED"] = False
        sign_in(client, user.email)
        client.application.config["WTF_CSRF_ENABLED"] = True
        assert client.post("/logout").status_code == 400
        assert client.get("/officials").status_code == 200  # still signed in
