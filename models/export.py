"""The record of each case-file export: who, when, which format, which dossiers, its hash."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_check, enum_column, utcnow
from models.enums import CLASSIFICATIONS, EXPORT_FORMATS

if TYPE_CHECKING:
    from models.official import Official
    from models.user import User

export_official = Table(
    "export_official",
    Base.metadata,
    Column("export_id", ForeignKey("export.id"), primary_key=True, index=True),
    Column("official_id", ForeignKey("official.id"), primary_key=True, index=True),
)


class Export(Base):
    """One case file handed out. Rows are never changed or removed (a log, like custody)."""

    __tablename__ = "export"
    __table_args__ = (
        enum_check("format", EXPORT_FORMATS),
        enum_check("highest_classification", CLASSIFICATIONS),
        enum_check("clearance", CLASSIFICATIONS),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
        CheckConstraint("size >= 0 AND exhibit_count >= 0 AND withheld_count >= 0", name="counts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    actor_name: Mapped[str] = mapped_column(String(254), nullable=False)
    format: Mapped[str] = enum_column(EXPORT_FORMATS)
    # SHA-256 and size of the bytes handed out (the zip, the PDF, the lines)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    highest_classification: Mapped[str] = enum_column(CLASSIFICATIONS)
    exhibit_count: Mapped[int] = mapped_column(Integer, nullable=False)
    withheld_count: Mapped[int] = mapped_column(Integer, nullable=False)  # hidden at the exporter's clearance
    # The exporter's clearance when exporting: what the case file could hold. It is listed only
    # to viewers cleared as far, since everything about it -- its highest classification, size,
    # exhibit count, even that it was made -- depends on material that clearance covers.
    clearance: Mapped[str] = enum_column(CLASSIFICATIONS)

    user: Mapped[User | None] = relationship()
    officials: Mapped[list[Official]] = relationship(secondary=export_official, order_by="Official.name")
