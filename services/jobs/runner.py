"""Running one job: claim it, do its work, record how it ended.

A job is claimed with one conditional UPDATE (queued or failed -> running), so two workers
handed the same id (a retry racing the queue's own, two servers on one Redis) never both run
it, and a job that has succeeded is never run again. The work writes nothing until its end:
progress is committed page by page on the job's row alone, then the result and the job's
success are committed together. A file that cannot be read fails its job with the reason and
leaves nothing behind; an unexpected error fails it too, and is raised again so that the queue
retries it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import update
from sqlalchemy.orm import Session

from models import Job
from models.base import SQLITE_WRITE_INTENT, utcnow
from services.audit import trail as audit
from services.evidence.store import EvidenceStore
from services.evidence.text import derive, readers
from services.jobs import records

log = logging.getLogger(__name__)
WORKER_NAME = "job worker"
ERROR_LIMIT = 2000


class JobFailed(Exception):  # noqa: N818  (it is the outcome, like the job's status)
    """The job cannot succeed, and retrying will not change that; the message says why."""


Handler = Callable[[Session, EvidenceStore, Job, readers.Progress], str]


def run(session: Session, store: EvidenceStore, job_id: int) -> str | None:
    """Run the job if it is there to run; its new status (None: someone else has it, or it is
    done). Raises what the queue should retry."""
    intent = SQLITE_WRITE_INTENT.set(True)  # on SQLite, take the write lock when each transaction begins
    try:
        with audit.acting_as(None, WORKER_NAME):
            return _run(session, store, job_id)
    finally:
        SQLITE_WRITE_INTENT.reset(intent)


def _run(session: Session, store: EvidenceStore, job_id: int) -> str | None:
    now = utcnow()
    claim = (
        update(Job)
        .where(Job.id == job_id, Job.status.in_(("queued", "failed")))
        .values(
            status="running",
            attempts=Job.attempts + 1,
            started_at=now,
            heartbeat_at=now,
            finished_at=None,
            progress_done=0,
        )
    )
    claimed = session.execute(claim).rowcount  # type: ignore[attr-defined]
    session.commit()
    if not claimed:
        return None
    job = session.get(Job, job_id, populate_existing=True)
    if job is None:  # pragma: no cover - claimed a moment ago
        return None

    def progress(done: int, total: int) -> None:
        job.progress_done, job.progress_total, job.heartbeat_at = done, total, utcnow()
        session.commit()

    try:
        result = HANDLERS[job.kind](session, store, job, progress)
    except (JobFailed, readers.ExtractionFailed) as failure:
        _finish_failed(session, job_id, str(failure))
        return "failed"
    except Exception as error:
        log.exception("job %s failed unexpectedly", job_id)
        _finish_failed(session, job_id, _("Unexpected error: %(error)s", error=f"{type(error).__name__}: {error}"))
        raise
    job.status, job.result, job.error, job.finished_at = "succeeded", result, None, utcnow()
    session.commit()
    return "succeeded"


def _finish_failed(session: Session, job_id: int, reason: str) -> None:
    session.rollback()  # nothing of the failed work is kept
    job = session.get(Job, job_id, populate_existing=True)
    if job is None:  # pragma: no cover
        return
    job.status, job.error, job.finished_at = "failed", reason[:ERROR_LIMIT], utcnow()
    session.commit()


def extract_text(session: Session, store: EvidenceStore, job: Job, progress: readers.Progress) -> str:
    source = job.evidence_file
    if source is None:
        raise JobFailed(_("The job names no file."))
    # no transaction stays open while the file is read (its pages' progress commits on its own)
    outcome = derive.extract_file(session, store, source, job.requested_by, progress, before_reading=session.commit)
    for child in outcome.attachments:
        records.schedule_extraction(session, child, job.requested_by)
    if not outcome.created:
        return _(
            "The text had been extracted already by this tool (file %(sha)s).", sha=outcome.extraction.text_file.sha256
        )
    extraction = outcome.extraction
    message = ngettext(
        "%(num)d page of text extracted into file %(sha)s.",
        "%(num)d pages of text extracted into file %(sha)s.",
        extraction.page_count,
        sha=extraction.text_file.sha256,
    )
    if outcome.attachments or outcome.attachments_present:
        message += " " + _(
            "Attachments: %(new)d added as files of the exhibit, %(present)d already there.",
            new=len(outcome.attachments),
            present=outcome.attachments_present,
        )
    return message


def bulk_intake(session: Session, store: EvidenceStore, job: Job, progress: readers.Progress) -> str:
    from flask import current_app  # noqa: PLC0415  (the limits are the app's settings)

    from services.evidence.intake import job as intake_job  # noqa: PLC0415  (the intake queues jobs itself)
    from services.evidence.intake.sources import IntakeRefused, Limits  # noqa: PLC0415

    config = current_app.config
    limits = Limits(config["INTAKE_MAX_FILES"], config["INTAKE_MAX_BYTES"], config["MAX_UPLOAD_BYTES"])
    try:
        return intake_job.run(session, store, job, progress, limits)
    except IntakeRefused as refusal:
        raise JobFailed(_("Nothing was ingested: %(reason)s", reason=str(refusal))) from refusal


def export_case_file(session: Session, store: EvidenceStore, job: Job, progress: readers.Progress) -> str:
    from flask import current_app  # noqa: PLC0415  (the export's settings are the app's)

    from services.exports import kept  # noqa: PLC0415  (exports read dossiers, which read jobs)
    from services.exports.data import ExportError  # noqa: PLC0415

    try:
        return kept.run(session, store, job, progress, current_app.config)
    except ExportError as refusal:
        raise JobFailed(str(refusal)) from refusal


HANDLERS: dict[str, Handler] = {
    "extract_text": extract_text,
    "bulk_intake": bulk_intake,
    "export_case_file": export_case_file,
}
