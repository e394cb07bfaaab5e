"""The case-level record for one candidate defendant; its assessment is computed, never stored."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_check, enum_column, utcnow
from models.enums import DOSSIER_STATUSES, LIABILITY_MODES

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
    mode_choices: Mapped[list[ModeChoice]] = relationship(back_populates="dossier", order_by="ModeChoice.id")

    @property
    def mode_choice(self) -> ModeChoice | None:
        """The prosecutors' latest choice of the modes of liability to charge (None: none made)."""
        return self.mode_choices[-1] if self.mode_choices else None

    @property
    def charged_modes(self) -> tuple[str, ...]:
        choice = self.mode_choice
        return choice.modes if choice else ()

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


class ModeChoice(Base):
    """A prosecutor's choice of the modes of liability (Rome Statute Art. 25(3)) to charge, with
    the reason, who made it and when. Never edited: a new choice replaces it, and the latest is
    the dossier's. An empty choice (no mode) withdraws an earlier one."""

    __tablename__ = "mode_choice"
    __table_args__ = (CheckConstraint("length(reason) > 0", name="reason_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossier.id"), index=True, nullable=False)
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    chosen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    reason: Mapped[str] = mapped_column(Text, nullable=False)

    dossier: Mapped[Dossier] = relationship(back_populates="mode_choices")
    chosen_by: Mapped[User | None] = relationship()
    charged: Mapped[list[ChargedMode]] = relationship(back_populates="choice", order_by="ChargedMode.id")

    @property
    def modes(self) -> tuple[str, ...]:
        """The modes charged, in the order of Art. 25(3)."""
        chosen = {c.mode for c in self.charged}
        return tuple(m for m in LIABILITY_MODES if m in chosen)

    @property
    def audit_parent(self) -> tuple[str, int]:
        return ("dossier", self.dossier_id)


class ChargedMode(Base):
    """One mode of liability a choice charges. Never edited."""

    __tablename__ = "charged_mode"
    __table_args__ = (UniqueConstraint("choice_id", "mode"), enum_check("mode", LIABILITY_MODES))

    id: Mapped[int] = mapped_column(primary_key=True)
    choice_id: Mapped[int] = mapped_column(ForeignKey("mode_choice.id"), index=True, nullable=False)
    mode: Mapped[str] = enum_column(LIABILITY_MODES)

    choice: Mapped[ModeChoice] = relationship(back_populates="charged")

    @property
    def audit_parent(self) -> tuple[str, int]:
        return ("mode_choice", self.choice_id)
