"""Comment threads on officials, decisions, exhibits, links of evidence and dossiers (issue 25
item 2): the thread shown on each record's page (``thread_context``, rendered by
templates/_macros/comments.html), writing, replying, editing, retracting and each comment's
history. services/workspace/comments.py holds the rules (who writes, mentions, clearance)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from extensions import db
from forms.comments import CommentEditForm, CommentForm
from forms.officials import ConfirmForm
from models import Comment
from models.enums import COMMENTED_RECORDS, InvolvementRole
from services.common import records
from services.common.access import role_at_least, visible_classifications
from services.evidence import exhibits as evidence_service
from services.workspace import comments as comment_service
from services.workspace.records import record_visible
from views.formatting import partial_date
from views.util import MAX_ID, FormPage, role_required

bp = Blueprint("comments", __name__)


def record_url(kind: str, record_id: int) -> str:
    """The page that shows a record's thread."""
    if kind == "official":
        return url_for("officials.show_official", official_id=record_id)
    if kind == "dossier":
        return url_for("dossiers.show_dossier", official_id=record_id)
    if kind == "decision":
        return url_for("decisions.show_decision", decision_id=record_id)
    if kind == "evidence":
        return url_for("evidence.show_evidence", evidence_id=record_id)
    return url_for("comments.support_thread", support_id=record_id)


def comment_url(comment: Comment) -> str:
    return record_url(comment.record_kind, comment.record_id) + f"#comment-{comment.id}"


def thread_context(kind: str, record_id: int, form: CommentForm | None = None) -> dict[str, Any]:
    """What templates/_macros/comments.html needs for a record's thread, as the reader may see it."""
    visible = visible_classifications(current_user)
    nodes = comment_service.thread(db.session(), kind, record_id, visible)
    return {
        "kind": kind,
        "record_id": record_id,
        "nodes": nodes,
        "count": _count(nodes),
        "form": form or CommentForm(formdata=None),
        "may_write": comment_service.may_write(current_user),
        "is_admin": role_at_least(current_user, "admin"),
        "user_id": current_user.id,
        "retract_form": ConfirmForm(formdata=None),
    }


def _count(nodes: list[comment_service.Node]) -> int:
    return sum(1 + _count(n.replies) for n in nodes)


def _visible_or_404(comment_id: int) -> Comment:
    comment = comment_service.visible_comment(db.session(), comment_id, visible_classifications(current_user))
    if comment is None:
        abort(404)
    return comment


@bp.post("/comments/<kind>/<int:record_id>")
@role_required("analyst")
def add_comment(kind: str, record_id: int) -> FormPage:
    if kind not in COMMENTED_RECORDS:
        abort(404)
    form = CommentForm()
    parent_id = _parent_id(form.parent_id.data)
    refusal: str | None = None
    if form.validate_on_submit():
        try:
            comment = comment_service.add(db.session(), current_user, kind, record_id, form.body.data, parent_id)
        except LookupError:
            abort(404)
        except comment_service.CommentError as exc:
            refusal = str(exc)
        else:
            flash(_("Comment added."), "success")
            return redirect(comment_url(comment))
    elif not record_visible(db.session(), kind, record_id, visible_classifications(current_user)):
        abort(404)
    # Refused: the text comes back in the form with the reason, nothing lost
    page = render_template(
        "comments/refused.html",
        form=form,
        refusal=refusal,
        action=url_for("comments.add_comment", kind=kind, record_id=record_id),
        back=record_url(kind, record_id),
    )
    return page, 400


def _parent_id(raw: str | None) -> int | None:
    if not raw:
        return None
    if not (raw.isdecimal() and raw.isascii() and len(raw) <= len(str(MAX_ID))) or int(raw) > MAX_ID:
        abort(400)
    return int(raw)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@role_required("analyst")
def edit_comment(comment_id: int) -> FormPage:
    comment = _visible_or_404(comment_id)
    if comment.author_id != current_user.id or comment.retracted_at is not None:
        abort(403)
    form = CommentEditForm(obj=comment) if request.method == "GET" else CommentEditForm()
    if request.method == "GET":
        form.version.data = comment.version
        return render_template("comments/edit.html", form=form, comment=comment, back=comment_url(comment))
    status = 400
    if form.validate_on_submit():
        try:
            comment_service.edit(db.session(), current_user, comment, form.body.data, form.version.data)
        except records.EditConflict:
            db.session.rollback()
            form.form_errors.append(
                _("Someone else changed this comment while you were editing. Nothing was saved: reload to see it.")
            )
            status = 409
        except comment_service.CommentError as exc:
            form.body.errors = [*form.body.errors, str(exc)]
        else:
            flash(_("Comment saved."), "success")
            return redirect(comment_url(comment))
    page = render_template("comments/edit.html", form=form, comment=comment, back=comment_url(comment))
    return page, status


@bp.post("/comments/<int:comment_id>/retract")
@role_required("analyst")
def retract_comment(comment_id: int) -> Response:
    comment = _visible_or_404(comment_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        comment_service.retract(db.session(), current_user, comment)
    except PermissionError:
        abort(403)
    flash(_("Comment retracted: its text stays in its history."), "success")
    return redirect(comment_url(comment))


@bp.get("/comments/<int:comment_id>/history")
@role_required("viewer")
def comment_history(comment_id: int) -> str:
    comment = _visible_or_404(comment_id)
    return render_template(
        "comments/history.html",
        comment=comment,
        revisions=comment_service.history(db.session(), comment),
        back=comment_url(comment),
    )


@bp.get("/supports/<int:support_id>/comments")
@role_required("viewer")
def support_thread(support_id: int) -> str:
    """A link of evidence to a fact, with its thread."""
    support = evidence_service.get_support(db.session(), support_id, visible_classifications(current_user))
    if support is None:
        abort(404)
    return render_template(
        "comments/support.html",
        support=support,
        fact=evidence_service.fact_label(support, partial_date, InvolvementRole.label_of),
        thread=thread_context("support", support.id),
    )
