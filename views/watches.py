"""Watching a dossier, an official or a saved search (issue 25 item 3):
the button on each (``watch_context``, rendered by templates/_macros/watch.html), and setting
or removing a watch. services/workspace/watches.py decides who is told what."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from extensions import db
from forms.watches import WatchForm
from services.workspace import saved_searches as saved_service
from services.workspace import watches as watch_service
from views.util import role_required

bp = Blueprint("watches", __name__)


def watch_context(kind: str, target_id: int) -> dict[str, Any]:
    """What templates/_macros/watch.html needs: whether the reader watches it."""
    found = watch_service.watching(db.session(), current_user.id, kind, target_id)
    return {"kind": kind, "target_id": target_id, "watching": found is not None}


def _back(kind: str, target_id: int) -> str:
    if kind == "official":
        return url_for("officials.show_official", official_id=target_id)
    if kind == "dossier":
        return url_for("dossiers.show_dossier", official_id=target_id)
    from views.saved_searches import link  # noqa: PLC0415  (the saved searches' panel shows this module's buttons)

    search = saved_service.owned(db.session(), current_user.id, target_id)
    return link(search.page, search.query) if search is not None else url_for("dossiers.list_dossiers")


def _form() -> WatchForm:
    form = WatchForm()
    if not form.validate_on_submit():
        abort(400)  # the buttons send nothing else: a forged or tokenless request
    return form


@bp.post("/watches")
@role_required("viewer")
def watch() -> Response:
    form = _form()
    kind, target_id = form.kind.data, form.target_id.data
    try:
        watch_service.watch(db.session(), current_user, kind, target_id)
    except LookupError:
        abort(404)  # a missing official, or another user's saved search
    except watch_service.WatchError as refusal:
        flash(str(refusal), "error")
        return redirect(_back(kind, target_id))
    flash(_("You will be notified of changes here."), "success")
    return redirect(_back(kind, target_id))


@bp.post("/watches/delete")
@role_required("viewer")
def unwatch() -> Response:
    form = _form()
    kind, target_id = form.kind.data, form.target_id.data
    if not watch_service.unwatch(db.session(), current_user, kind, target_id):
        abort(404)
    flash(_("You are no longer watching this."), "success")
    return redirect(_back(kind, target_id))
