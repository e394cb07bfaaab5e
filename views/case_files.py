"""Case files built as background jobs: asking for one from a dossier, and downloading a kept
one again (each download recorded as an export: services/exports/kept.py)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, request, send_file, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from extensions import db
from models import KeptCaseFile, Official, User
from services.common.access import visible_classifications
from services.evidence.store import store_for
from services.exports import kept as kept_service
from services.exports.case_files import MEDIA_TYPES
from services.exports.data import ExportError
from views.util import role_required

bp = Blueprint("case_files", __name__)


def _user() -> User:
    user: User = current_user._get_current_object()
    return user


def kept_context(official_id: int) -> dict[str, Any]:
    """What the dossier page shows of kept case files (outside its cached content: it depends on
    the reader's clearance and role)."""
    if not current_user.has_role("analyst"):
        return {"files": [], "official_id": official_id, "formats": ()}
    files = kept_service.of_official(db.session(), official_id, visible_classifications(current_user))
    return {"files": files, "official_id": official_id, "formats": kept_service.BACKGROUND_FORMATS}


@bp.post("/dossiers/<int:official_id>/export-job")
@role_required("analyst")
def build_case_file(official_id: int) -> Response:
    official = db.session.get(Official, official_id)
    if official is None or official.is_deleted:
        abort(404)
    try:
        job = kept_service.schedule(db.session(), [official_id], request.form.get("format", ""), _user())
    except ExportError as refusal:
        flash(str(refusal), "error")
        return redirect(url_for("dossiers.show_dossier", official_id=official_id, _anchor="kept-case-files"))
    return redirect(url_for("jobs.show_job", job_id=job.id))


@bp.post("/case-files/<int:kept_id>/download")
@role_required("analyst")
def download(kept_id: int) -> Response:
    kept = kept_service.get_visible(db.session(), kept_id, visible_classifications(current_user))
    if kept is None:
        abort(404)
    try:
        path = kept_service.download(db.session(), store_for(current_app.config), kept, _user())
    except ExportError as refusal:
        db.session.rollback()
        flash(str(refusal), "error")
        return redirect(_back(kept))
    return send_file(
        path,
        mimetype=MEDIA_TYPES[kept.format],
        as_attachment=True,
        download_name=kept_service.download_name(kept),
        max_age=0,
        etag=False,
        conditional=False,
    )


def _back(kept: KeptCaseFile) -> str:
    if kept.officials:
        return url_for("dossiers.show_dossier", official_id=kept.officials[0].id, _anchor="kept-case-files")
    return url_for("dossiers.list_dossiers")
