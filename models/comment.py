"""Comments on an official, a decision, an exhibit, a link of evidence to a fact (a support) or
a dossier: threads of replies, every edit kept as a revision, retraction instead of deletion
(issue 25 item 2). services/workspace/comments.py holds every rule."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_check, enum_column, utcnow
from models.enums import COMMENTED_RECORDS

if TYPE_CHECKING:
    from models.user import User


class Comment(TimestampMixin, VersionedMixin, Base):
    """One comment in the thread of a record. The record is named by its kind and id, not by a
    foreign key, as five tables can hold it (a dossier's thread is keyed by its official's id,
    since a dossier row exists only once someone opened the case). Who may read it is decided
    by the record (services/common/access.py through services/workspace/comments.py): a
    comment has no clearance of its own."""

    __tablename__ = "comment"
    __table_args__ = (
        enum_check("record_kind", COMMENTED_RECORDS),
        CheckConstraint("length(body) > 0", name="body_not_empty"),
        Index("ix_comment_record", "record_kind", "record_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = enum_column(COMMENTED_RECORDS)
    record_id: Mapped[int] = mapped_column(Integer, nullable=False)
    # The comment this one answers (same record); None opens a thread
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"), index=True, nullable=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)  # the current text; earlier ones are revisions
    edited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # A retracted comment shows that it was retracted, by whom and when; its text stays in its history
    retracted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    retracted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    retracted_by: Mapped[User | None] = relationship(foreign_keys=[retracted_by_id])
    revisions: Mapped[list[CommentRevision]] = relationship(
        back_populates="comment", order_by="CommentRevision.id", cascade="save-update, merge"
    )

    @property
    def audit_parent(self) -> tuple[str, int]:
        return (self.record_kind, self.record_id)


class CommentRevision(Base):
    """A text a comment had before an edit (or a retraction): append-only."""

    __tablename__ = "comment_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comment.id"), index=True, nullable=False)
    body: Mapped[str] = mapped_column(Text, nullable=False)
    # When this text was written (the comment's creation or an earlier edit) and replaced
    written_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    replaced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    comment: Mapped[Comment] = relationship(back_populates="revisions")
