"""Tasks taken from a dossier's gaps (issue 25 item 1): one gap action of one official's
dossier, assigned to an analyst with a due date, worked on until done, given up with a reason,
or closed by itself once the gap is gone (services/workspace/tasks.py)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, TimestampMixin, UTCDateTime, VersionedMixin, enum_check, enum_column, sql_in
from models.enums import ACTIVE_TASK_STATUSES, CLASSIFICATIONS, TASK_STATUSES

if TYPE_CHECKING:
    from models.official import Official
    from models.user import User

# The elements a gap can hold back, the kinds of record it is about, and what it asks for
# (services/assessment/types.py ``GapAction``; a test keeps them in step)
GAP_ELEMENTS = ("E1", "E2", "E3", "E4", "E5", "E6")
GAP_TARGETS = ("official", "tenure", "involvement", "decision", "act", "act_assessment", "support")
GAP_ACTIONS = ("evidence", "date", "involvement", "tenure", "act", "character", "gravity", "scale", "confirm")

_ACTIVE = sql_in("status", ACTIVE_TASK_STATUSES)


class Task(TimestampMixin, VersionedMixin, Base):
    """A gap of a dossier to close, as somebody cleared to ``clearance`` saw it.

    The gap is named by what stays put while the facts change -- the official, the element it
    holds back, the record it is about and the action it asks for -- never by its sentence,
    which changes with the evidence (its sentence when the task was made is kept to show).
    Everything about a task, even that it exists, is shown only to users cleared to
    ``clearance``: the gap was assessed on the evidence that clearance sees."""

    __tablename__ = "task"
    __table_args__ = (
        enum_check("status", TASK_STATUSES),
        enum_check("clearance", CLASSIFICATIONS),
        enum_check("element", GAP_ELEMENTS),
        enum_check("target_kind", GAP_TARGETS),
        enum_check("action", GAP_ACTIONS),
        # Giving up on a task needs a reason; other statuses keep none
        CheckConstraint(
            "(status = 'wont_do') = (reason IS NOT NULL AND length(reason) > 0)", name="reason_when_wont_do"
        ),
        CheckConstraint(f"(closed_at IS NULL) = ({_ACTIVE})", name="closed_when_finished"),
        CheckConstraint("NOT closed_by_gap OR status = 'done'", name="closed_by_gap_is_done"),
        # One task still to do per gap (as one clearance sees it): two people cannot make it twice
        Index(
            "uq_task_active_gap",
            "official_id",
            "element",
            "target_kind",
            "target_id",
            "action",
            "clearance",
            unique=True,
            sqlite_where=text(_ACTIVE),
            postgresql_where=text(_ACTIVE),
        ),
        Index("ix_task_assignee_status", "assignee_id", "status"),
        Index("ix_task_official_status", "official_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    official_id: Mapped[int] = mapped_column(ForeignKey("official.id"), nullable=False)
    element: Mapped[str] = enum_column(GAP_ELEMENTS)  # the first element the gap held back
    target_kind: Mapped[str] = enum_column(GAP_TARGETS)
    target_id: Mapped[int] = mapped_column(Integer, nullable=False)  # a record of that kind
    action: Mapped[str] = enum_column(GAP_ACTIONS)
    # The clearance whose assessment showed the gap: its creator's; only users cleared as far see the task
    clearance: Mapped[str] = enum_column(CLASSIFICATIONS)
    # The gap's sentence when the task was made, in each interface language ({"en": ..., "uk": ...})
    gap_texts: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    assignee_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    due_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[str] = enum_column(TASK_STATUSES, default="open")
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)  # why it won't be done
    # Closed by itself: the gap it came from was gone when the dossier was next assessed
    closed_by_gap: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)

    official: Mapped[Official] = relationship()
    assignee: Mapped[User] = relationship(foreign_keys=[assignee_id])
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])

    @property
    def gap_key(self) -> str:
        """The gap as a query argument names it: ``E2:tenure:5:evidence``."""
        return f"{self.element}:{self.target_kind}:{self.target_id}:{self.action}"

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_TASK_STATUSES

    def overdue(self, today: dt.date) -> bool:
        return self.active and self.due_date < today

    def gap_text(self, locale: str) -> str:
        return str(self.gap_texts.get(locale) or self.gap_texts.get("en") or "")
