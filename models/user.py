"""People who use the system, with a role and a clearance level."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_check, enum_column, utcnow
from models.enums import CLASSIFICATIONS, LOCALES, USER_ROLES


class User(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "users"  # "user" is reserved in PostgreSQL
    __table_args__ = (
        enum_check("role", USER_ROLES),
        enum_check("clearance", CLASSIFICATIONS),
        enum_check("locale", LOCALES, nullable=True),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
        # Enrolment is all or nothing: a secret always comes with the time it was set up
        CheckConstraint("(totp_secret IS NULL) = (totp_enrolled_at IS NULL)", name="totp_enrolment_whole"),
        CheckConstraint("totp_failures >= 0", name="totp_failures_not_negative"),
        CheckConstraint(
            "(enrolment_code_hash IS NULL) = (enrolment_code_expires_at IS NULL)", name="enrolment_code_whole"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)  # stored lower-case
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)  # Argon2id
    role: Mapped[str] = enum_column(USER_ROLES, default="viewer")
    # The most protected classification this user may see
    clearance: Mapped[str] = enum_column(CLASSIFICATIONS, default="public")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Interface language the user chose (remembered across sessions)
    locale: Mapped[str | None] = enum_column(LOCALES, nullable=True)
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Two-factor sign-in (required of prosecutors and admins): the TOTP secret, encrypted with
    # the instance's two-factor key (services/auth/two_factor.py); None until the user enrols
    totp_secret: Mapped[str | None] = mapped_column(String(255), nullable=True)
    # The time step (Unix time // 30) of the last code accepted: it and every earlier one are
    # refused from then on, so a code works once
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)
    totp_enrolled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Wrong two-factor codes since the last accepted one, counted on the server (never in the
    # browser's cookie, which a guesser could replay); the user is told of them at sign-in
    totp_failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    # Set when totp_failures reaches services/auth/two_factor.py MAX_FAILURES: nobody signs in to the
    # account until an administrator unlocks it (`flask users unlock`)
    sign_in_locked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The one-time code that lets the user set up their authenticator app (printed by `users
    # create` and `users reset-2fa`): its SHA-256 (80 random bits: no dictionary reaches it) and
    # when it stops working; both cleared once it is used
    enrolment_code_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    enrolment_code_expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    sessions: Mapped[list[UserSession]] = relationship(back_populates="user")

    # The interface Flask-Login expects of a signed-in user.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return str(self.id)

    def has_role(self, role: str) -> bool:
        """Roles are cumulative: an admin is also a prosecutor, analyst and viewer."""
        return self.active and USER_ROLES.index(self.role) >= USER_ROLES.index(role)

    def may_see(self, classification: str) -> bool:
        return self.active and CLASSIFICATIONS.index(self.clearance) >= CLASSIFICATIONS.index(classification)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class UserSession(Base):
    """A server-side sign-in session. The browser's cookie holds only a random token whose
    SHA-256 is stored here; ending the row (sign-out, idle timeout, password change,
    disabled account) makes a replayed cookie worthless."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    ended_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)

    user: Mapped[User] = relationship(back_populates="sessions")


class LoginThrottle(Base):
    """Failed sign-ins counted for one throttle bucket (services/auth/throttle.py): a client address
    (``account`` empty), an account at a client address, or an account from anywhere (``address``
    empty). One row per bucket, updated in place under a row lock, so parallel attempts are
    counted exactly; rows idle for a day are purged as others are written."""

    __tablename__ = "login_throttle"
    __table_args__ = (
        CheckConstraint("account <> '' OR address <> ''", name="names_a_bucket"),
        CheckConstraint("failures >= 0", name="failures_not_negative"),
    )

    # The account name as typed, lower-cased ('' = every account), whether or not such an account exists
    account: Mapped[str] = mapped_column(String(254), primary_key=True)
    # The client's address, an IPv6 client's /64 network ('' = every address)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Failures in the current streak; a streak is forgotten after a quiet period (per bucket kind)
    failures: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    last_failure_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Attempts in this bucket are refused until then (the back-off)
    blocked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The last attempt that used this bucket: the purge removes rows idle for long
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, index=True)


class ApiToken(Base):
    """A bearer token for the JSON API. Only the SHA-256 of the token is kept; the token
    itself is shown once, when it is issued. A token acts with its user's role and clearance."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    # What the token is for, as its issuer described it ("evidence database sync")
    label: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User] = relationship()

    def is_live(self, now: dt.datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at and self.user.active and not self.predates_password()

    def predates_password(self) -> bool:
        """Issued before its user's password last changed: it stopped working then, as their
        sessions did (whoever learnt the old password may have issued it, or copied it)."""
        changed = self.user.password_changed_at
        return changed is not None and self.created_at < changed
