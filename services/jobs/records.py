"""Jobs as people see them: creating them, listing them by clearance, retrying failed ones.

A job about an exhibit is visible only to those cleared for the exhibit (and not while the
exhibit is deleted); the jobs page lists, for administrators, the jobs they are cleared for.
Jobs wait in ``session.info`` until the transaction that created them commits, and only then
go to the queue (services/jobs/queue.py ``after_commit``): a worker never looks for a job whose
row it cannot see yet, and a rolled-back request queues nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.orm import Session, joinedload

from models import Evidence, EvidenceFile, Job, TextExtraction, User
from models.base import utcnow
from models.enums import JobStatus
from services.evidence.text import readers

ACTIVE = ("queued", "running")
# A running job that has not reported for this long lost its worker (a page's OCR gives up after
# five minutes, so a live job reports far more often)
STALE_AFTER = dt.timedelta(minutes=30)
_PENDING = "jobs_pending"  # session.info: ids of jobs to queue when the transaction commits


class RetryRefused(ValueError):
    """A job that cannot be retried now; the message says why."""


def pending(session: Session) -> list[int]:
    return list(session.info.get(_PENDING, []))


def take_pending(session: Session) -> list[int]:
    return list(session.info.pop(_PENDING, []))


def forget_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


def queue_after_commit(session: Session, job: Job) -> None:
    session.info.setdefault(_PENDING, []).append(job.id)


def is_text_derivative(session: Session, file: EvidenceFile) -> bool:
    return session.scalar(select(TextExtraction.id).where(TextExtraction.text_file_id == file.id)) is not None


def schedule_extraction(session: Session, file: EvidenceFile, actor: User | None) -> Job | None:
    """A job extracting the text of ``file``: the one already queued or running, or a new one.
    None when there is nothing to do: a type without text, a file that is itself extracted
    text, or a file already extracted by the current tool."""
    if not readers.readable(file.media_type) or is_text_derivative(session, file):
        return None
    active = session.scalars(
        select(Job).where(Job.kind == "extract_text", Job.evidence_file_id == file.id, Job.status.in_(ACTIVE))
    ).first()
    if active is not None:
        return active
    tool = readers.tool_for(file.media_type)
    done = select(TextExtraction.id).where(TextExtraction.source_file_id == file.id, TextExtraction.tool == tool)
    if session.scalar(done) is not None:
        return None
    job = Job(
        kind="extract_text", status="queued", evidence_id=file.evidence_id, evidence_file=file, requested_by=actor
    )
    session.add(job)
    session.flush()
    queue_after_commit(session, job)
    return job


def retry(session: Session, job: Job) -> Job:
    """Queue a failed job again (its attempts so far are kept); RetryRefused otherwise."""
    if job.status != "failed":
        raise RetryRefused(
            _("Only a failed job can be retried; this one is %(status)s.", status=JobStatus.label_of(job.status))
        )
    job.status = "queued"
    job.progress_done = 0
    job.finished_at = None
    session.flush()
    queue_after_commit(session, job)
    return job


def _visible(visible: tuple[str, ...]) -> ColumnElement[bool]:
    """No exhibit, or one the viewer is cleared for and that is not deleted; and no recorded
    clearance of the requester, or one the viewer's covers (NULL-safe)."""
    cleared = select(Evidence.id).where(Evidence.classification.in_(visible), Evidence.deleted_at.is_(None))
    exhibit = or_(Job.evidence_id.is_(None), and_(Job.evidence_id.is_not(None), Job.evidence_id.in_(cleared)))
    requester = or_(Job.clearance.is_(None), and_(Job.clearance.is_not(None), Job.clearance.in_(visible)))
    return and_(exhibit, requester)


def visible_jobs(visible: tuple[str, ...], status: str | None = None) -> Select[tuple[Job]]:
    query = select(Job).where(_visible(visible)).options(joinedload(Job.evidence), joinedload(Job.evidence_file))
    if status:
        query = query.where(Job.status == status)
    return query.order_by(Job.id.desc())


def jobs_of_exhibit(session: Session, evidence: Evidence) -> Sequence[Job]:
    """The exhibit's jobs, newest first (the caller has checked the viewer may see it)."""
    return session.scalars(select(Job).where(Job.evidence_id == evidence.id).order_by(Job.id.desc())).all()


def get_visible_job(session: Session, job_id: int, visible: tuple[str, ...]) -> Job | None:
    return session.scalars(select(Job).where(Job.id == job_id, _visible(visible))).first()


def schedule_missing_extractions(session: Session, *, only_without_text: bool) -> list[Job]:
    """Jobs extracting the text of every file of an exhibit that is not deleted and has no
    text yet (``only_without_text``) or none by the current tool; extracted text itself is
    left out. Files are taken oldest first."""
    extracted = select(TextExtraction.source_file_id)
    derivatives = select(TextExtraction.text_file_id)
    query = (
        select(EvidenceFile)
        .join(Evidence, Evidence.id == EvidenceFile.evidence_id)
        .where(Evidence.deleted_at.is_(None), EvidenceFile.id.not_in(derivatives))
        .order_by(EvidenceFile.id)
    )
    if only_without_text:
        query = query.where(EvidenceFile.id.not_in(extracted))
    jobs = []
    for file in session.scalars(query):
        job = schedule_extraction(session, file, None)
        if job is not None:
            jobs.append(job)
    return jobs


def recover_interrupted(session: Session, *, stale_after: dt.timedelta = STALE_AFTER) -> tuple[list[int], int]:
    """What a worker does as it starts: a job left running by a worker that stopped (killed,
    the machine restarted) fails with a reason an administrator can act on, and every queued
    job is handed to the queue again (a queue emptied meanwhile loses nothing; a job handed out
    twice still runs once). Returns the queued jobs' ids and how many were failed."""
    now = utcnow()
    stale = session.scalars(
        select(Job).where(
            Job.status == "running", or_(Job.heartbeat_at.is_(None), Job.heartbeat_at < now - stale_after)
        )
    ).all()
    for job in stale:
        job.status, job.finished_at = "failed", now
        job.error = _("The worker running this job stopped before it ended; retry it.")
    queued = list(session.scalars(select(Job.id).where(Job.status == "queued").order_by(Job.id)))
    session.flush()
    session.info.setdefault(_PENDING, []).extend(queued)
    return queued, len(stale)
