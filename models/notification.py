"""In-app notifications (issue 25 item 3): what a user is told, stored as references only.

A notification names its kind and the record it is about, never a text taken from it: the
page (and the e-mail) that shows it renders it when it is read, through the reader's
clearance at that moment (services/workspace/notifications.py), so a record the reader may not
see -- or no longer may see -- is never described to them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_check, enum_column, utcnow
from models.enums import CLASSIFICATIONS, COMMENTED_RECORDS, NOTIFICATION_KINDS

if TYPE_CHECKING:
    from models.comment import Comment
    from models.user import User

# What a notification can be about: the commented records, a task, a watched saved search
# (its new results, told at once) and an import run (the evidence it linked, told at once)
# (services/workspace/notifications.py)
NOTIFIED_RECORDS = (*COMMENTED_RECORDS, "task", "saved_search", "import_run")


class Notification(Base):
    __tablename__ = "notification"
    __table_args__ = (
        enum_check("kind", NOTIFICATION_KINDS),
        enum_check("record_kind", NOTIFIED_RECORDS),
        enum_check("clearance", CLASSIFICATIONS, nullable=True),
        # The unread count in every page's header: one index-only count
        Index("ix_notification_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    kind: Mapped[str] = enum_column(NOTIFICATION_KINDS)
    # The record it is about, by kind and id (no foreign key: a link of evidence can be removed,
    # and a notification about a record that is gone is simply not shown)
    record_kind: Mapped[str] = enum_column(NOTIFIED_RECORDS)
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"), index=True, nullable=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    # An element's change: "E2:partial:met", as the assessment at ``clearance`` saw it; the
    # saved search a record is new in (its id); how many records a digest tells of
    detail: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # The clearance whose view of the record the notification reports (an element's status
    # depends on the evidence the reader may see); shown only to readers cleared as far
    clearance: Mapped[str | None] = enum_column(CLASSIFICATIONS, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    comment: Mapped[Comment | None] = relationship()
