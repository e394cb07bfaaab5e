"""The viewer: an evidence file read in the browser (issue 22 item 4).

The viewer's page, its page images and its media stream obey exactly the download's rules
(services/evidence/files.py ``get_visible_file``: a file of an exhibit above the user's
clearance, or deleted, is missing -- 404 -- and the role is the download's, viewer). Opening
the viewer is one "view" event in the audit trail, filed under the exhibit; the page images
and the byte ranges of a stream, which the page asks for by itself, write nothing. A download
stays the posted form of the exhibit's page, with its custody event.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestedRangeNotSatisfiable

from extensions import db
from models import EvidenceFile, Support
from services.audit import trail
from services.common.access import role_at_least, visible_classifications
from services.evidence import pinpoints, viewer
from services.evidence.files import IntegrityFailure, get_visible_file, verify_stored
from services.evidence.store import EvidenceStore, store_for
from views.util import role_required

bp = Blueprint("viewer", __name__)


def _store() -> EvidenceStore:
    return store_for(current_app.config)


def _file_or_404(file_id: int) -> EvidenceFile:
    file = get_visible_file(db.session(), file_id, visible_classifications(current_user))
    if file is None:
        abort(404)
    return file


def _refused(refusal: viewer.ViewRefused) -> tuple[str, int]:
    titles = {400: _("Bad request"), 404: _("Not found"), 422: _("The file cannot be shown")}
    return render_template("error.html", code=refusal.status, title=titles[refusal.status], message=str(refusal)), (
        refusal.status
    )


@bp.get("/files/<int:file_id>/view")
@role_required("viewer")
def view_file(file_id: int) -> str | tuple[str, int]:
    """The file's pages (or player) and the text of each page, with search in the document."""
    file = _file_or_404(file_id)
    store = _store()
    try:
        verify_stored(store, file)
    except IntegrityFailure as failure:
        current_app.logger.error("integrity check failed for evidence file #%d", file.id)
        message = _("%(reason)s It is not shown. An administrator should run the fixity check.", reason=str(failure))
        return render_template("error.html", code=409, title=_("Integrity check failed"), message=message), 409
    kind = viewer.kind_of(file)
    layer = viewer.text_layer(db.session(), file)
    problem = None
    pages = 0
    if kind == "pages":
        try:
            pages = viewer.page_count(store, file)
        except viewer.ViewRefused as refusal:
            problem = str(refusal)
    pages = max(pages, max(layer.pages, default=0))
    evidence = file.evidence
    trail.record(
        db.session(),
        "view",
        "evidence_file",
        file.id,
        parent=("evidence", evidence.id),
        exhibit_no=evidence.exhibit_no,
        sha256=file.sha256,
    )
    return render_template(
        "viewer/view.html",
        f=file,
        e=evidence,
        kind=kind,
        pages=pages,
        layer=layer,
        problem=problem,
        width=viewer.DEFAULT_WIDTH,
        may_link=role_at_least(current_user, "analyst"),
        quote=_quote(file),
    )


def _quote(file: EvidenceFile) -> pinpoints.Highlight | None:
    """The passage of ``?support=`` to mark (a link of this file's exhibit); None otherwise."""
    support_id = request.args.get("support", type=int)
    if support_id is None or not 0 < support_id <= pinpoints.MAX_ID:
        return None
    support = db.session.get(Support, support_id)
    if support is None or support.evidence_id != file.evidence_id:
        return None
    return pinpoints.highlight(db.session(), file, support)


@bp.get("/files/<int:file_id>/pages/<page>")
@role_required("viewer")
def page_image(file_id: int, page: str) -> Response | tuple[str, int]:
    """One page drawn as PNG (``?width=`` one of services/evidence/viewer.py WIDTHS)."""
    file = _file_or_404(file_id)
    try:
        number = viewer.parse_page(page)
        width = viewer.parse_width(request.args.get("width"))
        path = viewer.rendered_page(_store(), file, number, width)
    except viewer.ViewRefused as refusal:
        return _refused(refusal)
    response = send_file(path, mimetype="image/png", conditional=False, etag=False, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/files/<int:file_id>/media")
@role_required("viewer")
def media(file_id: int) -> Response:
    """The bytes of an audio or video file for the browser's player: byte ranges (206 with
    Content-Range; 416 for a range past the end), shown inline, never stored by a cache."""
    file = _file_or_404(file_id)
    if viewer.kind_of(file) not in ("audio", "video"):
        abort(404)
    path = _store().path_for(file.sha256)
    try:
        response = send_file(path, mimetype=file.media_type, conditional=True, etag=False, max_age=0)
    except RequestedRangeNotSatisfiable:  # answered here: the error pages would drop Content-Range
        response = current_app.response_class(status=416, headers={"Content-Range": f"bytes */{file.size}"})
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = "inline"
    return response
