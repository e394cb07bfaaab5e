"""The text of evidence files, page by page: what full-text search, the viewer, pinpoints and
mention finding read (issue 22).

Extracting the text of a file makes a derivative file (services/evidence/text/): a JSON document
of the pages, stored in the evidence store under its own SHA-256 like any file, whose parent is
the original. ``TextExtraction`` ties the original, the tool that read it and the derivative
together; ``TextPage`` holds each page's text in the database, where an index can read it.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_check, enum_column, utcnow
from models.enums import TEXT_METHODS

if TYPE_CHECKING:
    from models.evidence import EvidenceFile


class TextExtraction(Base):
    """The text of one original file as one version of the extracting tool read it. Extracting
    again with the same tool finds this row and makes nothing new (the unique constraint holds
    even when two workers race)."""

    __tablename__ = "text_extraction"
    __table_args__ = (
        UniqueConstraint("source_file_id", "tool"),
        CheckConstraint("page_count >= 0", name="page_count_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_file_id: Mapped[int] = mapped_column(ForeignKey("evidence_file.id"), index=True, nullable=False)
    # The derivative holding the pages (its parent is the source file)
    text_file_id: Mapped[int] = mapped_column(ForeignKey("evidence_file.id"), index=True, nullable=False, unique=True)
    # The extractor and the versions of the libraries and programs it used
    tool: Mapped[str] = mapped_column(String(300), nullable=False)
    page_count: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    source_file: Mapped[EvidenceFile] = relationship(foreign_keys=[source_file_id])
    text_file: Mapped[EvidenceFile] = relationship(foreign_keys=[text_file_id])
    pages: Mapped[list[TextPage]] = relationship(back_populates="extraction", order_by="TextPage.page_no")


class TextPage(Base):
    """One page of an extraction: its text, how it was read and its language. A file without
    pages (a message, a web page, a word-processor document without page breaks) is page 1."""

    __tablename__ = "text_page"
    __table_args__ = (
        UniqueConstraint("extraction_id", "page_no"),
        CheckConstraint("page_no >= 1", name="page_no_positive"),
        enum_check("method", TEXT_METHODS),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    extraction_id: Mapped[int] = mapped_column(ForeignKey("text_extraction.id"), index=True, nullable=False)
    page_no: Mapped[int] = mapped_column(Integer, nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    method: Mapped[str] = enum_column(TEXT_METHODS)
    # ISO 639-1 code of the page's language; None when the text does not tell
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)

    extraction: Mapped[TextExtraction] = relationship(back_populates="pages")
