"""Files of an exhibit and its chain of custody: upload, derivatives, downloads, events.

Uploaded bytes reach these views already written to the store's incoming folder and hashed
as they arrived (views/uploads.py). The views link them to the exhibit through
services/evidence/files.py; they move into the store only when the request's transaction
commits (app._finish). Uploads are all-or-nothing: when one file of a request is refused,
the transaction is rolled back and none of them is kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from extensions import db
from forms.evidence_files import CustodyEventForm, DerivativeForm, UploadForm
from models import Evidence, EvidenceFile, User
from services.common.access import role_at_least, visible_classifications
from services.evidence import custody
from services.evidence import exhibits as evidence_service
from services.evidence.files import (
    Derivation,
    IntegrityFailure,
    UploadRefused,
    attach_file,
    download_name,
    get_visible_file,
    record_download,
    verify_stored,
)
from services.evidence.fixity import last_run
from services.evidence.store import EvidenceStore, IncomingFile, store_for
from services.evidence.text import derive as text_derive
from services.evidence.text.readers import readable
from services.jobs import records as job_records
from views.uploads import UploadRequest, accepts_files
from views.util import FormPage, optional_text, role_required

bp = Blueprint("files", __name__)


def _visible() -> tuple[str, ...]:
    return visible_classifications(current_user)


def _actor() -> User:
    user: User = current_user._get_current_object()  # the record, not the proxy, goes on rows
    return user


def _store() -> EvidenceStore:
    return store_for(current_app.config)


def _evidence_or_404(evidence_id: int) -> Evidence:
    evidence = evidence_service.get_visible(db.session(), evidence_id, _visible())
    if evidence is None:
        abort(404)
    return evidence


def _back_to(evidence: Evidence) -> Response:
    return redirect(url_for("evidence.show_evidence", evidence_id=evidence.id))


# --- receiving uploads ----------------------------------------------------------------------


def _incoming_files() -> list[IncomingFile]:
    """The file parts this request received (after its form was read)."""
    current = request._get_current_object()  # type: ignore[attr-defined]
    return current.incoming_files if isinstance(current, UploadRequest) else []


def _refuse_oversized() -> None:
    """413 when the files of this request exceed the upload limit. MAX_CONTENT_LENGTH also
    lets the form around the files through, so the files themselves are measured here."""
    received = sum(incoming.size for incoming in _incoming_files())
    if received > current_app.config["MAX_UPLOAD_BYTES"]:
        abort(413)


def _interrupted() -> bool:
    """The body ended mid-file: the parser had begun receiving a file but the form never
    completed, and Werkzeug then drops the whole form without raising."""
    return bool(_incoming_files()) and not request.files


def incoming_of(storage: FileStorage) -> IncomingFile:
    stream = storage.stream
    if not isinstance(stream, IncomingFile):  # UploadRequest writes every file part into one
        raise TypeError("the upload was not received through UploadRequest")
    return stream


def received_form_problem() -> str | None:
    """Why the uploaded body cannot be used at all, or None. Call after the form has read it."""
    _refuse_oversized()
    if _interrupted():
        return _("The upload was interrupted before it was complete. Nothing was stored: try again.")
    return None


def _attach_all(evidence: Evidence, storages: Sequence[FileStorage], purpose: str | None) -> list[str]:
    """Attach every file; the refusals, one message each (all files are tried, so the person
    uploading learns about every problem at once)."""
    store, actor = _store(), _actor()
    refusals: list[str] = []
    for storage in storages:
        try:
            record = attach_file(
                db.session(),
                store,
                evidence,
                incoming_of(storage),
                original_name=storage.filename,
                actor=actor,
                purpose=purpose,
            )
        except UploadRefused as refusal:
            refusals.append(str(refusal))
        else:
            job_records.schedule_extraction(db.session(), record, actor)
    return refusals


@bp.route("/evidence/<int:evidence_id>/files", methods=["GET", "POST"])
@role_required("analyst")
@accepts_files
def upload_files(evidence_id: int) -> FormPage:
    evidence = _evidence_or_404(evidence_id)
    form = UploadForm()
    if request.method == "POST":
        problem = received_form_problem()
        if problem:
            form.form_errors.append(problem)
        elif form.validate_on_submit():
            storages = form.files.data
            refusals = _attach_all(evidence, storages, optional_text(form.purpose.data))
            if not refusals:
                flash(ngettext("%(num)d file received.", "%(num)d files received.", len(storages)), "success")
                return _back_to(evidence)
            db.session.rollback()  # all or nothing: the accepted files go too
            form.form_errors.extend([*refusals, _("Nothing was stored.")])
    status = 400 if request.method == "POST" else 200
    return render_template("files/upload.html", form=form, e=evidence), status


def _file_of(evidence: Evidence, file_id: int) -> EvidenceFile:
    file = db.session.get(EvidenceFile, file_id)
    if file is None or file.evidence_id != evidence.id:
        abort(404)
    return file


@bp.route("/evidence/<int:evidence_id>/files/<int:file_id>/derivative", methods=["GET", "POST"])
@role_required("analyst")
@accepts_files
def new_derivative(evidence_id: int, file_id: int) -> FormPage:
    evidence = _evidence_or_404(evidence_id)
    parent = _file_of(evidence, file_id)
    form = DerivativeForm()
    if request.method == "POST":
        problem = received_form_problem()
        if problem:
            form.form_errors.append(problem)
        elif form.validate_on_submit():
            storage = form.file.data
            try:
                record = attach_file(
                    db.session(),
                    _store(),
                    evidence,
                    incoming_of(storage),
                    original_name=storage.filename,
                    actor=_actor(),
                    derivation=Derivation(parent, form.kind.data, form.note.data.strip()),
                )
            except UploadRefused as refusal:
                db.session.rollback()
                form.form_errors.append(str(refusal))
            else:
                job_records.schedule_extraction(db.session(), record, _actor())
                flash(_("Derivative received."), "success")
                return _back_to(evidence)
    status = 400 if request.method == "POST" else 200
    return render_template("files/derivative.html", form=form, e=evidence, parent=parent), status


# --- downloads --------------------------------------------------------------------------------


@bp.post("/files/<int:file_id>/download")
@role_required("viewer")
def download(file_id: int) -> Response | tuple[str, int]:
    """Send a file and record the download in its exhibit's chain of custody.

    A download writes (the custody chain is an access log), so it is a POST carrying the
    form's CSRF token: a link or image on another site cannot make a signed-in user's
    browser write "downloaded by X" (a GET answers 405)."""
    file = get_visible_file(db.session(), file_id, _visible())
    if file is None:
        abort(404)
    try:
        path = record_download(db.session(), _store(), file, _actor())
    except IntegrityFailure as failure:
        current_app.logger.error("integrity check failed for evidence file #%d", file.id)
        message = _("%(reason)s It was not sent. An administrator should run the fixity check.", reason=str(failure))
        return render_template("error.html", code=409, title=_("Integrity check failed"), message=message), 409
    response = send_file(
        path,
        mimetype=file.media_type,
        as_attachment=True,
        download_name=download_name(file),
        conditional=False,
        etag=False,
        max_age=0,
    )
    response.headers["Cache-Control"] = "no-store"  # exhibits stay out of every cache
    return response


# --- custody events ---------------------------------------------------------------------------


def _file_label(file: EvidenceFile) -> str:
    return f"{file.original_name or _('file #%(id)d', id=file.id)} · SHA-256 {file.sha256[:12]}…"


@bp.route("/evidence/<int:evidence_id>/custody/new", methods=["GET", "POST"])
@role_required("analyst")
def new_custody_event(evidence_id: int) -> FormPage:
    evidence = _evidence_or_404(evidence_id)
    files = {f.id: f for f in evidence.files}
    form = CustodyEventForm()
    form.evidence_file_id.choices = [("", "—"), *((f.id, _file_label(f)) for f in files.values())]
    status = 400 if request.method == "POST" else 200
    if form.validate_on_submit():
        file = files.get(form.evidence_file_id.data) if form.evidence_file_id.data else None
        try:
            verified = verify_stored(_store(), file) if file else None
        except IntegrityFailure as failure:
            form.evidence_file_id.errors = [
                *form.evidence_file_id.errors,
                _("%(reason)s The event was not recorded.", reason=str(failure)),
            ]
            status = 409
        else:
            custody.record_event(db.session(), evidence, _event_input(form, file, verified), _actor())
            flash(_("Custody event recorded."), "success")
            return _back_to(evidence)
    return render_template("files/custody_form.html", form=form, e=evidence), status


def _event_input(form: CustodyEventForm, file: EvidenceFile | None, verified: str | None) -> custody.EventInput:
    return custody.EventInput(
        event_type=form.event_type.data,
        from_party=optional_text(form.from_party.data),
        to_party=optional_text(form.to_party.data),
        location=optional_text(form.location.data),
        purpose=optional_text(form.purpose.data),
        occurred_at=form.occurred_at_utc(),
        evidence_file=file,
        verified_sha256=verified,
    )


# --- the exhibit's page and the administrators' fixity page ----------------------------------


def file_tree(files: Sequence[EvidenceFile]) -> list[tuple[EvidenceFile, int]]:
    """The files with each derivative under its parent: (file, depth) in display order."""
    ids = {f.id for f in files}
    children: dict[int | None, list[EvidenceFile]] = {}
    for file in files:
        children.setdefault(file.parent_id if file.parent_id in ids else None, []).append(file)
    rows: list[tuple[EvidenceFile, int]] = []
    pending = [(f, 0) for f in reversed(children.get(None, []))]
    while pending:
        file, depth = pending.pop()
        rows.append((file, depth))
        pending.extend((child, depth + 1) for child in reversed(children.get(file.id, [])))
    return rows


def evidence_sections(evidence: Evidence) -> dict[str, Any]:
    """What the exhibit's page shows of its files and custody, in a fixed number of queries
    however many there are (the files come loaded with the exhibit)."""
    events, problems = custody.timeline(db.session(), evidence.id)
    uploader_ids = {f.uploaded_by_id for f in evidence.files if f.uploaded_by_id is not None}
    uploaders: dict[int, str] = {}
    if uploader_ids:  # names only: the page has no use for the rest of an account
        rows = db.session.execute(select(User.id, User.name, User.email).where(User.id.in_(uploader_ids)))
        uploaders = {user_id: name or email for user_id, name, email in rows}
    texts = text_derive.summaries(db.session(), evidence.id)
    text_files = {summary.extraction.text_file_id for summary in texts.values()}
    return {
        "file_rows": file_tree(evidence.files),
        "files_by_id": {f.id: f for f in evidence.files},
        "uploaders": uploaders,
        "custody_events": events,
        "chain_problems": problems,
        "upload_form": UploadForm() if role_at_least(current_user, "analyst") else None,
        "jobs": job_records.jobs_of_exhibit(db.session(), evidence),
        "texts": texts,
        "text_rows": [
            f for f in evidence.files if f.id in texts or (readable(f.media_type) and f.id not in text_files)
        ],
    }


@bp.get("/admin/fixity")
@role_required("admin")
def fixity() -> str:
    return render_template("files/fixity.html", run=last_run(db.session()), human_size=evidence_service.human_size)
