"""Case files built by a background job and kept, by hash, under the evidence store, to be
downloaded again (services/exports/kept.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, CheckConstraint, Column, ForeignKey, Integer, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_check, enum_column, utcnow
from models.enums import CLASSIFICATIONS, EXPORT_FORMATS

if TYPE_CHECKING:
    from models.official import Official
    from models.user import User

kept_case_file_official = Table(
    "kept_case_file_official",
    Base.metadata,
    Column("kept_case_file_id", ForeignKey("kept_case_file.id"), primary_key=True, index=True),
    Column("official_id", ForeignKey("official.id"), primary_key=True, index=True),
)


class KeptCaseFile(Base):
    """One case file as a job built it: its bytes are in the store under ``sha256``; nothing is
    handed out until someone downloads it, and each download is recorded as an export (with its
    custody and audit events). Downloadable only by those cleared as far as ``clearance``."""

    __tablename__ = "kept_case_file"
    __table_args__ = (
        enum_check("format", EXPORT_FORMATS),
        enum_check("highest_classification", CLASSIFICATIONS),
        enum_check("clearance", CLASSIFICATIONS),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
        CheckConstraint("size >= 0 AND exhibit_count >= 0 AND withheld_count >= 0", name="counts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id"), index=True, nullable=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    format: Mapped[str] = enum_column(EXPORT_FORMATS)
    sha256: Mapped[str] = mapped_column(String(64), index=True, nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    highest_classification: Mapped[str] = enum_column(CLASSIFICATIONS)
    exhibit_count: Mapped[int] = mapped_column(Integer, nullable=False)
    withheld_count: Mapped[int] = mapped_column(Integer, nullable=False)
    # The requester's clearance it was built at: what it could hold
    clearance: Mapped[str] = enum_column(CLASSIFICATIONS)
    # The exhibits it holds and, for a bag, their files: [[evidence id, [file id, ...]], ...],
    # for the custody events each download records
    contents: Mapped[list[Any]] = mapped_column(JSON, nullable=False)

    requested_by: Mapped[User | None] = relationship()
    officials: Mapped[list[Official]] = relationship(secondary=kept_case_file_official, order_by="Official.name")
