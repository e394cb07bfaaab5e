"""Read-only browsing of officials: the list and each official's page."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from services import officials as official_service
from services.access import visible_classifications

bp = Blueprint("officials", __name__)


@bp.get("/")
def index() -> Response:
    return redirect(url_for("officials.list_officials"))


@bp.get("/officials")
def list_officials() -> str:
    page = request.args.get("page", 1, type=int) or 1
    per_page = current_app.config["OFFICIALS_PER_PAGE"]
    listing = official_service.list_officials(page=max(page, 1), per_page=per_page, today=dt.date.today())
    if page > 1 and not listing.rows:
        abort(404)
    return render_template("officials/list.html", listing=listing)


@bp.get("/officials/<int:official_id>")
def show_official(official_id: int) -> str:
    page = official_service.official_page(
        official_id, visible=visible_classifications(current_user), today=dt.date.today()
    )
    if page is None:
        abort(404)
    return render_template("officials/detail.html", page=page)
