"""Two-factor sign-in in the browser: prosecutors and admins reach nothing with a password
alone, set up their app on first sign-in, and a code works once; analysts sign in as before."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import func, select

from models import AuditEvent, User, UserSession
from services.auth import tokens, two_factor
from tests.conftest import PASSWORD, totp_code, wrong_code

CODE_URL = "/login/code"
ENROL_URL = "/login/enrol"


def password_step(client, user, next_url=None):
    url = "/login" + (f"?next={next_url}" if next_url else "")
    return client.post(url, data={"email": user.email, "password": PASSWORD})


def signed_in(client) -> bool:
    return client.get("/officials").status_code == 200


def live_sessions(session, user) -> int:
    return session.scalar(select(func.count()).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None)))


def logins(session, user) -> int:
    return session.scalar(select(func.count()).where(AuditEvent.action == "login", AuditEvent.entity_id == user.id))


@pytest.mark.parametrize("role", ["prosecutor", "admin"])
def test_password_alone_reaches_no_page(app, client, make_user, session, role):
    user = make_user(role, "strictly_confidential")
    response = password_step(client, user)
    assert response.status_code == 302 and response.headers["Location"] == CODE_URL
    assert live_sessions(session, user) == 0 and logins(session, user) == 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.arguments or rule.endpoint in ("static", "health", "favicon"):
            continue
        if rule.rule.startswith("/api/"):
            if rule.endpoint.startswith("api-docs") or rule.endpoint.startswith("api_docs"):
                continue
            assert client.get(rule.rule).status_code == 401, rule.rule
        elif rule.endpoint.startswith("auth."):
            continue
        else:
            response = client.get(rule.rule)
            assert response.status_code == 302 and response.headers["Location"].startswith("/login"), rule.rule


@pytest.mark.parametrize("role", ["prosecutor", "admin"])
def test_the_code_completes_the_sign_in(client, make_user, session, role):
    user = make_user(role)
    password_step(client, user)
    page = client.get(CODE_URL).get_data(as_text=True)
    assert 'name="code"' in page and 'autocomplete="one-time-code"' in page
    response = client.post(CODE_URL, data={"code": totp_code(user)})
    assert response.status_code == 302 and response.headers["Location"] == "/officials"
    assert signed_in(client)
    assert live_sessions(session, user) == 1 and logins(session, user) == 1


def test_a_wrong_code_is_refused_and_signs_nobody_in(client, make_user, session):
    user = make_user("prosecutor")
    password_step(client, user)
    right = totp_code(user)
    response = client.post(CODE_URL, data={"code": wrong_code()})
    assert response.status_code == 200 and "not correct" in response.get_data(as_text=True)
    assert not signed_in(client) and logins(session, user) == 0
    assert client.post(CODE_URL, data={"code": right}).status_code == 302  # the marker survives one typo
    assert signed_in(client)


def test_a_code_used_once_is_refused_in_a_new_sign_in(client, make_user, session):
    user = make_user("admin")
    password_step(client, user)
    code = totp_code(user)
    assert client.post(CODE_URL, data={"code": code}).status_code == 302
    client.post("/logout")
    password_step(client, user)
    response = client.post(CODE_URL, data={"code": code})
    assert response.status_code == 200 and "already used" in response.get_data(as_text=True)
    assert not signed_in(client)
    assert logins(session, user) == 1


def test_analysts_and_viewers_sign_in_with_the_password_alone(client, make_user, session):
    for role in ("analyst", "viewer"):
        user = make_user(role)
        response = password_step(client, user)
        assert response.status_code == 302 and response.headers["Location"] == "/officials"
        assert signed_in(client) and logins(session, user) == 1
        client.post("/logout")


def test_first_sign_in_sets_up_the_app(client, make_user, session):
    user = make_user("prosecutor", two_factor=False)
    enrolment = two_factor.issue_enrolment_code(session, user)
    response = password_step(client, user, next_url="/officials?page=2")
    assert response.status_code == 302 and response.headers["Location"] == ENROL_URL
    assert client.get(CODE_URL).headers["Location"] == ENROL_URL  # nothing to verify against yet
    page = client.get(ENROL_URL).get_data(as_text=True)
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert 'src="data:image/svg+xml' in page and "Tribunal Scope" in page and user.email in page
    assert secret in client.get(ENROL_URL).get_data(as_text=True).replace(" ", "")  # a reload shows the same
    app_code = pyotp.TOTP(secret)
    wrong = client.post(ENROL_URL, data={"code": wrong_code(secret), "enrolment_code": enrolment})
    assert wrong.status_code == 200 and "not correct" in wrong.get_data(as_text=True)
    session.expire_all()
    assert user.totp_secret is None and not signed_in(client)
    confirming = app_code.now()
    response = client.post(ENROL_URL, data={"code": confirming, "enrolment_code": enrolment.lower()})
    assert response.status_code == 302 and response.headers["Location"] == "/officials?page=2"
    assert "Two-factor sign-in is set up" in client.get("/officials").get_data(as_text=True)
    session.expire_all()
    assert user.totp_secret and secret not in user.totp_secret and user.totp_enrolled_at is not None
    assert logins(session, user) == 1
    # the next sign-in asks for a code, and the one that confirmed the app is used up
    client.post("/logout")
    assert password_step(client, user).headers["Location"] == CODE_URL
    assert client.post(CODE_URL, data={"code": confirming}).status_code == 200
    assert not signed_in(client)


def test_enrolment_secret_stays_out_of_the_cookie_in_clear(client, make_user):
    user = make_user("admin", two_factor=False)
    password_step(client, user)
    page = client.get(ENROL_URL).get_data(as_text=True)
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    with client.session_transaction() as browser_session:
        assert secret not in str(dict(browser_session))


def test_no_second_step_without_the_password(client, make_user):
    make_user("prosecutor")
    for url in (CODE_URL, ENROL_URL):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"] == "/login"
        response = client.post(url, data={"code": "123456"})
        assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "not completed in time" not in client.get("/login").get_data(as_text=True)  # nothing was begun


def test_the_pending_sign_in_expires(client, make_user):
    user = make_user("prosecutor")
    password_step(client, user)
    with client.session_transaction() as browser_session:
        pending = dict(browser_session["two_factor_pending"])
        pending["until"] -= 5 * 60 + 1  # five minutes and a second later
        browser_session["two_factor_pending"] = pending
    response = client.post(CODE_URL, data={"code": totp_code(user)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert "not completed in time" in client.get("/login").get_data(as_text=True)
    assert not signed_in(client)


def test_a_disabled_account_cannot_finish_the_sign_in(client, make_user, session):
    user = make_user("admin")
    password_step(client, user)
    user.active = False
    session.flush()
    response = client.post(CODE_URL, data={"code": totp_code(user)})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert live_sessions(session, user) == 0


def test_wrong_codes_are_counted_on_the_server_and_told_at_the_next_sign_in(client, make_user, session):
    user, other = make_user("prosecutor"), make_user("prosecutor")
    password_step(client, user)
    wrong = wrong_code()
    for _ in range(3):
        response = client.post(CODE_URL, data={"code": wrong})
        assert response.status_code == 200 and "not correct" in response.get_data(as_text=True)
    session.refresh(user)
    assert user.totp_failures == 3 and user.sign_in_locked_at is None
    assert password_step(client, other).status_code == 302  # other accounts unaffected
    client.get("/login")
    password_step(client, user)
    assert client.post(CODE_URL, data={"code": totp_code(user)}).status_code == 302
    page = client.get("/officials").get_data(as_text=True)
    assert "3 wrong two-factor codes were typed for your account since your last sign-in" in page
    session.refresh(user)
    assert user.totp_failures == 0


@pytest.mark.parametrize(
    ("target", "landing"),
    [
        ("/officials/1", "/officials/1"),
        ("/search?q=x", "/search?q=x"),
        ("//evil.example", "/officials"),
        ("https://evil.example/", "/officials"),
        ("/\\evil.example", "/officials"),
        ("javascript:alert(1)", "/officials"),
    ],
)
def test_next_survives_the_second_step_and_stays_on_site(client, make_user, target, landing):
    user = make_user("prosecutor")
    password_step(client, user, next_url=target)
    response = client.post(CODE_URL, data={"code": totp_code(user)})
    assert response.headers["Location"] == landing


def test_api_tokens_need_no_second_step(client, make_user, session):
    admin = make_user("admin", two_factor=False)
    issued = tokens.issue_token(session, admin)
    response = client.get("/api/v1/officials", headers={"Authorization": f"Bearer {issued.secret}"})
    assert response.status_code == 200


def test_sign_in_as_someone_else_discards_the_pending_step(client, make_user):
    prosecutor, analyst = make_user("prosecutor"), make_user("analyst")
    password_step(client, prosecutor)
    assert password_step(client, analyst).headers["Location"] == "/officials"
    with client.session_transaction() as browser_session:
        assert "two_factor_pending" not in browser_session
    assert client.get(CODE_URL).headers["Location"] == "/login"


class TestWithCsrf:
    @pytest.fixture(autouse=True)
    def csrf_on(self, app, monkeypatch):
        monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)

    @staticmethod
    def token(page: str) -> str:
        return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def test_both_steps_with_tokens(self, client, make_user):
        user = make_user("prosecutor")
        csrf = self.token(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf})
        assert response.headers["Location"] == CODE_URL
        assert client.post(CODE_URL, data={"code": totp_code(user)}).status_code == 400  # no token
        csrf = self.token(client.get(CODE_URL).get_data(as_text=True))
        response = client.post(CODE_URL, data={"code": totp_code(user), "csrf_token": csrf})
        assert response.status_code == 302 and signed_in(client)

    def test_enrolment_with_a_token(self, client, make_user, session):
        user = make_user("admin", two_factor=False)
        enrolment = two_factor.issue_enrolment_code(session, user)
        csrf = self.token(client.get("/login").get_data(as_text=True))
        client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf})
        page = client.get(ENROL_URL).get_data(as_text=True)
        secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
        data = {"code": pyotp.TOTP(secret).now(), "enrolment_code": enrolment, "csrf_token": self.token(page)}
        assert client.post(ENROL_URL, data=data).status_code == 302
        session.expire_all()
        assert session.get(User, user.id).totp_enrolled_at is not None
