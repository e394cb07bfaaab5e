"""Search across officials (every name and script), institutions, decisions and evidence."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from extensions import db
from forms.search import SearchForm, TextFilterForm
from models.enums import Classification
from services.common.access import visible_classifications
from services.search import engine as search_service
from services.search import fulltext
from views.saved_searches import panel
from views.util import role_required

bp = Blueprint("search", __name__)

KIND_HEADINGS = {
    "official": _l("Officials"),
    "institution": _l("Institutions"),
    "decision": _l("Decisions"),
    "evidence": _l("Evidence"),
}
FIELD_LABELS = {
    "name": _l("name"),
    "native_name": _l("native name"),
    "alias": _l("other name"),
    "title": _l("title"),
    "instrument": _l("instrument"),
    "summary": _l("summary"),
    "exhibit_no": _l("exhibit number"),
}
# Where each kind of record is shown: its page's endpoint and path (/officials/<id>, ...).
RECORD_PAGES = {
    "official": ("officials.show_official", "official_id", "officials"),
    "institution": ("institutions.show_institution", "institution_id", "institutions"),
    "decision": ("decisions.show_decision", "decision_id", "decisions"),
    "evidence": ("evidence.show_evidence", "evidence_id", "evidence"),
}


def record_url(kind: str, record_id: int) -> str:
    """The record's page; its path when that page's blueprint does not name it yet."""
    endpoint, argument, path = RECORD_PAGES[kind]
    if endpoint in current_app.view_functions:
        return url_for(endpoint, **{argument: record_id})  # type: ignore[arg-type]  # mypy reads ** as every parameter
    return f"{request.script_root}/{path}/{int(record_id)}"


@bp.get("/search")
@role_required("viewer")
def search() -> str | tuple[str, int]:
    form = SearchForm(request.args)
    visible = visible_classifications(current_user)
    text_form = TextFilterForm(request.args)
    text_form.classification.choices = [(c, label) for c, label in Classification.choices() if c in visible]
    context: dict[str, Any] = {
        "form": form,
        "text_form": text_form,
        "results": None,
        "text_results": None,
        "text_error": None,
        "headings": KIND_HEADINGS,
        "field_labels": FIELD_LABELS,
        "record_url": record_url,
        "text_page_url": text_page_url,
        **panel("search"),
    }
    if not form.q.data:
        return render_template("search/results.html", **context)
    if not form.validate():
        return render_template("search/results.html", **context), 400
    try:
        context["results"] = search_service.search(db.session(), form.q.data, visible=visible)
    except search_service.QueryError:  # the form's checks mirror the service's: not expected
        form.q.errors = [_("This cannot be searched; try other words.")]
        return render_template("search/results.html", **context), 400
    if not text_form.validate():
        return render_template("search/results.html", **context), 400
    try:
        context["text_results"] = fulltext.search_text(
            db.session(), form.q.data, visible=visible, filters=text_form.filters(), page=text_form.page.data or 1
        )
    except fulltext.FulltextQueryError as refusal:
        context["text_error"] = str(refusal)
        return render_template("search/results.html", **context), 400
    return render_template("search/results.html", **context)


def text_page_url(page: int) -> str:
    """This search's address at another page of the results inside exhibits."""
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    return url_for("search.search", **args)  # type: ignore[arg-type]
