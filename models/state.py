"""States whose officials and acts the tribunal considers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, VersionedMixin, enum_check, enum_column
from models.enums import STATE_ROLES

if TYPE_CHECKING:
    from models.institution import Institution


class State(TimestampMixin, VersionedMixin, Base):
    __tablename__ = "state"
    __table_args__ = (enum_check("role", STATE_ROLES),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # ISO 3166-1 alpha-2 code (RU, BY, KP, UA)
    code: Mapped[str] = mapped_column(String(2), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    # The State's part in the aggression: aggressor, co-aggressor by territory (Art. 3(f)), ...
    role: Mapped[str] = enum_column(STATE_ROLES)

    institutions: Mapped[list[Institution]] = relationship(back_populates="state")

    def __repr__(self) -> str:
        return f"<State {self.code}>"
