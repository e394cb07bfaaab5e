"""Officials: natural persons, their names in every script, identifiers and tenures."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from models.ascii import to_ascii
from models.base import (
    Base,
    SoftDeleteMixin,
    TimestampMixin,
    VersionedMixin,
    enum_check,
    enum_column,
)
from models.enums import GENDERS, IDENTIFIER_SCHEMES, NAME_KINDS, SCRIPTS
from models.partial_date import (
    PRECISIONS,
    PartialDate,
    PeriodMixin,
    partial_date_checks,
    period_checks,
)

if TYPE_CHECKING:
    from models.decision import Involvement
    from models.evidence import Support
    from models.institution import Position
    from models.state import State


class Official(TimestampMixin, VersionedMixin, SoftDeleteMixin, Base):
    __tablename__ = "official"
    __table_args__ = (
        enum_check("native_script", SCRIPTS, nullable=True),
        enum_check("gender", GENDERS, nullable=True),
        *partial_date_checks("birth_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Primary Latin-script name, as the case file writes it
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    native_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    native_script: Mapped[str | None] = enum_column(SCRIPTS, nullable=True)
    # Nationality: the State whose political or military action the official could direct
    state_id: Mapped[int] = mapped_column(ForeignKey("state.id"), index=True, nullable=False)
    birth_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    birth_date_precision: Mapped[str | None] = enum_column(PRECISIONS, nullable=True)
    gender: Mapped[str | None] = enum_column(GENDERS, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)

    state: Mapped[State] = relationship()
    names: Mapped[list[OfficialName]] = relationship(
        back_populates="official", order_by="OfficialName.id", cascade="all, delete-orphan"
    )
    identifiers: Mapped[list[ExternalIdentifier]] = relationship(
        back_populates="official", order_by="ExternalIdentifier.id", cascade="all, delete-orphan"
    )
    tenures: Mapped[list[Tenure]] = relationship(back_populates="official", order_by="Tenure.start_date")
    involvements: Mapped[list[Involvement]] = relationship(back_populates="official")

    @property
    def birth(self) -> PartialDate | None:
        return PartialDate.from_columns(self.birth_date, self.birth_date_precision)

    @birth.setter
    def birth(self, value: PartialDate | None) -> None:
        self.birth_date = value.value if value else None
        self.birth_date_precision = value.precision if value else None

    def current_tenures(self, today: dt.date | None = None) -> list[Tenure]:
        today = today or dt.date.today()
        return [t for t in self.tenures if t.is_current(today)]

    def __repr__(self) -> str:
        return f"<Official {self.name!r}>"


def name_search_key(name: str) -> str:
    """Fold a name in any script to lower-case ASCII words, for cross-script matching."""
    folded = to_ascii(unicodedata.normalize("NFKC", name)).casefold()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", folded).split())


class OfficialName(TimestampMixin, VersionedMixin, Base):
    """Another written form of an official's name: alias, transliteration, former name."""

    __tablename__ = "official_name"
    __table_args__ = (
        UniqueConstraint("official_id", "name"),
        enum_check("script", SCRIPTS),
        enum_check("kind", NAME_KINDS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"), index=True, nullable=False)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    script: Mapped[str] = enum_column(SCRIPTS)  # ISO 15924
    lang: Mapped[str | None] = mapped_column(String(8), nullable=True)  # BCP 47, e.g. ru, be, ko
    kind: Mapped[str] = enum_column(NAME_KINDS, default="alias")
    # The name folded to lower-case ASCII (Шойгу -> shoigu, 김정은 -> gimjeongeun), for matching
    # across scripts and spellings; kept in step with ``name``.
    search_key: Mapped[str] = mapped_column(String(300), nullable=False, index=True)

    official: Mapped[Official] = relationship(back_populates="names")

    @property
    def audit_parent(self) -> tuple[str, int]:
        return ("official", self.official_id)

    @validates("name")
    def _keep_search_key(self, _key: str, name: str) -> str:
        self.search_key = name_search_key(name)
        return name


class ExternalIdentifier(TimestampMixin, VersionedMixin, Base):
    """An official's id in another register: a sanctions list, OpenSanctions, Wikidata."""

    __tablename__ = "external_identifier"
    __table_args__ = (
        UniqueConstraint("scheme", "value"),
        enum_check("scheme", IDENTIFIER_SCHEMES),
        CheckConstraint("length(value) > 0", name="value_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"), index=True, nullable=False)
    scheme: Mapped[str] = enum_column(IDENTIFIER_SCHEMES)
    value: Mapped[str] = mapped_column(String(100), nullable=False)

    official: Mapped[Official] = relationship(back_populates="identifiers")

    @property
    def audit_parent(self) -> tuple[str, int]:
        return ("official", self.official_id)


class Tenure(PeriodMixin, TimestampMixin, VersionedMixin, Base):
    """An official held a position from ``start`` to ``end`` (no end: still in office)."""

    __tablename__ = "tenure"
    __table_args__ = (*period_checks(),)

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"), index=True, nullable=False)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"), index=True, nullable=False)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)

    official: Mapped[Official] = relationship(back_populates="tenures")
    position: Mapped[Position] = relationship(back_populates="tenures")
    supports: Mapped[list[Support]] = relationship(back_populates="tenure")

    @property
    def audit_parent(self) -> tuple[str, int]:
        return ("official", self.official_id)

    def __repr__(self) -> str:
        return f"<Tenure official={self.official_id} position={self.position_id} {self.start}..{self.end}>"
