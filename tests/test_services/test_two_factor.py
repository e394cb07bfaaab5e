"""Two-factor codes: a valid code works once, one step of clock drift either way, secrets
encrypted at rest and bound to their user, and the reset."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat

import pyotp
import pytest
from sqlalchemy import select

from models import AuditEvent, User, UserSession
from models.base import utcnow
from services.auth import accounts as auth_service
from services.auth import two_factor
from tests.conftest import TOTP_SECRET

T0 = dt.datetime(2026, 11, 29, 12, 0, 10, tzinfo=dt.UTC)  # 10 s into a 30-second step
STEP = dt.timedelta(seconds=30)


@pytest.fixture
def key(tmp_path):
    return two_factor.load_or_create_key(tmp_path / "totp-key")


@pytest.fixture
def enrolled(session, make_user, key):
    """A prosecutor whose app holds TOTP_SECRET, enrolled at T0 - 1 h."""
    user = make_user("prosecutor", two_factor=False)
    earlier = T0 - dt.timedelta(hours=1)
    enrolment = two_factor.issue_enrolment_code(session, user, now=earlier)
    assert two_factor.enrol(session, user, key, TOTP_SECRET, code(earlier), enrolment, now=earlier) is None
    return user


def code(at: dt.datetime, secret: str = TOTP_SECRET) -> str:
    """What an authenticator app shows at ``at`` (pyotp's own reckoning, not the service's)."""
    return pyotp.TOTP(secret).at(at)


def test_only_prosecutors_and_admins_need_two_factor(make_user):
    needs = {role: two_factor.required_for(make_user(role)) for role in ("viewer", "analyst", "prosecutor", "admin")}
    assert needs == {"viewer": False, "analyst": False, "prosecutor": True, "admin": True}


def test_a_valid_code_works_once(session, enrolled, key):
    assert two_factor.verify(session, enrolled, key, code(T0), now=T0)
    assert not two_factor.verify(session, enrolled, key, code(T0), now=T0)  # replayed
    assert not two_factor.verify(session, enrolled, key, code(T0), now=T0 + dt.timedelta(seconds=15))
    session.expire_all()
    assert enrolled.totp_last_step == int(T0.timestamp()) // 30


def test_an_earlier_code_is_refused_after_a_later_one(session, enrolled, key):
    assert two_factor.verify(session, enrolled, key, code(T0 + STEP), now=T0)  # the phone runs ahead
    assert not two_factor.verify(session, enrolled, key, code(T0), now=T0)
    assert two_factor.verify(session, enrolled, key, code(T0 + 2 * STEP), now=T0 + 2 * STEP)


def test_one_step_of_drift_either_way_and_no_more(session, enrolled, key):
    assert not two_factor.verify(session, enrolled, key, code(T0 - 2 * STEP), now=T0)
    assert not two_factor.verify(session, enrolled, key, code(T0 + 2 * STEP), now=T0)
    assert two_factor.verify(session, enrolled, key, code(T0 - STEP), now=T0)
    assert two_factor.verify(session, enrolled, key, code(T0 + STEP), now=T0)


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "12 34 5x", "000000"])
def test_wrong_or_malformed_codes_are_refused(session, enrolled, key, typed):
    assert typed not in {code(T0 + n * STEP) for n in (-1, 0, 1)}  # wrong at T0, whatever the step
    assert not two_factor.verify(session, enrolled, key, typed, now=T0)
    session.expire_all()
    assert enrolled.totp_last_step == int((T0 - dt.timedelta(hours=1)).timestamp()) // 30  # nothing used up


def test_spaces_and_dashes_inside_a_code_are_ignored(session, enrolled, key):
    typed = code(T0)
    assert two_factor.verify(session, enrolled, key, f" {typed[:3]} {typed[3:]} ", now=T0)
    assert not two_factor.verify(session, enrolled, key, f"{typed[:3]}-{typed[3:]}", now=T0)  # still once


def test_user_without_a_secret_is_refused(session, make_user, key):
    user = make_user("admin", two_factor=False)
    assert not two_factor.is_enrolled(user)
    assert not two_factor.verify(session, user, key, code(T0), now=T0)


def test_enrolment_needs_a_code_from_the_new_secret(session, make_user, key):
    user = make_user("admin", two_factor=False)
    enrolment = two_factor.issue_enrolment_code(session, user, now=T0)
    secret = two_factor.new_secret()
    assert len(secret) == 32 and pyotp.TOTP(secret).now()  # 160 bits, base32
    wrong = two_factor.enrol(session, user, key, secret, code(T0, TOTP_SECRET), enrolment, now=T0)
    assert wrong == two_factor.WRONG_CODE
    assert user.totp_secret is None and user.totp_enrolled_at is None and user.enrolment_code_hash is not None
    assert two_factor.enrol(session, user, key, secret, code(T0, secret), enrolment, now=T0) is None
    assert user.totp_enrolled_at == T0
    # the confirming code is used up: it cannot start a sign-in afterwards
    assert not two_factor.verify(session, user, key, code(T0, secret), now=T0)
    assert two_factor.verify(session, user, key, code(T0 + STEP, secret), now=T0 + STEP)


def test_enrolment_codes_are_stored_hashed_used_once_and_expire(session, make_user, key):
    user = make_user("prosecutor", two_factor=False)
    secret = two_factor.new_secret()
    enrolment = two_factor.issue_enrolment_code(session, user, now=T0)
    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", enrolment)
    stored = session.scalar(select(User.enrolment_code_hash).where(User.id == user.id))
    assert enrolment.replace("-", "") not in stored and len(stored) == 64
    later = T0 + two_factor.ENROLMENT_CODE_LIFETIME
    expired = two_factor.enrol(session, user, key, secret, code(later, secret), enrolment, now=later)
    assert expired == two_factor.WRONG_ENROLMENT_CODE
    nearly = later - STEP
    typed = enrolment.lower().replace("-", " ")  # as someone might type it
    assert two_factor.enrol(session, user, key, secret, code(nearly, secret), typed, now=nearly) is None
    assert user.enrolment_code_hash is None and user.enrolment_code_expires_at is None
    two_factor.reset(session, user)
    again = two_factor.enrol(session, user, key, secret, code(nearly, secret), enrolment, now=nearly)
    assert again == two_factor.WRONG_ENROLMENT_CODE  # used once already; reset gave a new one


def test_secret_is_encrypted_at_rest_and_bound_to_its_user(session, enrolled, make_user, key, tmp_path):
    stored = session.scalar(select(User.totp_secret).where(User.id == enrolled.id))
    assert stored.startswith("v1:") and TOTP_SECRET not in stored
    assert two_factor.decrypt_secret(key, two_factor.stored_binding(enrolled), stored) == TOTP_SECRET
    other = make_user("admin", two_factor=False)
    with pytest.raises(two_factor.TwoFactorError):
        two_factor.decrypt_secret(key, two_factor.stored_binding(other), stored)  # copied onto another account
    other_key = two_factor.load_or_create_key(tmp_path / "another-key")
    with pytest.raises(two_factor.TwoFactorError):
        two_factor.decrypt_secret(other_key, two_factor.stored_binding(enrolled), stored)


def test_the_audit_trail_keeps_no_copy_of_the_secret(session, enrolled):
    session.commit()  # the trail takes a transaction's events when it commits
    events = session.scalars(select(AuditEvent).where(AuditEvent.entity_type == "users")).all()
    stored = enrolled.totp_secret
    assert events and all(stored not in str(event.after) and stored not in str(event.before) for event in events)


def test_key_file_is_created_once_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "keys" / "totp-key"
    first = two_factor.load_or_create_key(path)
    assert len(first) == 32 and two_factor.load_or_create_key(path) == first
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    path.write_bytes(b"short")
    with pytest.raises(two_factor.TwoFactorError, match="32-byte"):
        two_factor.load_or_create_key(path)


def test_provisioning_uri_and_qr_code(make_user):
    user = make_user("prosecutor")
    uri = two_factor.provisioning_uri(TOTP_SECRET, user.email)
    parsed = pyotp.parse_uri(uri)
    assert uri.startswith("otpauth://totp/Tribunal%20Scope:") and "issuer=Tribunal%20Scope" in uri
    assert parsed.secret == TOTP_SECRET and parsed.digits == 6 and parsed.interval == 30
    assert two_factor.qr_code_data_uri(uri).startswith("data:image/svg+xml")
    assert two_factor.grouped("ABCDEFGH") == "ABCD EFGH"


def test_reset_forgets_the_secret_and_ends_sessions(session, enrolled, key):
    token = auth_service.start_session(session, enrolled)
    enrolment = two_factor.reset(session, enrolled)
    assert enrolled.totp_secret is None and enrolled.totp_last_step is None and enrolled.totp_enrolled_at is None
    assert two_factor.enrolment_code_matches(enrolled, enrolment, utcnow())
    row = session.scalar(select(UserSession).where(UserSession.user_id == enrolled.id))
    assert row.ended_reason == "two-factor reset"
    assert auth_service.resume_session(session, token, idle=STEP * 60, lifetime=STEP * 1000) is None
    assert not two_factor.verify(session, enrolled, key, code(T0), now=T0)


def test_reset_command(runner, session, enrolled):
    result = runner.invoke(args=["users", "reset-2fa", enrolled.email.upper()])
    assert result.exit_code == 0, result.output
    assert "reset for" in result.output and "valid 24 hours" in result.output
    enrolment = result.output.strip().splitlines()[-1]
    session.expire_all()
    assert enrolled.totp_secret is None
    assert two_factor.enrolment_code_matches(enrolled, enrolment, utcnow())
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "users", AuditEvent.entity_id == enrolled.id)
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.action == "update" and event.actor_name == "cli: users reset-2fa"
    assert event.after["totp_enrolled_at"] is None and event.before["totp_enrolled_at"] is not None
    assert enrolment not in str(event.after) and enrolled.enrolment_code_hash not in str(event.after)
    again = runner.invoke(args=["users", "reset-2fa", enrolled.email])  # a lost code: a new one
    assert again.exit_code == 0 and "had not set up" in again.output
    session.expire_all()
    assert not two_factor.enrolment_code_matches(enrolled, enrolment, utcnow())
    missing = runner.invoke(args=["users", "reset-2fa", "ghost@tribunal.test"])
    assert missing.exit_code != 0 and "No user" in missing.output
