"""Two-factor sign-in with time-based one-time codes (TOTP, RFC 6238), required of
prosecutors and admins.

A code is six digits derived from the user's secret and the 30-second time step; a code from
one step either side of the server's clock is accepted (phones drift). A code works once: the
step of the last accepted code is stored, and that step and every earlier one are refused
afterwards, claimed by a conditional UPDATE so that two requests racing with the same code
cannot both win.

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
from services import auth
from services.signing import create_private_file

ISSUER = "Tribunal Scope"
STEP_SECONDS = 30
DIGITS = 6
# Codes from one step before or after the current one are accepted as well (clock drift).
DRIFT_STEPS = 1
# The role from which two-factor sign-in is required (roles are cumulative: admins too).
REQUIRED_FROM_ROLE = "prosecutor"
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
    auth.end_all_sessions(session, user, reason="two-factor reset")
    session.flush()
    return True
