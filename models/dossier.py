"""The case-level record for one candidate defendant; its assessment is computed, never stored."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, VersionedMixin, enum_check, enum_column
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
