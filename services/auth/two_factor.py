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

Setting up the app (enrolment) needs, beside the password, a one-time enrolment code that
``users create`` and ``users reset-2fa`` print: 80 random bits, valid 24 hours, used up by the
enrolment that succeeds, and stored only as its SHA-256. Without it, whoever first signed in
with a new account's password would choose its second factor.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
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
from services.auth import accounts as auth
from services.auth import throttle
from services.exports.signing import create_private_file

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


# What was wrong with a code typed at sign-in or enrolment (CodeCheck.problem)
WRONG_CODE = "code"  # the app's code
WRONG_ENROLMENT_CODE = "enrolment-code"  # the administrator's one-time code: wrong, used or expired
LOCKED = "locked"  # nothing was checked: too many wrong codes locked the account


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a code typed at sign-in or enrolment."""

    problem: str | None  # None when accepted
    earlier_failures: int = 0  # on acceptance: wrong codes typed since the last accepted one

    @property
    def accepted(self) -> bool:
        return self.problem is None

    @property
    def locked(self) -> bool:
        return self.problem == LOCKED


def check_code(session: Session, user: User, key: bytes, code: str, now: dt.datetime | None = None) -> CodeCheck:
    """Check a code typed at sign-in, counted on the server (see counted)."""
    return counted(session, user, lambda: None if verify(session, user, key, code, now) else WRONG_CODE, now)


def check_enrolment(
    session: Session,
    user: User,
    key: bytes,
    secret: str,
    code: str,
    enrolment_code: str,
    now: dt.datetime | None = None,
) -> CodeCheck:
    """Enrol ``user`` (see enrol), each failed try counted on the server like a wrong code."""
    return counted(session, user, lambda: enrol(session, user, key, secret, code, enrolment_code, now), now)


def counted(
    session: Session, user: User, attempt: Callable[[], str | None], now: dt.datetime | None = None
) -> CodeCheck:
    """Run ``attempt`` (a check answering None or what was wrong) counted on the server: the
    attempt is counted before it runs (the increment locks the user's row until the transaction
    ends, so parallel guesses wait their turn), the count is cleared when it succeeds, and the
    account is locked when the count reaches MAX_FAILURES."""
    failures = claim_attempt(session, user)
    if failures is None:
        return CodeCheck(LOCKED)
    try:
        problem = attempt()
    except TwoFactorError:
        _set_failures(session, user, failures - 1)  # the server's fault, not a guess
        raise
    return settle_attempt(session, user, failures, problem, now or utcnow())


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


def settle_attempt(session: Session, user: User, failures: int, problem: str | None, now: dt.datetime) -> CodeCheck:
    """After claim_attempt: clear the count when the attempt succeeded, lock at MAX_FAILURES."""
    if problem is None:
        _set_failures(session, user, 0)
        return CodeCheck(None, earlier_failures=failures - 1)
    if failures >= MAX_FAILURES:
        user.sign_in_locked_at = now
        session.flush()
        return CodeCheck(LOCKED)
    return CodeCheck(problem)


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


def enrol(
    session: Session,
    user: User,
    key: bytes,
    secret: str,
    code: str,
    enrolment_code: str,
    now: dt.datetime | None = None,
) -> str | None:
    """Save ``secret`` as ``user``'s once ``enrolment_code`` (the one-time code an administrator
    gave them) is right and unexpired and ``code`` proves their app holds the secret: None then,
    and both codes are used up; otherwise what was wrong (WRONG_ENROLMENT_CODE, WRONG_CODE),
    and nothing is saved or used up."""
    now = now or utcnow()
    if not enrolment_code_matches(user, enrolment_code, now):
        return WRONG_ENROLMENT_CODE
    step = matching_step(secret, code, now)
    if step is None:
        return WRONG_CODE
    if not _use_enrolment_code(session, user, enrolment_code, now):
        return WRONG_ENROLMENT_CODE  # used meanwhile by a parallel request
    user.totp_secret = encrypt_secret(key, stored_binding(user), secret)
    user.totp_last_step = step
    user.totp_enrolled_at = now
    session.flush()
    return None


# --- one-time enrolment codes -------------------------------------------------------------

ENROLMENT_CODE_BYTES = 10  # 80 random bits: 16 base32 characters, typed in four groups
ENROLMENT_CODE_LIFETIME = dt.timedelta(hours=24)


def enrolment_code_hash(code: str) -> str:
    """The SHA-256 of a code as typed, ignoring case, spaces and dashes."""
    return hashlib.sha256(re.sub(r"[\s-]", "", code).upper().encode("ascii", "replace")).hexdigest()


def issue_enrolment_code(session: Session, user: User, now: dt.datetime | None = None) -> str:
    """A new one-time code that lets ``user`` set up their app within ENROLMENT_CODE_LIFETIME
    (any earlier code stops working); only its hash is kept, so it is shown only now."""
    code = base64.b32encode(secrets.token_bytes(ENROLMENT_CODE_BYTES)).decode("ascii")
    user.enrolment_code_hash = enrolment_code_hash(code)
    user.enrolment_code_expires_at = (now or utcnow()) + ENROLMENT_CODE_LIFETIME
    session.flush()
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def enrolment_code_matches(user: User, code: str, now: dt.datetime) -> bool:
    expires = user.enrolment_code_expires_at
    if user.enrolment_code_hash is None or expires is None or expires <= now or len(code) > 64:
        return False
    return hmac.compare_digest(user.enrolment_code_hash, enrolment_code_hash(code))


def _use_enrolment_code(session: Session, user: User, code: str, now: dt.datetime) -> bool:
    """Clear the code if it is still ``user``'s and unexpired: a conditional UPDATE, so that
    two requests with the same code cannot both use it."""
    used = session.execute(
        update(User)
        .where(
            User.id == user.id,
            User.enrolment_code_hash == enrolment_code_hash(code),
            User.enrolment_code_expires_at > now,
        )
        .values(enrolment_code_hash=None, enrolment_code_expires_at=None)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        return False
    set_committed_value(user, "enrolment_code_hash", None)
    set_committed_value(user, "enrolment_code_expires_at", None)
    return True


def reset(session: Session, user: User, now: dt.datetime | None = None) -> str:
    """Forget ``user``'s secret (a lost phone) and any lock, and end their sessions (whoever holds
    the phone may be signed in); the new enrolment code they set up their app with at their
    next sign-in. Also gives a new code to someone who never set up their app (a code lost or
    expired)."""
    if user.totp_secret is not None or user.sign_in_locked_at is not None:
        auth.end_all_sessions(session, user, reason="two-factor reset")
    user.totp_secret = None
    user.totp_last_step = None
    user.totp_enrolled_at = None
    user.totp_failures = 0  # counted against the old secret
    user.sign_in_locked_at = None
    return issue_enrolment_code(session, user, now)
