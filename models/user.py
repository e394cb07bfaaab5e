"""People who use the system, with a role and a clearance level."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, TimestampMixin, VersionedMixin, enum_check, enum_column
from models.enums import CLASSIFICATIONS, USER_ROLES


class User(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "users"  # "user" is reserved in PostgreSQL
    __table_args__ = (
        enum_check("role", USER_ROLES),
        enum_check("clearance", CLASSIFICATIONS),
        CheckConstraint("email = lower(email)", name="email_lower_case"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, nullable=False)  # stored lower-case
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    password_hash: Mapped[str | None] = mapped_column(String(255), nullable=True)  # Argon2id
    role: Mapped[str] = enum_column(USER_ROLES, default="viewer")
    # The most protected classification this user may see
    clearance: Mapped[str] = enum_column(CLASSIFICATIONS, default="public")
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)

    def has_role(self, role: str) -> bool:
        """Roles are cumulative: an admin is also a prosecutor, analyst and viewer."""
        return self.active and USER_ROLES.index(self.role) >= USER_ROLES.index(role)

    def may_see(self, classification: str) -> bool:
        return self.active and CLASSIFICATIONS.index(self.clearance) >= CLASSIFICATIONS.index(classification)

    def __repr__(self) -> str:
        return f"<User {self.email}>"
