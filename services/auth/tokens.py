"""API tokens: issued from the command line, sent as ``Authorization: Bearer TOKEN``.

A token is 32 random bytes shown once; the database keeps its SHA-256, so the table leaks
nothing usable. Every token expires; a revoked or expired token, one whose user is disabled,
and one issued before its user's password last changed (as sessions end then) is refused. A
token has its user's role and clearance, nothing more. Users see their own tokens (when each
was issued and last used) and revoke them, on their tokens page and through the API.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import ApiToken, User
from models.base import utcnow
from models.enums import TokenState
from services.auth.accounts import touch_later

PREFIX = "tsk_"  # makes a leaked token recognisable to secret scanners
DEFAULT_EXPIRY_DAYS = 90
MAX_EXPIRY_DAYS = 366
MAX_TOKEN_LENGTH = 200  # longer Authorization values are refused before hashing


class TokenError(ValueError):
    """A refused token operation, with a message fit to show the user."""


@dataclass(frozen=True)
class IssuedToken:
    record: ApiToken
    secret: str  # shown once; never stored


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(
    session: Session,
    user: User,
    *,
    expires_days: int = DEFAULT_EXPIRY_DAYS,
    label: str | None = None,
    now: dt.datetime | None = None,
) -> IssuedToken:
    if not user.active:
        raise TokenError(f"{user.email} is disabled; a token would not work.")
    if not 1 <= expires_days <= MAX_EXPIRY_DAYS:
        raise TokenError(f"A token must expire within 1 to {MAX_EXPIRY_DAYS} days, not {expires_days}.")
    now = now or utcnow()
    secret = PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(
        token_hash=token_hash(secret),
        user=user,
        label=(label or "").strip()[:200] or None,
        created_at=now,
        expires_at=now + dt.timedelta(days=expires_days),
    )
    session.add(record)
    session.flush()
    return IssuedToken(record, secret)


def authenticate(session: Session, secret: str, now: dt.datetime | None = None) -> User | None:
    """The user a live token acts for, or None."""
    if not secret or len(secret) > MAX_TOKEN_LENGTH or not secret.isascii():
        return None
    now = now or utcnow()
    record = session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(secret)))
    if record is None or not record.is_live(now):
        return None
    if record.last_used_at is None or now - record.last_used_at > dt.timedelta(seconds=60):
        touch_later(session, ApiToken, record.id, last_used_at=now)  # one write a minute is enough
    return record.user


def find_token(session: Session, token_or_id: str) -> ApiToken | None:
    """A token by its number (as `users tokens` lists it) or by the token itself."""
    if token_or_id.isdigit():
        return session.get(ApiToken, int(token_or_id)) if len(token_or_id) < 10 else None
    return session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(token_or_id.strip())))


def revoke(session: Session, record: ApiToken, now: dt.datetime | None = None) -> bool:
    """Revoke ``record``; False when it was already revoked."""
    if record.revoked_at is not None:
        return False
    record.revoked_at = now or utcnow()
    session.flush()
    return True


def revoke_all(session: Session, user: User, now: dt.datetime | None = None) -> int:
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def own_token(session: Session, user: User, token_id: int) -> ApiToken | None:
    """``user``'s token number ``token_id``; None for anybody else's, as for a missing one."""
    return session.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))


# A token's state, as listed (CLI, tokens page, API): models/enums.py TokenState
STATES = TokenState.values()
LIVE, EXPIRED, REVOKED, PASSWORD_CHANGED, USER_DISABLED = STATES


def state(record: ApiToken, now: dt.datetime) -> str:
    """Why a token works or not; the first reason when there are several."""
    if record.revoked_at is not None:
        return REVOKED
    if record.predates_password():
        return PASSWORD_CHANGED
    if not record.user.active:
        return USER_DISABLED
    return LIVE if now < record.expires_at else EXPIRED
