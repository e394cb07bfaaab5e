"""Public bodies of a State and the posts within them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, VersionedMixin, enum_check, enum_column
from models.enums import INSTITUTION_KINDS, POSITION_TIERS, TROIKA_KINDS

if TYPE_CHECKING:
    from models.official import Tenure
    from models.state import State


class Institution(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "institution"
    __table_args__ = (
        UniqueConstraint("state_id", "name"),
        enum_check("kind", INSTITUTION_KINDS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state_id: Mapped[int] = mapped_column(ForeignKey("state.id"), index=True, nullable=False)
    # A ministry's general staff, a chamber's committee ...
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("institution.id"), index=True, nullable=True)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    native_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    kind: Mapped[str] = enum_column(INSTITUTION_KINDS)

    state: Mapped[State] = relationship(back_populates="institutions")
    parent: Mapped[Institution | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Institution]] = relationship(back_populates="parent")
    positions: Mapped[list[Position]] = relationship(back_populates="institution")

    def __repr__(self) -> str:
        return f"<Institution {self.name!r}>"


class Position(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "position"
    __table_args__ = (
        UniqueConstraint("institution_id", "title"),
        enum_check("tier", POSITION_TIERS),
        enum_check("troika", TROIKA_KINDS, nullable=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institution.id"), index=True, nullable=False)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    # leadership: able to direct the State's political or military action (element E2)
    tier: Mapped[str] = enum_column(POSITION_TIERS)
    # head of state / government or foreign minister: indictable, trial in absentia deferred in office
    troika: Mapped[str | None] = enum_column(TROIKA_KINDS, nullable=True)

    institution: Mapped[Institution] = relationship(back_populates="positions")
    tenures: Mapped[list[Tenure]] = relationship(back_populates="position")

    @property
    def full_title(self) -> str:
        """The post with its institution, once where they read the same ("President of ...")."""
        if self.title == self.institution.name:
            return self.title
        return f"{self.title}, {self.institution.name}"

    def __repr__(self) -> str:
        return f"<Position {self.title!r}>"
