"""Candidate-defendant dossiers: the index of all officials by strength, and each dossier.

The assessment is computed on every view from the facts the viewer may see; prosecutors
record the case decisions (status, lead, theory, notes) and the modes of liability to charge
on the dossier page.
"""

from __future__ import annotations

import datetime as dt
import tempfile

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy.exc import OperationalError
from werkzeug.wrappers import Response

from extensions import db
from forms.dossiers import CaseForm, ModeChoiceForm
from models.enums import (
    ACTIVE_TASK_STATUSES,
    DOSSIER_STATUSES,
    EXPORT_FORMATS,
    MANIFEST_ASPECTS,
    DossierStatus,
    LiabilityMode,
)
from services.common import records
from services.common.access import role_at_least, visible_classifications
from services.disclosure.dossiers import dossier_disclosure
from services.dossiers import page_versions
from services.dossiers import summaries as dossier_summaries
from services.dossiers.pages import (
    COUNT_LIMIT,
    ELEMENT_CODES,
    EXHIBITS_PER_ELEMENT,
    INDEX_PER_PAGE,
    DossierPage,
    IndexFilters,
    dossier_index,
    dossier_page,
)
from services.dossiers.workflow import (
    CaseInput,
    WorkflowError,
    allowed_next,
    apply_case,
    choose_modes,
    lead_candidates,
    open_dossier,
)
from services.workspace import tasks as task_service
from views.comments import thread_context
from views.labels import label
from views.listing import Page
from views.page_cache import cached_render
from views.saved_searches import panel
from views.util import (
    FormPage,
    institution_filter,
    institution_shown,
    optional_text,
    role_required,
    state_filter_choices,
)
from views.watches import watch_context

bp = Blueprint("dossiers", __name__)


INDEX_SORTS = ("strength", "name", "status")


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _link(kind: str, record_id: int) -> str:
    if kind == "official":
        return url_for("dossiers.show_dossier", official_id=record_id)
    return url_for("decisions.show_decision", decision_id=record_id)


def _filters() -> tuple[IndexFilters, dict[str, str]]:
    """The index filters from the query string; unknown values narrow nothing."""
    args = {k: request.args.get(k, "").strip() for k in ("state", "institution", "status", "missing", "undisclosed")}
    filters = IndexFilters(
        state=args["state"] or None,
        institution_ids=tuple(institution_filter(args["institution"])) if args["institution"] else None,
        status=args["status"] if args["status"] in DOSSIER_STATUSES else None,
        missing=args["missing"] if args["missing"] in ELEMENT_CODES else None,
        undisclosed=args["undisclosed"] == "1",
    )
    return filters, {k: v for k, v in args.items() if v}


def _cursor(name: str) -> int | None:
    """An official id to page after or before; anything else starts at the first page."""
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _heal_stale() -> bool:
    """Recompute a few stale summaries first; when another request holds the database's
    write lock, show the stored values rather than fail (they are healed next time).
    True when no summary is left stale."""
    try:
        with db.session.begin_nested():
            return dossier_summaries.heal(db.session(), dossier_summaries.HEAL_PER_REQUEST)
    except OperationalError:
        current_app.logger.info("stale dossier summaries left for a later request: database busy")
        return False


@bp.get("/dossiers")
@role_required("viewer")
def list_dossiers() -> str:
    """The index reads stored summaries (services/dossiers/summaries.py) for the viewer's
    clearance, a page at a time; stale ones are recomputed first, a bounded number per request."""
    key = (request.query_string, current_user.role, visible_classifications(current_user), str(get_locale()), _today())
    settled: list[bool] = []

    def render() -> tuple[str]:
        settled.append(_heal_stale())
        return _render_index()

    # An index page is kept only once no summary is left to heal (each visit heals some).
    (body,) = cached_render(db.session(), "dossiers", key, render, keep=lambda: all(settled))
    return render_template("dossiers/list.html", body=Markup(body), **panel("dossiers"))  # noqa: S704  (rendered by a template)


def _render_index() -> tuple[str]:
    filters, args = _filters()
    sort = request.args.get("sort", "strength")
    sort = sort if sort in INDEX_SORTS else "strength"
    index = dossier_index(
        db.session(),
        filters,
        visible=visible_classifications(current_user),
        today=_today(),
        sort=sort,
        after=_cursor("after"),
        before=_cursor("before"),
    )
    direction = "desc" if sort == "strength" else "asc"
    page = Page(index.rows, index.total, 1, INDEX_PER_PAGE, sort, direction, args)
    filter_fields = [
        ("state", _("State"), "select", state_filter_choices()),
        ("institution", _("Institution"), "institution", institution_shown(args.get("institution", ""))),
        ("status", _("Status"), "select", [(s, label(DossierStatus, s)) for s in DOSSIER_STATUSES]),
        ("missing", _("Missing element"), "select", [(c, c) for c in ELEMENT_CODES]),
        ("undisclosed", _("Exculpatory material"), "select", [("1", _("some not yet disclosed to the defence"))]),
    ]
    return (
        render_template(
            "dossiers/_list.html",
            page=page,
            index=index,
            filter_fields=filter_fields,
            codes=ELEMENT_CODES,
            sort=sort,
            formats=EXPORT_FORMATS,
            count_limit=COUNT_LIMIT,
        ),
    )


def _page_or_404(official_id: int) -> DossierPage:
    page = dossier_page(
        db.session(),
        official_id,
        visible=visible_classifications(current_user),
        scope_start=current_app.config["TEMPORAL_SCOPE_START"],
        today=_today(),
        link=_link,
        page=max(1, request.args.get("involvements", 1, type=int) or 1),
        four_eyes=bool(current_app.config.get("FOUR_EYES_GRADES", False)),
    )
    if page is None:
        abort(404)
    return page


def _case_form(page: DossierPage, form: CaseForm | None = None) -> CaseForm:
    dossier = page.dossier
    if form is None:
        form = CaseForm(obj=dossier) if dossier else CaseForm(data={"status": page.status})
        form.version.data = dossier.version if dossier else None
    form.status.choices = [(s, label(DossierStatus, s)) for s in (page.status, *allowed_next(page.status))]
    form.lead_prosecutor_id.choices = [("", _("none"))] + [
        (u.id, u.name or u.email) for u in lead_candidates(db.session())
    ]
    return form


MODES_PREFIX = "modes"  # the mode choice's fields, apart from the case form's on the same page


def _modes_form(page: DossierPage, form: ModeChoiceForm | None = None) -> ModeChoiceForm:
    if form is None:
        form = ModeChoiceForm(prefix=MODES_PREFIX, data={"modes": list(page.charged_modes)})
        form.version.data = page.dossier.version if page.dossier else None
    return form


@bp.get("/dossiers/<int:official_id>")
@role_required("viewer")
def show_dossier(official_id: int) -> str:
    def render() -> tuple[str, str]:
        page = _page_or_404(official_id)
        if role_at_least(current_user, "prosecutor"):
            return page.official.name, _render_content(page, _case_form(page), _modes_form(page))
        return page.official.name, _render_content(page, None, None)

    # Everything the content depends on besides the data (whose generation the cache adds)
    key = (
        official_id,
        request.query_string,
        current_user.role,
        visible_classifications(current_user),
        str(get_locale()),
        _today(),
    )
    name, body = cached_render(
        db.session(), "dossier", key, render, version=lambda session: page_versions.current(session, official_id)
    )
    return _framed(official_id, name, body)


@bp.post("/dossiers/<int:official_id>/case")
@role_required("prosecutor")
def save_case(official_id: int) -> FormPage:
    page = _page_or_404(official_id)
    form = _case_form(page, CaseForm())
    if form.validate_on_submit():
        dossier = page.dossier or open_dossier(db.session(), page.official)
        try:
            if page.dossier is not None:
                records.check_version(dossier, form.version.data)
            change = apply_case(
                db.session(),
                dossier,
                CaseInput(
                    status=form.status.data,
                    lead_prosecutor_id=form.lead_prosecutor_id.data,
                    theory=optional_text(form.theory.data),
                    notes=optional_text(form.notes.data),
                    reason=optional_text(form.reason.data),
                ),
                current_user,
            )
            records.flush_or_conflict(db.session())
        except records.EditConflict:
            form.form_errors.append(
                _("Someone else changed this dossier while you were editing. Nothing was saved: reload to see it.")
            )
            return _render_with_form(page, form), 409
        except WorkflowError as exc:
            field_name = {"lead": "lead_prosecutor_id"}.get(exc.field or "", exc.field)
            if field_name and field_name in form:  # beside the field it is about
                form[field_name].errors = [*form[field_name].errors, str(exc)]
            else:
                form.form_errors.append(str(exc))
        else:
            if change is not None:
                flash(_("Status changed to %(status)s.", status=label(DossierStatus, change.to_status)), "success")
            else:
                flash(_("Dossier saved."), "success")
            return redirect(url_for("dossiers.show_dossier", official_id=official_id))
    return _render_with_form(page, form), 400


@bp.post("/dossiers/<int:official_id>/modes")
@role_required("prosecutor")
def save_modes(official_id: int) -> FormPage:
    """Record the modes of liability to charge, with the reason (a new choice replaces the last)."""
    page = _page_or_404(official_id)
    form = _modes_form(page, ModeChoiceForm(prefix=MODES_PREFIX))
    if form.validate_on_submit():
        dossier = page.dossier or open_dossier(db.session(), page.official)
        try:
            if page.dossier is not None:
                records.check_version(dossier, form.version.data)
            choice = choose_modes(db.session(), dossier, form.modes.data or [], form.reason.data, current_user)
            records.flush_or_conflict(db.session())
        except records.EditConflict:
            form.form_errors.append(
                _("Someone else changed this dossier while you were editing. Nothing was saved: reload to see it.")
            )
            return _render_with_form(page, modes_form=form), 409
        except WorkflowError as exc:
            form.form_errors.append(str(exc))
        else:
            chosen = "; ".join(label(LiabilityMode, m) for m in choice.modes) or _("none")
            flash(_("Modes of liability to charge recorded: %(modes)s.", modes=chosen), "success")
            return redirect(url_for("dossiers.show_dossier", official_id=official_id, _anchor="modes"))
    return _render_with_form(page, modes_form=form), 400


def _render_with_form(
    page: DossierPage, form: CaseForm | None = None, *, modes_form: ModeChoiceForm | None = None
) -> str:
    """The page again with one form as submitted (and its errors), the other fresh."""
    content = _render_content(page, form or _case_form(page), modes_form or _modes_form(page))
    return _framed(page.official.id, page.official.name, content)


def _framed(official_id: int, name: str, body: str) -> str:
    """The page around the dossier's content (``body``: dossiers/_page.html as rendered, its
    values escaped by the template, so it is inserted as it is), with the dossier's comment
    thread, rendered for this reader outside the cached content (it shows their own edit links),
    and the disclosure of its contradicting exhibits to the defence (services/disclosure/dossiers.py)."""
    thread = thread_context("dossier", official_id)
    watch = watch_context("dossier", official_id)
    # Disclosure to the defence changes apart from the dossier's facts: read afresh each visit
    disclosure = dossier_disclosure(db.session(), official_id, visible_classifications(current_user))
    from views.case_files import kept_context  # noqa: PLC0415  (that blueprint links back to dossiers)

    kept = kept_context(official_id)
    return render_template(
        "dossiers/detail.html",
        name=name,
        body=Markup(body),  # noqa: S704
        thread=thread,
        watch=watch,
        disclosure=disclosure,
        kept=kept,
    )


def _render_content(page: DossierPage, form: CaseForm | None, modes_form: ModeChoiceForm | None) -> str:
    from services.exports.case_files import past_exports

    board = task_service.of_official(db.session(), page.official.id, visible_classifications(current_user))
    gap_tasks = {t.gap_key: t for status in ACTIVE_TASK_STATUSES for t in board[status]}
    return render_template(
        "dossiers/_page.html",
        d=page,
        gap_tasks=gap_tasks,
        gap_key=lambda g: str(task_service.first_key(g.elements, g.target, g.action)),
        active_tasks=len(gap_tasks),
        form=form,
        modes_form=modes_form,
        codes=ELEMENT_CODES,
        gap_url=gap_url,
        exports=past_exports(db.session(), page.official.id, visible_classifications(current_user)),
        formats=EXPORT_FORMATS,
        per_element=EXHIBITS_PER_ELEMENT,
    )


def gap_url(action: str, target: tuple[str, int], official_id: int) -> str | None:
    """The form that fills a gap of ``official_id``'s dossier, for a user allowed to use it
    (analysts and above); a task made of the gap links to it too (views/tasks.py)."""
    if not role_at_least(current_user, "analyst"):
        return None
    kind, record_id = target
    if action == "evidence":
        return url_for("dossiers.link_evidence", official_id=official_id, target=f"{kind}:{record_id}")
    if action == "date":
        endpoints = {
            "tenure": ("officials.edit_tenure", "tenure_id"),
            "decision": ("decisions.edit_decision", "decision_id"),
            "act": ("acts.edit_act", "act_id"),
        }
        if kind in endpoints:
            endpoint, arg = endpoints[kind]
            return url_for(endpoint, **{arg: record_id})  # type: ignore[arg-type]  # mypy reads ** as every parameter
        return None
    if action == "tenure":
        return url_for("officials.new_tenure", official_id=official_id)
    if action == "act" and kind == "act":
        return url_for("acts.edit_act", act_id=record_id)
    if action in MANIFEST_ASPECTS and kind == "act":
        return url_for("acts.edit_assessment", act_id=record_id, aspect=action)
    if action == "involvement":
        return url_for("decisions.list_decisions")
    if action == "confirm" and kind == "support":
        return url_for("evidence.confirm_support", support_id=record_id)
    return None


def _target_or_404(page: DossierPage, target: str) -> tuple[str, int, str]:
    """A fact of this dossier named as ``kind:id`` in the query string, with its label."""
    from services.dossiers.pages import fact_labels

    kind, _sep, raw_id = target.partition(":")
    labels = fact_labels(page.facts)
    if not raw_id.isdigit() or (kind, int(raw_id)) not in labels:
        abort(404)
    return kind, int(raw_id), labels[(kind, int(raw_id))]


@bp.route("/dossiers/<int:official_id>/link-evidence", methods=["GET", "POST"])
@role_required("analyst")
def link_evidence(official_id: int) -> FormPage:
    """Fill an evidence gap: link an exhibit, by its number, to one fact of the dossier."""
    from forms.dossiers import LinkEvidenceForm
    from services.evidence import exhibits as evidence_service

    page = _page_or_404(official_id)
    kind, target_id, fact = _target_or_404(page, request.args.get("target", ""))
    form = LinkEvidenceForm()
    if form.validate_on_submit():
        visible = visible_classifications(current_user)
        evidence = evidence_service.get_by_number(db.session(), form.exhibit_no.data, visible)
        if evidence is None:
            form.exhibit_no.errors.append(_("There is no exhibit with this number that you may see."))
        elif evidence_service.duplicate_support(db.session(), evidence.id, kind, target_id):
            form.exhibit_no.errors.append(
                _(
                    "This exhibit is already linked to this fact: an exhibit supports or contradicts a fact, never"
                    " both. Edit that link to change its stance."
                )
            )
        else:
            evidence_service.add_support(
                db.session(),
                evidence,
                kind,
                target_id,
                stance=form.stance.data,
                pinpoint=optional_text(form.pinpoint.data),
                note=optional_text(form.note.data),
            )
            flash(_("Exhibit %(number)s linked to %(fact)s.", number=evidence.exhibit_no, fact=fact), "success")
            return redirect(url_for("dossiers.show_dossier", official_id=official_id))
    status = 400 if request.method == "POST" else 200
    return render_template("dossiers/link_evidence.html", d=page, form=form, fact=fact), status


# --- exports --------------------------------------------------------------------------------


def _send_export(official_ids: list[int], fmt: str, back: str) -> Response:
    """Build the case file in a temporary file (streamed to disk, never whole in memory),
    record it, and send it as an attachment; the request then commits the record."""
    from services.exports.case_files import MEDIA_TYPES, download_name, export_case_file
    from services.exports.data import ExportError

    if fmt not in EXPORT_FORMATS:
        abort(400, description=_("Choose a format: PDF, bag, FollowTheMoney or CSV."))
    spool = tempfile.TemporaryFile(prefix="tribunal-export-")  # noqa: SIM115  (closed by the response)
    try:
        record = export_case_file(db.session(), official_ids, fmt, current_user, spool, config=current_app.config)
    except ExportError as exc:
        spool.close()
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(back)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return send_file(
        spool,
        mimetype=MEDIA_TYPES[fmt],
        as_attachment=True,
        download_name=download_name(record),
        max_age=0,
        etag=False,
        conditional=False,
    )


@bp.post("/dossiers/<int:official_id>/export")
@role_required("analyst")
def export_dossier(official_id: int) -> Response:
    _page_or_404(official_id)
    back = url_for("dossiers.show_dossier", official_id=official_id)
    return _send_export([official_id], request.form.get("format", ""), back)


@bp.post("/dossiers/export")
@role_required("analyst")
def export_selection() -> Response:
    ids = [int(v) for v in request.form.getlist("official_id") if v.isdigit()]
    if not ids:
        flash(_("Select at least one dossier to export."), "error")
        return redirect(url_for("dossiers.list_dossiers"))
    return _send_export(list(dict.fromkeys(ids)), request.form.get("format", ""), url_for("dossiers.list_dossiers"))
