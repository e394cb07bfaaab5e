"""A bulk intake from the interface: the uploaded zip waits under the store (``.intake/``) for
its job, which runs the intake as the person who uploaded it and keeps the per-file report.

The job carries the uploader's clearance: its page and its report are shown only to those
cleared as far (services/jobs/records.py). The archive is removed once the intake has run;
a job that failed keeps it, for a retry.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from models import Job, User
from services.audit import trail as audit
from services.evidence.intake import ingest
from services.evidence.intake.sources import IntakeRefused, Limits
from services.evidence.store import INTAKES, EvidenceStore, IncomingFile
from services.jobs import records

_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def archive_path(store: EvidenceStore, token: str) -> Path:
    if not _TOKEN.match(token):
        raise IntakeRefused("The job names no archive.")
    return store.root / INTAKES / f"{token}.zip"


def keep_upload(store: EvidenceStore, incoming: IncomingFile) -> str:
    """Move the received archive where its job will find it; the token naming it."""
    token = secrets.token_hex(16)
    target = archive_path(store, token)
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming.flush()
    incoming.close()
    os.replace(incoming.path, target)
    incoming.finished = True  # no longer the request's to remove
    return token


def schedule(session: Session, token: str, archive_name: str, user: User, defaults: ingest.Defaults) -> Job:
    """A job running the intake of the kept archive ``token`` as ``user``."""
    job = Job(
        kind="bulk_intake",
        status="queued",
        requested_by=user,
        clearance=user.clearance,
        params={"archive": token, "name": archive_name, "defaults": asdict(defaults)},
    )
    session.add(job)
    session.flush()
    records.queue_after_commit(session, job)
    return job


def run(session: Session, store: EvidenceStore, job: Job, progress: Callable[[int, int], None], limits: Limits) -> str:
    """Run the intake the job asks for; its summary. IntakeRefused when it cannot be read at all."""
    params: dict[str, Any] = job.params or {}
    user = job.requested_by
    if user is None or not user.active or not user.has_role("analyst"):
        raise IntakeRefused(_("The person who uploaded the archive may no longer create exhibits."))
    path = archive_path(store, str(params.get("archive", "")))
    if not path.is_file():
        raise IntakeRefused(_("The uploaded archive is no longer there: upload it again."))
    listing = ingest.read_listing(path, limits)
    listing.label = str(params.get("name") or listing.label)
    defaults = ingest.Defaults(**(params.get("defaults") or {}))
    job_id = job.id
    with audit.acting_as(user):
        report = ingest.ingest(
            session, store, listing, user, limits=limits, defaults=defaults, commit=session.commit, progress=progress
        )
    job = session.get(Job, job_id) or job
    job.report = report.as_json()
    path.unlink(missing_ok=True)
    return _(
        "%(created)d created, %(skipped)d skipped, %(refused)d refused.",
        created=report.count("created"),
        skipped=report.count("skipped"),
        refused=report.count("refused"),
    )


def report_of(job: Job) -> ingest.Report | None:
    return ingest.Report.from_json(job.report) if job.kind == "bulk_intake" and job.report else None
