"""A user's notifications (issue 25 item 3): the list, rendered through the reader's clearance
now (services/workspace/notifications.py), marking them read, and the unread count every
page's header shows (one query)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from extensions import db
from forms.officials import ConfirmForm
from models import Notification, SavedSearch
from services.common.access import role_at_least
from services.workspace import notifications as notification_service
from views.comments import comment_url, record_url
from views.saved_searches import link
from views.util import role_required

bp = Blueprint("notifications", __name__)


def unread_count() -> int:
    """For the header (a template global): 0 without a signed-in user."""
    if not getattr(current_user, "is_authenticated", False):
        return 0
    return notification_service.unread_count(db.session(), current_user)


def notification_url(n: Notification, search: SavedSearch | None = None) -> str | None:
    """Where a notification leads: the comment, the evidence link, the dossier, the task, the
    saved search with its new results, the import run (for those who may read runs)."""
    if n.comment is not None:
        return comment_url(n.comment)
    if n.record_kind == "saved_search":
        return link(search.page, search.query) if search is not None else None
    if n.record_kind == "import_run":
        return url_for("import_runs.show_run", run_id=n.record_id) if role_at_least(current_user, "analyst") else None
    if n.kind == "element_changed":
        return url_for("dossiers.show_dossier", official_id=n.record_id)
    if n.record_kind == "task":
        from flask import current_app

        return (
            url_for("tasks.show_task", task_id=n.record_id) if "tasks.show_task" in current_app.view_functions else None
        )
    return record_url(n.record_kind, n.record_id)


@bp.get("/notifications")
@role_required("viewer")
def list_notifications() -> str:
    shown = notification_service.for_reader(db.session(), current_user)
    return render_template(
        "notifications/list.html",
        shown=[(s, notification_url(s.notification, s.search)) for s in shown],
        form=ConfirmForm(formdata=None),
    )


@bp.post("/notifications/read")
@role_required("viewer")
def mark_all_read() -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    notification_service.mark_read(db.session(), current_user)
    flash(_("Every notification is marked read."), "success")
    return redirect(url_for("notifications.list_notifications"))


@bp.post("/notifications/<int:notification_id>/read")
@role_required("viewer")
def mark_read(notification_id: int) -> Response:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not notification_service.mark_read(db.session(), current_user, [notification_id]):
        abort(404)  # another user's, already read, or none: nothing to say about it
    return redirect(url_for("notifications.list_notifications"))
