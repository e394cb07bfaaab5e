"""What a user watches (issue 25 item 3): a dossier, an official, or a saved search.
services/workspace/watches.py and result_watches.py decide who is told what."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime, enum_check, enum_column, utcnow
from models.enums import WATCH_KINDS


class Watch(Base):
    __tablename__ = "watch"
    __table_args__ = (
        enum_check("kind", WATCH_KINDS),
        # A dossier or an official names the official; a saved search names the search
        CheckConstraint(
            "(kind = 'saved_search' AND saved_search_id IS NOT NULL AND official_id IS NULL)"
            " OR (kind <> 'saved_search' AND official_id IS NOT NULL AND saved_search_id IS NULL)",
            name="one_target",
        ),
        UniqueConstraint("user_id", "kind", "official_id"),
        UniqueConstraint("user_id", "saved_search_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    kind: Mapped[str] = enum_column(WATCH_KINDS)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"), index=True, nullable=True)
    saved_search_id: Mapped[int | None] = mapped_column(ForeignKey("saved_search.id"), index=True, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
