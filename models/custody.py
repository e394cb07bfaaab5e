"""Chain of custody: an append-only, hash-chained log per evidence item."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_check, enum_column, utcnow
from models.enums import CUSTODY_EVENT_TYPES

if TYPE_CHECKING:
    from models.evidence import Evidence
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
    # Hash of the file re-verified at that moment, where the event concerns a file
    verified_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    event_hash: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)

    evidence: Mapped[Evidence] = relationship(back_populates="custody_events")
    actor: Mapped[User | None] = relationship()
