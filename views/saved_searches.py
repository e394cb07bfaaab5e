"""Saved searches of the dossiers index, the evidence list and search (issue 25 item 4):
saved from the page's own filters, listed on that page for their owner alone, opened by the
page's link, which is also the link to send a colleague."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from extensions import db
from forms.saved_searches import SavedSearchForm
from services.workspace import saved_searches as saved_service
from views.util import role_required
from views.watches import watch_context

bp = Blueprint("saved_searches", __name__)

# Each page whose filters can be saved: its endpoint
PAGE_ENDPOINTS = {"dossiers": "dossiers.list_dossiers", "evidence": "evidence.list_evidence", "search": "search.search"}


def link(page: str, query: str) -> str:
    """The page with these filters: what a saved search opens, and what is shared."""
    return url_for(PAGE_ENDPOINTS[page]) + ("?" + query if query else "")


def panel(page: str) -> dict[str, Any]:
    """What a page shows of its saved searches: the viewer's own, and the form to save the
    current filters (a template context; templates/_macros/saved_searches.html renders it)."""
    try:
        current = saved_service.normalise(page, request.query_string.decode("utf-8"))
    except (UnicodeDecodeError, saved_service.SavedSearchError):
        current = ""  # nothing to save; the page itself says what is wrong with its arguments
    form = SavedSearchForm(page=page, query=current)
    mine = saved_service.for_user(db.session(), current_user.id, page)
    return {
        "saved_form": form,
        "saved_searches": [(s, link(page, s.query)) for s in mine],
        "saved_watches": {s.id: watch_context("saved_search", s.id) for s in mine},
    }


@bp.post("/saved-searches")
@role_required("viewer")
def save_search() -> Response:
    form = SavedSearchForm()
    page = form.page.data if form.page.data in PAGE_ENDPOINTS else None
    if page is None:
        abort(400)
    try:
        query = saved_service.normalise(page, form.query.data or "")
    except saved_service.SavedSearchError as refusal:
        flash(str(refusal), "error")
        return redirect(link(page, ""))
    back = link(page, query)
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(back)
    try:
        saved = saved_service.save(db.session(), current_user.id, page, form.name.data, query)
    except saved_service.SavedSearchError as refusal:
        flash(str(refusal), "error")
        return redirect(back)
    name = saved.search.name
    flash(
        _("Saved search “%(name)s” updated.", name=name)
        if saved.replaced
        else _("Search saved as “%(name)s”.", name=name),
        "success",
    )
    return redirect(back)


@bp.post("/saved-searches/<int:search_id>/delete")
@role_required("viewer")
def delete_search(search_id: int) -> Response:
    search = saved_service.owned(db.session(), current_user.id, search_id)  # CSRF: checked for every POST
    if search is None:
        abort(404)  # anyone else's is as absent as a missing one
    page, name = search.page, search.name
    saved_service.delete(db.session(), search)
    flash(_("Saved search “%(name)s” deleted.", name=name), "success")
    return redirect(url_for(PAGE_ENDPOINTS[page]))
