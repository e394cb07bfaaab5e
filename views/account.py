"""The signed-in user's own account: their API tokens (when each was issued and last used,
and whether it still works), which they may revoke. Tokens are issued from the command line
(`flask users token`); nobody sees another user's tokens here."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from extensions import db
from forms.officials import ConfirmForm
from models.base import utcnow
from services.auth import tokens
from views.util import role_required

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.get("/tokens")
@role_required("viewer")
def list_tokens() -> str:
    now = utcnow()
    records = tokens.tokens_of(db.session(), current_user)
    return render_template(
        "account/tokens.html",
        tokens=[(record, tokens.state(record, now)) for record in reversed(records)],  # newest first
        live=tokens.LIVE,
        form=ConfirmForm(),
    )


@bp.post("/tokens/<int:token_id>/revoke")
@role_required("viewer")
def revoke_token(token_id: int) -> Response:
    record = tokens.own_token(db.session(), current_user, token_id)
    if record is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if tokens.revoke(db.session(), record):
        flash(_("Token %(number)d revoked: it no longer works.", number=record.id), "success")
    else:
        flash(_("Token %(number)d was already revoked.", number=record.id), "info")
    return redirect(url_for("account.list_tokens"))
