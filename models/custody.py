"""Chain of custody: an append-only, hash-chained log per evidence item."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_check, enum_column, utcnow
from models.enums import CUSTODY_EVENT_TYPES

if TYPE_CHECKING:
    from models.evidence import Evidence, EvidenceFile
    from models.user import User


class CustodyEvent(Base):
    """What happened to an evidence item, who did it, when, where and why.

    Rows are never updated or deleted (the database refuses both). ``prev_hash`` holds the
    ``event_hash`` of the item's previous event, so an edited or removed row breaks the chain.
    """

    __tablename__ = "custody_event"
    __table_args__ = (
        enum_check("event_type", CUSTODY_EVENT_TYPES),
        CheckConstraint("length(event_hash) = 64", name="event_hash_length"),
        CheckConstraint("prev_hash IS NULL OR length(prev_hash) = 64", name="prev_hash_length"),
        CheckConstraint("verified_sha256 IS NULL OR length(verified_sha256) = 64", name="verified_sha256_length"),
        # The chain cannot fork: one first event per item, one successor per event. Two
        # events recorded at once for the same item cannot both follow the same one.
        Index(
            "uq_custody_event_first_per_evidence",
            "evidence_id",
            unique=True,
            sqlite_where=text("prev_hash IS NULL"),
            postgresql_where=text("prev_hash IS NULL"),
        ),
        Index(
            "uq_custody_event_prev_hash",
            "prev_hash",
            unique=True,
            sqlite_where=text("prev_hash IS NOT NULL"),
            postgresql_where=text("prev_hash IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), index=True, nullable=False)
    event_type: Mapped[str] = enum_column(CUSTODY_EVENT_TYPES)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    # The person or body acting, as written at the time (kept even if the account changes)
    actor_name: Mapped[str] = mapped_column(String(200), nullable=False)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    from_party: Mapped[str | None] = mapped_column(String(300), nullable=True)
    to_party: Mapped[str | None] = mapped_column(String(300), nullable=True)
    location: Mapped[str | None] = mapped_column(String(300), nullable=True)  # place or system
    purpose: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The file the event concerns (a download, a copy), if it concerns one file
    evidence_file_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_file.id"), index=True, nullable=True)
    # Hash of the file re-verified at that moment, where the event concerns a file
    verified_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    event_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)

    evidence: Mapped[Evidence] = relationship(back_populates="custody_events")
    actor: Mapped[User | None] = relationship()
    evidence_file: Mapped[EvidenceFile | None] = relationship()


class CustodyHead(Base):
    """The tip of each item's custody chain: how many events it holds and the hash of the
    last. Appending an event updates this row in the same transaction, which also makes
    concurrent appends to one chain wait for each other. Removing the newest event, which
    the chain alone could not reveal, shows as a chain shorter than its head says."""

    __tablename__ = "custody_head"
    __table_args__ = (
        CheckConstraint("length(head_hash) = 64", name="head_hash_length"),
        CheckConstraint("event_count > 0", name="event_count_positive"),
    )

    evidence_id: Mapped[int] = mapped_column(ForeignKey("evidence.id"), primary_key=True)
    event_count: Mapped[int] = mapped_column(nullable=False)
    head_hash: Mapped[str] = mapped_column(String(64), nullable=False)
