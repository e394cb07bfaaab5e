"""Accounts, passwords and server-side sign-in sessions.

Passwords are hashed with Argon2id. A sign-in creates a UserSession whose random token
lives only in the browser's (signed) cookie; the database keeps its SHA-256, so the table
leaks nothing usable. Sign-out, idle timeout, the absolute lifetime, a password change and
a disabled account all end sessions server-side, so a replayed cookie is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from sqlalchemy import select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, joinedload

from models import User, UserSession
from models.base import utcnow
from models.enums import CLASSIFICATIONS, USER_ROLES
from services.auth import throttle

log = logging.getLogger(__name__)

SESSION_TOKEN_KEY = "sid"  # noqa: S105  (where the cookie keeps the session token; not a secret)
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024  # hashing a megabyte of "password" is a denial of service

# Argon2id cost parameters (time cost, memory in KiB, lanes) by name; the app's
# ARGON2_COST picks one. "standard" is the library's current recommendation; "test"
# is for the test suite only (TestingConfig), where one verify per sign-in would otherwise
# dominate the run; it is never chosen outside the testing mode.
HASH_COSTS: dict[str, tuple[int, int, int]] = {"standard": (3, 65536, 4), "test": (1, 8, 1)}
_hashers: dict[str, tuple[PasswordHasher, str]] = {}


def _hasher() -> tuple[PasswordHasher, str]:
    """The configured hasher, and a hash made with it that nobody's password matches: it is
    verified against when the account does not exist, so timing does not reveal which do."""
    name = current_app.config.get("ARGON2_COST", "standard") if has_app_context() else "standard"
    if name not in _hashers:
        time_cost, memory_cost, parallelism = HASH_COSTS[name]
        hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
        _hashers[name] = (hasher, hasher.hash(secrets.token_hex(16)))
    return _hashers[name]


class AccountError(ValueError):
    """A refused account operation, with a message fit to show the user."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.")


def hash_password(password: str) -> str:
    check_password_rules(password)
    return _hasher()[0].hash(password)


def password_matches(user: User | None, password: str) -> bool:
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    hasher, dummy = _hasher()
    stored = user.password_hash if user is not None and user.password_hash else dummy
    try:
        return hasher.verify(stored, password) and user is not None and bool(user.password_hash)
    except (VerificationError, InvalidHashError):
        return False


def create_user(session: Session, email: str, *, role: str, clearance: str, password: str) -> User:
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise AccountError(f"{email!r} is not an e-mail address.")
    if role not in USER_ROLES:
        raise AccountError(f"Unknown role {role!r}: choose one of {', '.join(USER_ROLES)}.")
    if clearance not in CLASSIFICATIONS:
        raise AccountError(f"Unknown clearance {clearance!r}: choose one of {', '.join(CLASSIFICATIONS)}.")
    if session.scalar(select(User).where(User.email == email)) is not None:
        raise AccountError(f"A user {email} already exists.")
    user = User(email=email, role=role, clearance=clearance, password_hash=hash_password(password))
    user.password_changed_at = utcnow()
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == normalise_email(email)))


def set_password(session: Session, user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    end_all_sessions(session, user, reason="password changed")


def disable_user(session: Session, user: User) -> None:
    user.active = False
    end_all_sessions(session, user, reason="account disabled")


def end_all_sessions(session: Session, user: User, *, reason: str) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_reason=reason)
    )


# --- sign-in ------------------------------------------------------------------------------


@dataclass
class SignInResult:
    user: User | None  # None: refused (the view words the message in the user's language)
    retry_after: dt.timedelta | None = None  # refused unchecked: too many failures (services/auth/throttle.py)
    locked: bool = False  # the password was right, but too many wrong two-factor codes locked the account

    @property
    def throttled(self) -> bool:
        return self.retry_after is not None


def device_stamp(user: User) -> str:
    """What a remembered device's cookie carries of the account's password, so that the
    cookie stops counting once the password changes (a digest of the hash: nothing usable)."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def is_remembered(user: User | None, device: tuple[int, str] | None) -> bool:
    """Whether ``device`` (user id and stamp from a signed cookie, or None) is one ``user``
    completed a sign-in on since their password last changed."""
    return user is not None and device is not None and tuple(device) == (user.id, device_stamp(user))


def sign_in(
    session: Session,
    email: str,
    password: str,
    *,
    address: str,
    device: tuple[int, str] | None = None,
    now: dt.datetime | None = None,
) -> SignInResult:
    """Check a password, counted by the throttle of this account and client ``address``
    (services/auth/throttle.py); ``device`` is what the browser's remembered-device cookie names."""
    now = now or utcnow()
    email = normalise_email(email)[:254]
    user = find_user(session, email)
    taken = throttle.hold(session, email, address, remembered=is_remembered(user, device), now=now)
    if taken.retry_after is not None:
        return SignInResult(None, retry_after=taken.retry_after)
    ok = password_matches(user, password) and user is not None and user.active
    if not ok or user is None:
        throttle.record_failure(session, taken)
        log.warning("failed sign-in for %s from %s", email, address)  # as typed; the record factory escapes it
        return SignInResult(None)
    throttle.record_success(session, taken)
    if user.sign_in_locked_at is not None:
        return SignInResult(None, locked=True)
    return SignInResult(user)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User, now: dt.datetime | None = None) -> str:
    """A new server-side session for ``user``; returns the token for the cookie."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(UserSession(token_hash=_token_hash(token), user=user, created_at=now, last_seen_at=now))
    session.flush()
    return token


def end_session(session: Session, token: str, *, reason: str = "signed out") -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.token_hash == _token_hash(token), UserSession.ended_at.is_(None))
        .values(ended_at=utcnow(), ended_reason=reason)
    )


def resume_session(
    session: Session,
    token: str,
    *,
    idle: dt.timedelta,
    lifetime: dt.timedelta,
    now: dt.datetime | None = None,
) -> User | None:
    """The user behind a live session token, or None (and the session ended) when it has
    expired, was ended, or its account is disabled."""
    now = now or utcnow()
    row = session.scalar(
        select(UserSession)
        .where(UserSession.token_hash == _token_hash(token))
        .options(joinedload(UserSession.user))  # one query per request for who is asking
    )
    if row is None or row.ended_at is not None:
        return None
    reason = None
    if not row.user.active:
        reason = "account disabled"
    elif now - row.last_seen_at > idle:
        reason = "idle timeout"
    elif now - row.created_at > lifetime:
        reason = "lifetime reached"
    if reason:
        row.ended_at, row.ended_reason = now, reason
        return None
    if now - row.last_seen_at > dt.timedelta(seconds=60):  # one write a minute is enough
        touch_later(session, UserSession, row.id, last_seen_at=now)
    return row.user


# --- bookkeeping written after the request's own transaction ------------------------------

_TOUCHES = "touch_later"


def touch_later(session: Session, model: Any, record_id: int, **values: Any) -> None:
    """Note a bookkeeping write (when a session or token was last used) to make once the
    request's transaction has ended, in a short one of its own: written inside a request
    that only reads, it would turn a reading transaction into a writing one, which SQLite
    refuses at once when another writer got in between."""
    session.info.setdefault(_TOUCHES, []).append((model, record_id, values))


def write_touches(session: Session) -> None:
    """Make the noted bookkeeping writes; a lost one is harmless, so failures are ignored."""
    touches = session.info.pop(_TOUCHES, None)
    if not touches:
        return
    try:
        for model, record_id, values in touches:
            session.execute(update(model).where(model.id == record_id).values(**values))
        session.commit()
    except OperationalError:
        session.rollback()
