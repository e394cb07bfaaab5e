"""Background jobs in the interface: the jobs page (administrators), retrying a failed job
(administrators), and asking for a file's text to be extracted (analysts).

Every job shown, counted or acted on is one whose exhibit the viewer is cleared for
(services/jobs/records.py); any other answers 404, as a missing one does.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from extensions import db
from models import Job, User
from models.enums import JobStatus
from services.common.access import visible_classifications
from services.evidence import exhibits as evidence_service
from services.evidence.files import get_visible_file
from services.evidence.intake import job as intake_job
from services.jobs import records
from views.listing import paginate
from views.util import role_required

bp = Blueprint("jobs", __name__)

JOB_SORTS: dict[str, list[Any]] = {"id": [Job.id], "status": [Job.status, Job.id], "created": [Job.created_at, Job.id]}


def _visible() -> tuple[str, ...]:
    return visible_classifications(current_user)


def _actor() -> User:
    user: User = current_user._get_current_object()
    return user


def _status_filter(query, value: str):  # type: ignore[no-untyped-def]
    return query.where(Job.status == value) if value in JobStatus.values() else query.where(False)


@bp.get("/jobs")
@role_required("admin")
def list_jobs() -> str:
    page = paginate(
        db.session(),
        records.visible_jobs(_visible()),
        sorts=JOB_SORTS,
        default_sort="id",
        default_direction="desc",
        filters={"status": _status_filter},
    )
    return render_template("jobs/list.html", page=page)


def _own_or_admin(job: Job) -> bool:
    return job.requested_by_id == current_user.id or current_user.has_role("admin")


@bp.get("/jobs/<int:job_id>")
@role_required("analyst")
def show_job(job_id: int) -> str:
    """One job: its progress (the page reloads itself while the job waits or runs) and, for a
    bulk intake, the report file by file. Its requester's, or an administrator's cleared as far."""
    job = records.get_visible_job(db.session(), job_id, _visible())
    if job is None or not _own_or_admin(job):
        abort(404)
    return render_template("jobs/show.html", j=job, report=intake_job.report_of(job))


@bp.post("/jobs/<int:job_id>/retry")
@role_required("admin")
def retry_job(job_id: int) -> Response:
    job = records.get_visible_job(db.session(), job_id, _visible())
    if job is None:
        abort(404)
    try:
        records.retry(db.session(), job)
    except records.RetryRefused as refusal:
        flash(str(refusal), "error")
    else:
        flash(_("The job is queued again."), "success")
    if request.form.get("back") == "exhibit" and job.evidence_id is not None:
        return redirect(url_for("evidence.show_evidence", evidence_id=job.evidence_id, _anchor="text"))
    return redirect(url_for("jobs.list_jobs"))


@bp.post("/evidence/<int:evidence_id>/files/<int:file_id>/extract")
@role_required("analyst")
def extract_text(evidence_id: int, file_id: int) -> Response:
    evidence = evidence_service.get_visible(db.session(), evidence_id, _visible())
    file = get_visible_file(db.session(), file_id, _visible())
    if evidence is None or file is None or file.evidence_id != evidence.id:
        abort(404)
    job = records.schedule_extraction(db.session(), file, _actor())
    if job is None:
        flash(_("There is nothing to extract: the file holds no readable text, or it has been extracted already."))
    else:
        flash(_("Text extraction is queued."), "success")
    return redirect(url_for("evidence.show_evidence", evidence_id=evidence.id, _anchor="text"))
