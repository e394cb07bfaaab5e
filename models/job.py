"""Background jobs: work the queue runs outside a request (services/jobs/), as people see it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, enum_check, enum_column, utcnow
from models.enums import CLASSIFICATIONS, JOB_KINDS, JOB_STATUSES

if TYPE_CHECKING:
    from models.evidence import Evidence, EvidenceFile
    from models.user import User


class Job(Base):
    """One piece of background work and its state: queued, running (with its progress), done
    (with its result) or failed (with the reason). The queue (huey) carries only the job's id;
    this row is what the exhibit page and the jobs page read, and what a retry starts again.

    A job about an exhibit is shown only to those cleared for the exhibit."""

    __tablename__ = "job"
    __table_args__ = (
        enum_check("kind", JOB_KINDS),
        enum_check("status", JOB_STATUSES),
        enum_check("clearance", CLASSIFICATIONS, nullable=True),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("progress_done >= 0", name="progress_done_not_negative"),
        CheckConstraint("progress_total IS NULL OR progress_total >= 0", name="progress_total_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = enum_column(JOB_KINDS)
    status: Mapped[str] = enum_column(JOB_STATUSES, default="queued")
    # What the job works on: an exhibit's file (and so the exhibit, whose clearance governs who sees it)
    evidence_id: Mapped[int | None] = mapped_column(ForeignKey("evidence.id"), index=True, nullable=True)
    evidence_file_id: Mapped[int | None] = mapped_column(ForeignKey("evidence_file.id"), index=True, nullable=True)
    # Progress as steps done out of steps (pages); the total is unknown until the work has looked
    progress_done: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    progress_total: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Runs begun (the queue's own retries and retries asked for by an administrator)
    attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    result: Mapped[str | None] = mapped_column(Text, nullable=True)  # what a finished job did
    error: Mapped[str | None] = mapped_column(Text, nullable=True)  # why the last run failed
    # The requester's clearance, for work whose output depends on it (a bulk intake's report, a
    # case file): the job is shown only to those cleared as far. None: the exhibit decides.
    clearance: Mapped[str | None] = enum_column(CLASSIFICATIONS, nullable=True)
    params: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # what the work is asked to do
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # what it did, item by item
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # When the running job last reported (its start, each page): a job running with no report for
    # long lost its worker (services/jobs/records.py recover_interrupted)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    evidence: Mapped[Evidence | None] = relationship()
    evidence_file: Mapped[EvidenceFile | None] = relationship()
    requested_by: Mapped[User | None] = relationship()

    @property
    def audit_parent(self) -> tuple[str, int] | None:
        return ("evidence", self.evidence_id) if self.evidence_id is not None else None

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return min(100, round(100 * self.progress_done / self.progress_total))

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.kind} {self.status}>"
