"""Two-factor sign-in with time-based one-time codes (TOTP, RFC 6238), required of
prosecutors and admins.

A code is six digits derived from the user's secret and the 30-second time step; a code from
one step either side of the server's clock is accepted (phones drift). A code works once: the
step of the last accepted code is stored, and that step and every earlier one are refused
afterwards, claimed by a conditional UPDATE so that two requests racing with the same code
cannot both win.

Wrong codes are counted on the server, per account (never in the browser's cookie, which a
guesser could replay to start again): MAX_FAILURES in a row lock the account until an
administrator unlocks it (``flask --app app users unlock EMAIL``); the password step then
says so, and the first sign-in after wrong codes tells how many there were.

The secret is encrypted at rest (AES-256-GCM) with the instance's two-factor key, a file only
its owner may read (``TOTP_KEY_PATH``, by default in the instance folder), created on first use
like the export signing key. A copy of the database (a backup, a dump) then does not hand out
the second factor along with the password hashes. The key is kept apart from ``SECRET_KEY`` so
rotating that (which ends every browser session) does not also lock out every prosecutor.
Each ciphertext is bound to its user's id, so a secret copied onto another account does not
decrypt. Losing the key means every prosecutor and admin enrols again
(``flask --app app users reset-2fa EMAIL``).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyotp
import segno
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import or_, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from models import User
from models.base import utcnow
from services import auth, throttle
from services.signing import create_private_file

ISSUER = "Tribunal Scope"
STEP_SECONDS = 30
DIGITS = 6
# Codes from one step before or after the current one are accepted as well (clock drift).
DRIFT_STEPS = 1
# The role from which two-factor sign-in is required (roles are cumulative: admins too).
REQUIRED_FROM_ROLE = "prosecutor"
# Wrong codes in a row after which the account is locked until an administrator unlocks it:
# with three codes valid at any time (drift), ten guesses succeed once in 33,000 accounts.
MAX_FAILURES = 10
KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12
CIPHERTEXT_PREFIX = "v1:"  # the format of a stored secret, so it can change later

_CODE = re.compile(rf"\d{{{DIGITS}}}")


class TwoFactorError(ValueError):
    """A stored secret or key that cannot be used."""


def required_for(user: User) -> bool:
    return user.has_role(REQUIRED_FROM_ROLE)


def is_enrolled(user: User) -> bool:
    return user.totp_secret is not None


# --- the instance's two-factor key and the secrets it protects ----------------------------


def load_or_create_key(path: str | Path) -> bytes:
    """The 32-byte key at ``path``, created (mode 0600) when there is none yet."""
    path = Path(path)
    if path.exists():
        key = path.read_bytes()
        if len(key) != KEY_BYTES:
            raise TwoFactorError(f"{path} does not hold a {KEY_BYTES}-byte two-factor key")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    if not create_private_file(path, key):
        return load_or_create_key(path)
    return key


def encrypt_secret(key: bytes, bound_to: str, secret: str) -> str:
    """``secret`` encrypted with ``key``; ``bound_to`` (which user, what for) must match to decrypt."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(nonce, secret.encode("ascii"), bound_to.encode())
    return CIPHERTEXT_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt_secret(key: bytes, bound_to: str, stored: str) -> str:
    if not stored.startswith(CIPHERTEXT_PREFIX):
        raise TwoFactorError("the stored two-factor secret is in an unknown format")
    try:
        raw = base64.urlsafe_b64decode(stored[len(CIPHERTEXT_PREFIX) :])
        plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], bound_to.encode())
    except (binascii.Error, InvalidTag, ValueError) as exc:
        raise TwoFactorError("the two-factor secret does not decrypt with this instance's key") from exc
    return plain.decode("ascii")


def stored_binding(user: User) -> str:
    return f"users:{user.id}:totp"


def pending_binding(user: User) -> str:
    """For a secret shown during enrolment and not confirmed yet (kept in the browser session)."""
    return f"users:{user.id}:totp-enrolment"


# --- codes --------------------------------------------------------------------------------


def new_secret() -> str:
    """160 random bits in base32, as authenticator apps expect (RFC 4226 recommends 160)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, email: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_code_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG ``data:`` URI (the CSP allows images from data:)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=2))


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def time_step(now: dt.datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step)


def normalise_code(code: str) -> str:
    """Digits as typed, with the spaces or dashes some apps show in the middle removed."""
    return re.sub(r"[\s-]", "", code)


def matching_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The time step within the drift window whose code is ``code``, or None."""
    code = normalise_code(code)
    if not _CODE.fullmatch(code):
        return None
    current = time_step(now)
    found = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if hmac.compare_digest(code_at(secret, step), code):  # every step compared: no timing hint
            found = step
    return found


# --- sign-in, enrolment and reset ---------------------------------------------------------


def verify(session: Session, user: User, key: bytes, code: str, now: dt.datetime | None = None) -> bool:
    """True when ``code`` is a valid code of ``user``'s that was never accepted before (nor any
    later one); the step is then used up. Refused when the user has no secret."""
    if user.totp_secret is None:
        return False
    now = now or utcnow()
    step = matching_step(decrypt_secret(key, stored_binding(user), user.totp_secret), code, now)
    if step is None:
        return False
    claimed = session.execute(
        update(User)
        .where(User.id == user.id, or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a code typed at sign-in."""

    accepted: bool
    locked: bool = False  # the account is locked (by this attempt or before it): nothing was checked
    earlier_failures: int = 0  # on acceptance: wrong codes typed since the last accepted one


def check_code(session: Session, user: User, key: bytes, code: str, now: dt.datetime | None = None) -> CodeCheck:
    """Check a code typed at sign-in, counted on the server (see counted)."""
    return counted(session, user, lambda: verify(session, user, key, code, now), now)


def counted(session: Session, user: User, attempt: Callable[[], bool], now: dt.datetime | None = None) -> CodeCheck:
    """Run ``attempt`` (a code check) counted on the server: the attempt is counted before it
    runs (the increment locks the user's row until the transaction ends, so parallel guesses
    wait their turn), the count is cleared when it succeeds, and the account is locked when
    the count reaches MAX_FAILURES."""
    failures = claim_attempt(session, user)
    if failures is None:
        return CodeCheck(False, locked=True)
    try:
        accepted = attempt()
    except TwoFactorError:
        _set_failures(session, user, failures - 1)  # the server's fault, not a guess
        raise
    return settle_attempt(session, user, failures, accepted, now or utcnow())


def claim_attempt(session: Session, user: User) -> int | None:
    """Count one more code attempt for ``user`` before checking it; the count including it,
    or None when the account is locked (and nothing was counted)."""
    failures = session.execute(
        update(User)
        .where(User.id == user.id, User.sign_in_locked_at.is_(None))
        .values(totp_failures=User.totp_failures + 1)
        .returning(User.totp_failures)
        .execution_options(synchronize_session=False)
    ).scalar()
    if failures is not None:
        set_committed_value(user, "totp_failures", failures)
    return failures


def settle_attempt(session: Session, user: User, failures: int, accepted: bool, now: dt.datetime) -> CodeCheck:
    """After claim_attempt: clear the count when the code was right, lock at MAX_FAILURES."""
    if accepted:
        _set_failures(session, user, 0)
        return CodeCheck(True, earlier_failures=failures - 1)
    if failures >= MAX_FAILURES:
        user.sign_in_locked_at = now
        session.flush()
        return CodeCheck(False, locked=True)
    return CodeCheck(False)


def _set_failures(session: Session, user: User, failures: int) -> None:
    session.execute(
        update(User)
        .where(User.id == user.id)
        .values(totp_failures=failures)
        .execution_options(synchronize_session=False)
    )
    set_committed_value(user, "totp_failures", failures)


def unlock(session: Session, user: User) -> bool:
    """Let ``user`` sign in again after a lock (an administrator's decision); False when the
    account was not locked. Its wrong codes and the throttle's count of its failures are forgotten."""
    was_locked = user.sign_in_locked_at is not None
    user.sign_in_locked_at = None
    user.totp_failures = 0
    throttle.clear_account(session, user.email)
    session.flush()
    return was_locked


def enrol(session: Session, user: User, key: bytes, secret: str, code: str, now: dt.datetime | None = None) -> bool:
    """Save ``secret`` as ``user``'s once ``code`` proves their app holds it; False (and
    nothing saved) when the code does not match. The confirming code is used up."""
    now = now or utcnow()
    step = matching_step(secret, code, now)
    if step is None:
        return False
    user.totp_secret = encrypt_secret(key, stored_binding(user), secret)
    user.totp_last_step = step
    user.totp_enrolled_at = now
    session.flush()
    return True


def reset(session: Session, user: User) -> bool:
    """Forget ``user``'s secret (a lost phone): they enrol again at their next sign-in. Their
    sessions end, as whoever holds the phone may be signed in. False if there was nothing to reset."""
    if user.totp_secret is None:
        return False
    user.totp_secret = None
    user.totp_last_step = None
    user.totp_enrolled_at = None
    user.totp_failures = 0  # counted against the old secret
    user.sign_in_locked_at = None
    auth.end_all_sessions(session, user, reason="two-factor reset")
    session.flush()
    return True
