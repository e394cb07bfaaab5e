"""Import runs from the browser: upload a file, watch the dry run, apply it, read the reports.

An upload is kept under ``EVIDENCE_DIR/.imports/<token>`` between the preview and the apply;
the token goes into the user's signed session, so only the person who previewed a file can
apply it, once, within a day. Both runs stream their page: the head first, a progress line
as the rows go by, then the report. Flask sends the headers (and app._finish commits the
request's transaction) before the body is generated, so the generator owns its own
transaction: it commits what the run wrote or rolls it back, and never shows a traceback.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import os
import secrets
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import greenlet
from flask import Blueprint, abort, current_app, render_template, request, session, stream_with_context
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from extensions import db
from forms.import_runs import ApplyImportForm, ImportUploadForm
from models import ImportRun, User
from services.audit import trail as audit
from services.evidence.store import PREVIEWS, IncomingFile
from services.imports.apply import Settings
from services.imports.runs import OUTCOMES, ImportReport, Progress, run_import
from views.uploads import UploadRequest, accepts_files
from views.util import FormPage, role_required

bp = Blueprint("import_runs", __name__)

IMPORTS_DIR = PREVIEWS  # kept out of the fixity scan of stored files
PENDING_KEY = "pending_imports"
MAX_PENDING = 5  # previews remembered per session; the oldest is forgotten first
TOKEN_LIFETIME = dt.timedelta(days=1)
RUNS_SHOWN = 200


# --- the stored files between preview and apply ---------------------------------------------


def _imports_dir() -> Path:
    directory = Path(current_app.config["EVIDENCE_DIR"]) / IMPORTS_DIR
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _remove_stale_files() -> None:
    """Previews never applied: their files go after a day."""
    cutoff = time.time() - TOKEN_LIFETIME.total_seconds()
    for path in _imports_dir().iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def _keep_upload(incoming: IncomingFile) -> str:
    """Move the received file out of the incoming folder (which the request empties when
    it closes) under a new random token."""
    token = secrets.token_hex(16)
    incoming.flush()
    incoming.close()
    os.replace(incoming.path, _imports_dir() / token)
    incoming.finished = True  # no longer the request's to discard
    return token


def _remember(token: str, fmt: str, file_name: str, options: dict[str, bool]) -> None:
    pending: dict[str, dict[str, Any]] = dict(session.get(PENDING_KEY, {}))
    pending[token] = {
        "user": current_user.id,
        "format": fmt,
        "name": file_name,
        **options,
        "created": dt.datetime.now(dt.UTC).isoformat(),
    }
    while len(pending) > MAX_PENDING:
        pending.pop(min(pending, key=lambda t: str(pending[t]["created"])))
    session[PENDING_KEY] = pending


# --- receiving the upload ---------------------------------------------------------------------


def _upload_problem() -> str | None:
    """Why the request cannot be imported at all, or None. Call after the form read the body."""
    if request.mimetype != "multipart/form-data":
        return _("Send the file as a form upload (multipart/form-data).")
    current = request._get_current_object()  # type: ignore[attr-defined]
    received = current.incoming_files if isinstance(current, UploadRequest) else []
    if sum(incoming.size for incoming in received) > current_app.config["MAX_UPLOAD_BYTES"]:
        abort(413)
    if received and not request.files:
        return _("The upload was interrupted before it was complete. Nothing was stored: try again.")
    return None


def _empty_file_problem(storage: FileStorage) -> str | None:
    stream = storage.stream
    if not isinstance(stream, IncomingFile):  # UploadRequest writes every file part into one
        raise TypeError("the upload was not received through UploadRequest")
    return _("The file is empty.") if stream.size == 0 else None


@bp.get("/imports")
@role_required("analyst")
def list_runs() -> str:
    runs = db.session.scalars(
        select(ImportRun).options(joinedload(ImportRun.user)).order_by(ImportRun.id.desc()).limit(RUNS_SHOWN)
    ).all()
    return render_template("import_runs/list.html", runs=runs, outcomes=OUTCOMES, limit=RUNS_SHOWN)


@bp.get("/imports/runs/<int:run_id>")
@role_required("analyst")
def show_run(run_id: int) -> str:
    run = db.session.get(ImportRun, run_id)
    if run is None:
        abort(404)
    return render_template("import_runs/show.html", run=run, outcomes=OUTCOMES)


@bp.route("/imports/new", methods=["GET", "POST"])
@role_required("analyst")
@accepts_files
def new_import() -> FormPage:
    form = ImportUploadForm()
    if request.method == "POST":
        problem = _upload_problem()
        if problem:
            form.form_errors.append(problem)
        elif form.validate_on_submit():
            storage: FileStorage = form.file.data
            empty = _empty_file_problem(storage)
            if empty:
                form.file.errors = [*form.file.errors, empty]
            else:
                _remove_stale_files()
                file_name = (storage.filename or "")[:500]
                token = _keep_upload(storage.stream)  # type: ignore[arg-type]
                options = {name: bool(getattr(form, name).data) for name in ("lenient", "strict", "accept_certain")}
                _remember(token, form.fmt.data, file_name, options)
                entry = session[PENDING_KEY][token]
                return _streamed_run(token, entry, dry_run=True)
    status = 400 if request.method == "POST" else 200
    return render_template("import_runs/new.html", form=form), status


@bp.post("/imports/apply")
@role_required("analyst")
def apply_import() -> FormPage:
    form = ApplyImportForm()
    _remove_stale_files()
    if not form.validate_on_submit():
        return _refusal(_("There is no such import to apply. Upload the file again."))
    token = form.token.data
    pending: dict[str, dict[str, Any]] = dict(session.get(PENDING_KEY, {}))
    entry = pending.pop(token, None)
    session[PENDING_KEY] = pending  # a token is used once, whatever happens next
    if entry is None or entry.get("user") != current_user.id:
        return _refusal(_("This import is not waiting for you: it was applied already, or previewed by someone else."))
    created = dt.datetime.fromisoformat(str(entry["created"]))
    if dt.datetime.now(dt.UTC) - created > TOKEN_LIFETIME:
        (_imports_dir() / token).unlink(missing_ok=True)
        return _refusal(_("The preview is more than a day old. Upload the file again."))
    claimed = _imports_dir() / f"{token}.applying"
    try:
        os.replace(_imports_dir() / token, claimed)  # atomic: two submissions cannot both apply
    except FileNotFoundError:
        return _refusal(_("The file of this preview is gone: it was applied already. Upload it again."))
    return _streamed_run(token, entry, dry_run=False, path=claimed)


def _refusal(message: str) -> tuple[str, int]:
    return render_template("error.html", code=400, title=_("Import refused"), message=message), 400


# --- streaming a run ------------------------------------------------------------------------------


def _streamed_run(token: str, entry: dict[str, Any], *, dry_run: bool, path: Path | None = None) -> Response:
    """The page of one run, streamed. Everything that touches the session cookie (the CSRF
    secret, flashed messages) happens here, before the headers go out."""
    generate_csrf()
    marker = secrets.token_hex(8)
    page = render_template("import_runs/running.html", entry=entry, dry_run=dry_run, marker=marker)
    head, middle, tail = page.split(f"<!--{marker}-->", 2)
    user_id: int = current_user.id
    source = path or _imports_dir() / token

    def body() -> Iterator[str]:
        report: ImportReport | None = None
        try:
            yield head  # inside the try: a client gone already still gets its file removed
            # Loaded again: the generator may run under a new app context and session
            user = db.session.get(User, user_id)
            for step in _pumped(lambda progress: _run(source, entry, user, dry_run, progress)):
                if isinstance(step, ImportReport):
                    report = step
                else:
                    yield render_template("import_runs/_progress.html", **_progress_figures(step))
            db.session.commit()
        except Exception:
            current_app.logger.exception("import failed")
            db.session.rollback()
            report = None
        finally:
            if not dry_run or report is None or not report.ok:
                source.unlink(missing_ok=True)  # applied, refused or failed: nothing left to apply
        yield middle
        if report is None:
            yield render_template("import_runs/_failed.html")
        else:
            yield render_template("import_runs/_report.html", report=report, outcomes=OUTCOMES, token=token)
        yield tail

    return Response(stream_with_context(body()), mimetype="text/html")


def _run(
    path: Path, entry: dict[str, Any], user: User | None, dry_run: bool, progress: Callable[[Progress], None]
) -> ImportReport:
    # The run's own context (a copy, see _pumped): the actor set here ends with it
    audit.set_actor(user)
    with path.open("rb") as stream:
        return run_import(
            db.session(),
            str(entry["format"]),
            stream,
            user=user,
            file_name=str(entry["name"]) or None,
            dry_run=dry_run,
            lenient=bool(entry["lenient"]),
            strict=bool(entry.get("strict")),
            accept_certain=bool(entry.get("accept_certain")),
            progress=progress,
            total_bytes=path.stat().st_size,
            settings=Settings.from_config(current_app.config),
        )


def _pumped(work: Callable[[Callable[[Progress], None]], ImportReport]) -> Iterator[Progress | ImportReport]:
    """Each progress state of ``work`` as it happens, then its report.

    run_import reports progress through a callback, but a streamed page needs an iterator:
    the work runs in a greenlet that hands each state back. Same thread and same request
    context (copied), so it uses the request's database session and audit actor.
    """

    def progress(state: Progress) -> None:
        own = greenlet.getcurrent()
        assert own.parent is not None  # noqa: S101  (set below: the greenlet iterating)
        own.parent.switch(Progress(state.done, state.bytes_read, state.total_bytes, state.started))

    worker = greenlet.greenlet(lambda: work(progress))
    worker.gr_context = contextvars.copy_context()
    try:
        step = worker.switch()
        while not worker.dead:
            yield step
            worker.parent = greenlet.getcurrent()
            step = worker.switch()
        yield step
    finally:
        if not worker.dead:  # the client went away mid-run: unwind the import
            worker.throw(greenlet.GreenletExit)


def _progress_figures(state: Progress) -> dict[str, Any]:
    elapsed = max(time.monotonic() - state.started, 1e-6)
    left = None
    if state.total_bytes and state.bytes_read:
        left = round(elapsed / state.bytes_read * max(state.total_bytes - state.bytes_read, 0))
    return {
        "done": state.done,
        "rate": round(state.done / elapsed),
        "read_kb": state.bytes_read // 1024,
        "total_kb": (state.total_bytes or 0) // 1024,
        "left": left,
    }
