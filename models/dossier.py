"""The case-level record for one candidate defendant; its assessment is computed, never stored."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_check, enum_column, utcnow
from models.enums import DOSSIER_STATUSES

if TYPE_CHECKING:
    from models.official import Official
    from models.user import User


class Dossier(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "dossier"
    __table_args__ = (enum_check("status", DOSSIER_STATUSES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"), unique=True, index=True, nullable=False)
    status: Mapped[str] = enum_column(DOSSIER_STATUSES, default="candidate")
    lead_prosecutor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    theory: Mapped[str | None] = mapped_column(Text, nullable=True)  # the theory of the case
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    official: Mapped[Official] = relationship()
    lead_prosecutor: Mapped[User | None] = relationship()
    status_changes: Mapped[list[DossierStatusChange]] = relationship(
        back_populates="dossier", order_by="DossierStatusChange.id"
    )

    @property
    def audit_parent(self) -> tuple[str, int]:
        return ("official", self.official_id)


class DossierStatusChange(Base):
    """One change of a dossier's status: who made it, when, and why. Never edited."""

    __tablename__ = "dossier_status_change"
    __table_args__ = (
        enum_check("from_status", DOSSIER_STATUSES, nullable=True),
        enum_check("to_status", DOSSIER_STATUSES),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True, nullable=False)
    from_status: Mapped[str | None] = enum_column(DOSSIER_STATUSES, nullable=True)  # None: first status
    to_status: Mapped[str] = enum_column(DOSSIER_STATUSES)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)

    dossier: Mapped[Dossier] = relationship(back_populates="status_changes")
    changed_by: Mapped[User | None] = relationship()

    @property
    def audit_parent(self) -> tuple[str, int]:
        return ("dossier", self.dossier_id)
