"""Attacks on accounts (issue 17, items 5-8), each replayed against the real app.

../shared/SECURITY.md, "Sign-in and sessions":
- "Per-account throttling: the 6th attempt within a minute is refused even with the right
  password; other accounts unaffected."
- "Throttling per client address and per (account, address), with back-off: an anonymous client
  must not be able to lock an account's owner out; parallel attempts are counted exactly on
  PostgreSQL too."
- "TOTP for prosecutors and admins; a code cannot be replayed within its window; wrong codes are
  counted on the server per account (never only in the client's cookie); enrolment needs a
  one-time code issued by an administrator or the CLI (no trust on first use)."
- "Other sessions end when a password changes or a user is disabled": API tokens too.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
import urllib.error
import urllib.parse
import urllib.request

import pyotp
import pytest
from sqlalchemy import func, select

from app import create_app
from models import LoginThrottle
from services.auth import accounts as auth_service
from services.auth import throttle, two_factor
from tests.conftest import PASSWORD, make_settings, totp_code, wrong_code
from tests.live_server import Instance, own_database, run_commands
from tests.pages import mask_volatile

ATTACKER = "203.0.113.7"
OWNER = "198.51.100.20"
WRONG = "not the password at all"


def attempt(client, email, password=PASSWORD, address=ATTACKER, **kw):
    return client.post(
        "/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}, **kw
    )


def signed_in(client) -> bool:
    return client.get("/officials").status_code == 200


# --- item 5: throttling per address, per account at an address, per account --------------


def test_one_client_cannot_lock_the_owner_out(app, client, make_user):
    """Per-account throttling, and "an anonymous client must not be able to lock an account's
    owner out": five wrong passwords a minute from one client, for an hour, used to keep the
    owner out; now that client waits and the owner, elsewhere, signs in."""
    owner = make_user("analyst")
    attacker = app.test_client()
    codes = [attempt(attacker, owner.email, WRONG).status_code for _ in range(30)]
    assert codes == [200] * 5 + [429] * 25  # the sixth is refused, even with the right password
    refused = attempt(attacker, owner.email)
    assert refused.status_code == 429 and "Wait 1 minute" in refused.get_data(as_text=True)
    assert 0 < int(refused.headers["Retry-After"]) <= 60  # seconds, however slow the requests before
    assert attempt(client, owner.email, address=OWNER).status_code == 302  # the owner, from elsewhere
    assert signed_in(client)


def test_the_attackers_back_off_grows(session, make_user):
    """Throttling "with back-off": each failure past the fifth doubles the wait, up to an hour."""
    user = make_user()
    now = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    waits = []
    for _ in range(12):
        result = auth_service.sign_in(session, user.email, WRONG, address=ATTACKER, now=now)
        assert result.user is None and not result.throttled
        wait = throttle.hold(session, user.email, ATTACKER, remembered=False, now=now).retry_after
        waits.append(None if wait is None else wait / dt.timedelta(minutes=1))
        now += wait or dt.timedelta(seconds=1)
    assert waits == [None] * 4 + [1, 2, 4, 8, 16, 32, 60, 60]
    assert auth_service.sign_in(session, user.email, PASSWORD, address=ATTACKER, now=now).user == user


def test_password_spraying_from_one_address_is_throttled(app, client, make_user):
    """ "Throttling per client address": a client trying one password on many accounts (which
    nothing limited) is stopped after twenty failures, whatever the accounts; other clients
    are not."""
    sprayer = app.test_client()
    codes = [attempt(sprayer, f"person{n}@tribunal.test", WRONG).status_code for n in range(25)]
    assert codes == [200] * 20 + [429] * 5
    victim = make_user("viewer")
    assert attempt(sprayer, victim.email).status_code == 429
    assert attempt(client, victim.email, address=OWNER).status_code == 302


def test_ipv6_clients_are_counted_by_their_64_network(app, make_user):
    """A client with an IPv6 /64 picks a new address per attempt at will: the network is counted."""
    user = make_user()
    attacker = app.test_client()
    codes = [attempt(attacker, user.email, WRONG, address=f"2001:db8:1:2::{n:x}").status_code for n in range(7)]
    assert codes == [200] * 5 + [429] * 2
    assert throttle.client_bucket("::ffff:192.0.2.9") == "192.0.2.9"
    assert throttle.client_bucket(None) == "unknown"


def test_the_owners_remembered_device_outlasts_an_attack_from_many_addresses(app, client, make_user):
    """Failures from many addresses lock the account for new devices (the per-account bucket),
    but never the browser its owner signed in with before: its signed cookie exempts it."""
    owner, other = make_user("analyst"), make_user("analyst")
    assert attempt(client, owner.email, address=OWNER).status_code == 302
    device = client.get_cookie("tribunal_device", path="/login")
    assert device is not None and device.http_only and device.same_site == "Lax"
    client.post("/logout")
    attacker = app.test_client()
    for n in range(2):  # ten failures, five from each of two addresses
        for _ in range(5):
            assert attempt(attacker, owner.email, WRONG, address=f"192.0.2.{n + 1}").status_code == 200
    assert attempt(attacker, owner.email, WRONG, address="192.0.2.3").status_code == 429
    stranger = app.test_client()
    assert attempt(stranger, owner.email, address="198.51.100.99").status_code == 429  # a new device waits
    assert attempt(client, owner.email, address="198.51.100.99").status_code == 302  # the owner's does not
    assert signed_in(client)
    # a cookie of another account's, or a forged one, exempts nothing
    borrowed = app.test_client()
    assert attempt(borrowed, other.email, address=OWNER).status_code == 302
    borrowed.post("/logout")
    assert attempt(borrowed, owner.email, address="198.51.100.98").status_code == 429
    forged = app.test_client()
    forged.set_cookie("tribunal_device", device.value[:-2] + "xx", path="/login")
    assert attempt(forged, owner.email, address="198.51.100.97").status_code == 429


def test_a_remembered_device_stops_counting_when_the_password_changes(app, client, make_user, session):
    owner = make_user("analyst")
    assert attempt(client, owner.email, address=OWNER).status_code == 302
    client.post("/logout")
    with app.app_context():  # hashed at the testing mode's cost
        auth_service.set_password(session, owner, "a completely new passphrase")
    session.flush()
    attacker = app.test_client()
    for n in range(2):
        for _ in range(5):
            attempt(attacker, owner.email, WRONG, address=f"192.0.2.{n + 1}")
    response = attempt(client, owner.email, "a completely new passphrase", address=OWNER)
    assert response.status_code == 429


def test_x_forwarded_for_is_ignored_unless_proxies_are_trusted(app, client, make_user, tmp_path, database_url):
    """The client address comes from X-Forwarded-For only behind TRUSTED_PROXY_COUNT proxies:
    otherwise an attacker would name a new address with every attempt."""
    user = make_user()
    codes = [
        attempt(client, user.email, WRONG, headers={"X-Forwarded-For": f"192.0.2.{n}"}).status_code for n in range(7)
    ]
    assert codes == [200] * 5 + [429] * 2
    proxied = create_app(make_settings(database_url, tmp_path, TRUSTED_PROXY_COUNT=1)).test_client()
    victim = make_user()
    for _ in range(5):
        attempt(proxied, victim.email, WRONG, headers={"X-Forwarded-For": "192.0.2.50"}, address="127.0.0.1")
    refused = attempt(proxied, victim.email, headers={"X-Forwarded-For": "192.0.2.50"}, address="127.0.0.1")
    assert refused.status_code == 429
    other = attempt(proxied, victim.email, headers={"X-Forwarded-For": "192.0.2.51"}, address="127.0.0.1")
    assert other.status_code == 302  # the proxy vouches for a different client


def test_idle_buckets_are_purged_in_bounded_batches(session, make_user):
    """The throttle's rows do not grow without bound (login_attempt kept every attempt forever)."""
    old = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    now = old + dt.timedelta(days=2)
    rows = [
        LoginThrottle(account=f"gone{n}@tribunal.test", address="", failures=3, last_failure_at=old, updated_at=old)
        for n in range(throttle.PURGE_BATCH + 20)
    ]
    still_blocking = LoginThrottle(
        account="", address="192.0.2.200", failures=40, updated_at=old, blocked_until=now + dt.timedelta(hours=1)
    )
    session.add_all([*rows, still_blocking])
    session.flush()
    auth_service.sign_in(session, "someone@tribunal.test", WRONG, address=ATTACKER, now=now)
    left = session.scalar(select(func.count()).select_from(LoginThrottle).where(LoginThrottle.updated_at == old))
    assert left == 20 + 1
    auth_service.sign_in(session, "someone@tribunal.test", WRONG, address=ATTACKER, now=now)
    assert session.scalar(select(func.count()).select_from(LoginThrottle).where(LoginThrottle.updated_at == old)) == 1


# --- item 6: wrong second-factor codes counted on the server -------------------------------

CODE_URL = "/login/code"
COOKIE = "tribunal_session"


def test_replaying_the_cookie_does_not_reset_the_count_of_wrong_codes(app, client, make_user, session, runner):
    """Wrong codes "counted on the server per account (never only in the client's cookie)": the
    count lived in the signed cookie, so replaying the cookie taken just after the password
    started it again, and someone who knew the password could guess codes without end. Now
    ten wrong codes in a row lock the account, whatever cookie comes with them, until an
    administrator unlocks it, and the owner is told at their next sign-in."""
    user = make_user("prosecutor")
    assert attempt(client, user.email).headers["Location"] == CODE_URL
    after_password = client.get_cookie(COOKIE).value
    wrong = wrong_code()
    answers = []
    for _ in range(two_factor.MAX_FAILURES):
        client.set_cookie(COOKIE, after_password)  # as if no code had been tried yet
        answers.append(client.post(CODE_URL, data={"code": wrong}).status_code)
    assert answers == [200] * (two_factor.MAX_FAILURES - 1) + [302]
    assert "This account is locked" in client.get("/login").get_data(as_text=True)
    session.refresh(user)
    assert user.totp_failures == two_factor.MAX_FAILURES and user.sign_in_locked_at is not None
    client.set_cookie(COOKIE, after_password)
    refused = client.post(CODE_URL, data={"code": totp_code(user)})  # even the right code
    assert refused.status_code == 302 and refused.headers["Location"] == "/login"
    assert not signed_in(client)
    # the owner, elsewhere, with the right password, is told why they cannot sign in
    owner = app.test_client()
    told = attempt(owner, user.email, address=OWNER)
    assert told.status_code == 403 and "Ask an administrator to unlock" in told.get_data(as_text=True)
    assert "locked (users unlock)" in runner.invoke(args=["users", "list"]).output
    # an administrator unlocks the account; the owner signs in
    result = runner.invoke(args=["users", "unlock", user.email])
    assert result.exit_code == 0 and "Unlocked" in result.output, result.output
    assert attempt(owner, user.email, address=OWNER).headers["Location"] == CODE_URL
    session.refresh(user)
    assert owner.post(CODE_URL, data={"code": totp_code(user)}).status_code == 302
    assert signed_in(owner)


def test_a_locked_account_keeps_wrong_passwords_apart(app, make_user, session):
    """The lock is told only to someone who typed the right password: a wrong one gets the
    usual answer, so the lock says nothing to a stranger."""
    user = make_user("admin", sign_in_locked_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    stranger = app.test_client()
    page = attempt(stranger, user.email, WRONG).get_data(as_text=True)
    assert "locked" not in page and "not correct" in page


# --- item 7: enrolment needs a one-time code from an administrator -------------------------

ENROL_URL = "/login/enrol"


def _enrolment_page_secret(client) -> str:
    page = client.get(ENROL_URL).get_data(as_text=True)
    return re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def test_the_password_alone_cannot_set_up_the_second_factor(app, runner, session):
    """ "Enrolment needs a one-time code issued by an administrator or the CLI (no trust on first
    use)": whoever first signed in with a new prosecutor's password set up the authenticator
    app, theirs. Now `users create` prints a one-time enrolment code (stored hashed, valid 24
    hours) without which no app is set up, and it works once."""
    created = runner.invoke(
        args=["users", "create", "lead@tribunal.test", "--role", "prosecutor", "--clearance", "confidential"]
        + ["--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert created.exit_code == 0, created.output
    enrolment = created.output.strip().splitlines()[-1]
    user = auth_service.find_user(session, "lead@tribunal.test")
    assert user.enrolment_code_hash == two_factor.enrolment_code_hash(enrolment)
    assert enrolment.replace("-", "") not in str(user.enrolment_code_hash)
    lifetime = user.enrolment_code_expires_at - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=23, minutes=59) < lifetime <= dt.timedelta(hours=24)
    # someone who has the password, not the code
    attacker = app.test_client()
    assert attempt(attacker, "lead@tribunal.test").headers["Location"] == ENROL_URL
    theirs = pyotp.TOTP(_enrolment_page_secret(attacker))
    for guess in ("", "AAAA-BBBB-CCCC-DDDD", enrolment[:-1] + ("A" if enrolment[-1] != "A" else "B")):
        response = attacker.post(ENROL_URL, data={"code": theirs.now(), "enrolment_code": guess})
        assert response.status_code == 200 and not signed_in(attacker)
    assert "enrolment code is not correct" in response.get_data(as_text=True)
    session.refresh(user)
    assert user.totp_secret is None
    # the owner, given the code by an administrator
    owner = app.test_client()
    assert attempt(owner, "lead@tribunal.test", address=OWNER).headers["Location"] == ENROL_URL
    mine = pyotp.TOTP(_enrolment_page_secret(owner))
    assert owner.post(ENROL_URL, data={"code": mine.now(), "enrolment_code": enrolment}).status_code == 302
    assert signed_in(owner)
    session.refresh(user)
    assert user.totp_secret is not None and user.enrolment_code_hash is None
    # the code worked once: after a reset (a lost phone) only the new code sets up an app
    reset = runner.invoke(args=["users", "reset-2fa", "lead@tribunal.test"])
    renewed = reset.output.strip().splitlines()[-1]
    assert attempt(attacker, "lead@tribunal.test").headers["Location"] == ENROL_URL
    theirs = pyotp.TOTP(_enrolment_page_secret(attacker))
    response = attacker.post(ENROL_URL, data={"code": theirs.now(), "enrolment_code": enrolment})
    assert response.status_code == 200 and not signed_in(attacker)
    # nor does a code past its 24 hours
    session.refresh(user)
    user.enrolment_code_expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    session.flush()
    response = attacker.post(ENROL_URL, data={"code": theirs.now(), "enrolment_code": renewed})
    assert response.status_code == 200 and not signed_in(attacker)


def test_wrong_enrolment_codes_count_towards_the_lock(app, make_user, session):
    """Guesses at the enrolment code are counted like wrong app codes: the lock comes after ten."""
    user = make_user("admin", two_factor=False)
    two_factor.issue_enrolment_code(session, user)
    attacker = app.test_client()
    attempt(attacker, user.email)
    app_code = pyotp.TOTP(_enrolment_page_secret(attacker)).now()
    answers = [
        attacker.post(ENROL_URL, data={"code": app_code, "enrolment_code": f"AAAA-BBBB-CCCC-{n:04d}"}).status_code
        for n in range(two_factor.MAX_FAILURES)
    ]
    assert answers == [200] * (two_factor.MAX_FAILURES - 1) + [302]
    session.refresh(user)
    assert user.sign_in_locked_at is not None and user.totp_secret is None


# --- item 8: API tokens end with the password, and their owner sees them ------------------


def test_a_token_stops_working_when_its_users_password_changes(app, client, runner, make_user, session):
    """ "Other sessions end when a password changes": a password change ended the user's sessions
    but not their API tokens, so a token issued or copied by whoever had the old password kept
    acting as them. It is now refused, and listed as ended by the password change."""
    user = make_user("analyst")
    issued = runner.invoke(args=["users", "token", user.email, "--label", "sync"])
    token = issued.output.strip().splitlines()[-1]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/officials", headers=bearer).status_code == 200
    changed = runner.invoke(
        args=["users", "set-password", user.email, "--password-stdin"], input="another passphrase\n"
    )
    assert changed.exit_code == 0, changed.output
    refused = client.get("/api/v1/officials", headers=bearer)
    assert refused.status_code == 401 and "password" in refused.get_json()["detail"]
    assert "password-changed" in runner.invoke(args=["users", "tokens", user.email]).output
    fresh = runner.invoke(args=["users", "token", user.email]).output.strip().splitlines()[-1]
    assert client.get("/api/v1/officials", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200


def test_users_see_and_revoke_their_own_tokens_and_nobody_elses(app, client, login, make_user, session):
    """A user's tokens were known only to the command line: now their tokens page and the API
    list them (issued, last used, state; never the secret) and revoke them; another user's
    token answers 404 like a missing one."""
    from services.auth import tokens

    other = make_user("analyst")
    theirs = tokens.issue_token(session, other, label="theirs")
    user = login("viewer")
    mine = tokens.issue_token(session, user, label="notebook sync")
    bearer = {"Authorization": f"Bearer {mine.secret}"}
    assert client.get("/api/v1/officials", headers=bearer).status_code == 200  # used once
    page = client.get("/account/tokens").get_data(as_text=True)
    assert "notebook sync" in page and "theirs" not in page and mine.secret not in page
    assert f"Revoke token {mine.record.id}" in page
    listed = client.get("/api/v1/tokens", headers=bearer).get_json()["items"]
    assert [(t["id"], t["label"], t["state"]) for t in listed] == [(mine.record.id, "notebook sync", "live")]
    assert listed[0]["last_used_at"] is not None and "token_hash" not in listed[0]
    missing = theirs.record.id + 1000

    def refusal(url: str, token_id: int, headers: dict[str, str]) -> tuple[int, str]:
        """The answer, with the address it echoes (the language switcher's) made anonymous."""
        answer = client.post(url.format(token_id), headers=headers)
        return answer.status_code, mask_volatile(answer.get_data(as_text=True)).replace(url.format(token_id), "URL")

    for url, headers in (("/account/tokens/{}/revoke", {}), ("/api/v1/tokens/{}/revoke", bearer)):
        # 404, and word for word as for a token that does not exist
        assert refusal(url, theirs.record.id, headers) == refusal(url, missing, headers)
        assert refusal(url, missing, headers)[0] == 404
    session.refresh(theirs.record)
    assert theirs.record.revoked_at is None
    response = client.post(f"/account/tokens/{mine.record.id}/revoke")
    assert response.status_code == 302
    assert "revoked: it no longer works" in client.get("/account/tokens").get_data(as_text=True)
    assert client.get("/api/v1/officials", headers=bearer).status_code == 401
    page = client.get("/account/tokens").get_data(as_text=True)
    assert f"Revoke token {mine.record.id}" not in page and "revoked" in page


# --- parallel attempts against the production server, on the engine the suite runs on -------

PARALLEL = 16


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer itself


NO_REDIRECTS = urllib.request.build_opener(_NoRedirects)


@pytest.fixture
def live(tmp_path):
    with own_database(tmp_path, "throttle") as url:
        run_commands(
            url,
            tmp_path,
            [
                (["db", "upgrade"], None),
                (
                    ["users", "create", "target@tribunal.test", "--role", "analyst", "--clearance", "public"]
                    + ["--password-stdin"],
                    PASSWORD + "\n",
                ),
            ],
        )
        server = Instance(tmp_path, workers=2, threads=8, database_url=url)
        server.start()
        try:
            yield server
        finally:
            server.stop()


def _login_form(base: str) -> tuple[str, str]:
    """A session cookie and the CSRF token of the sign-in form it goes with."""
    with urllib.request.urlopen(f"{base}/login", timeout=30) as response:  # noqa: S310  (loopback)
        page = response.read().decode()
        cookie = response.headers["Set-Cookie"].split(";")[0]
    return cookie, re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_parallel_attempts_are_counted_exactly(live):
    """ "Parallel attempts are counted exactly on PostgreSQL too": sixteen wrong passwords sent
    at once used to be checked against the count before any was recorded, so all sixteen
    were tried; now exactly five are, and the right password after them is refused."""
    cookie, token = _login_form(live.base)
    barrier = threading.Barrier(PARALLEL)
    codes: list[int] = []

    def post(password: str) -> int:
        body = urllib.parse.urlencode({"email": "target@tribunal.test", "password": password, "csrf_token": token})
        request = urllib.request.Request(  # noqa: S310  (loopback http)
            f"{live.base}/login", data=body.encode(), headers={"Cookie": cookie}, method="POST"
        )
        try:
            with NO_REDIRECTS.open(request, timeout=120) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return int(error.code)

    def one() -> None:
        barrier.wait()
        codes.append(post(WRONG))

    threads = [threading.Thread(target=one) for _ in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200] * 5 + [429] * (PARALLEL - 5)
    assert post(PASSWORD) == 429
    assert "database is locked" not in live.log.read_text()
