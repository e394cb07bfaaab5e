"""Evidence and its supports (links to the facts it bears on): browse, add and edit.

Evidence above the user's clearance is treated as missing everywhere: lists leave it out
(and say only how many items are withheld), every page that names it answers 404.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from extensions import db
from forms.evidence import (
    CREDIBILITY_MEANINGS,
    RELIABILITY_MEANINGS,
    TARGET_LABELS,
    EvidenceForm,
    SupportEditForm,
    SupportForm,
)
from forms.officials import ConfirmForm, DeleteForm
from models import Evidence, Support
from models.enums import (
    CLASSIFICATIONS,
    CREDIBILITY_GRADES,
    EVIDENCE_KINDS,
    RELIABILITY_GRADES,
    SUPPORT_TARGETS,
    Classification,
    EvidenceKind,
    InvolvementRole,
    Stance,
)
from services.common import records
from services.common.access import role_at_least, settable_classifications, visible_classifications
from services.evidence import confirmations, pinpoints, viewer
from services.evidence import exhibits as evidence_service
from services.evidence import listing as evidence_listing
from services.evidence.exhibits import web_address_fault
from services.evidence.store import store_for
from views import evidence_files
from views.comments import thread_context
from views.formatting import partial_date
from views.labels import label
from views.listing import paginate
from views.saved_searches import panel
from views.util import FormPage, optional_text, role_required

bp = Blueprint("evidence", __name__)


_CLASSIFICATION_RANK = case({c: i for i, c in enumerate(CLASSIFICATIONS)}, value=Evidence.classification)

SORTS: dict[str, list[Any]] = {
    "exhibit_no": [Evidence.exhibit_no, Evidence.id],
    "title": [Evidence.title, Evidence.id],
    "kind": [Evidence.kind, Evidence.exhibit_no],
    "classification": [_CLASSIFICATION_RANK, Evidence.exhibit_no],
    "grade": [Evidence.reliability, Evidence.credibility, Evidence.exhibit_no],
}


def _visible() -> tuple[str, ...]:
    return visible_classifications(current_user)


def _evidence_or_404(evidence_id: int, *, deleted_ok: bool = False) -> Evidence:
    evidence = evidence_service.get_visible(db.session(), evidence_id, _visible(), deleted_ok=deleted_ok)
    if evidence is None:
        abort(404)
    return evidence


def _support_or_404(support_id: int) -> Support:
    support = evidence_service.get_support(db.session(), support_id, _visible())
    if support is None:
        abort(404)
    return support


def external_url(url: str | None) -> str | None:
    """The address as a link only when it is http(s); anything else is shown as text."""
    return url if url and web_address_fault(url) is None else None


# --- browsing -----------------------------------------------------------------------------


@bp.get("/evidence")
@role_required("viewer")
def list_evidence() -> str:
    show_deleted = request.args.get("deleted") == "1" and role_at_least(current_user, "admin")
    visible = _visible()
    page = paginate(
        db.session(),
        evidence_service.visible_query(visible, deleted=show_deleted),
        sorts=SORTS,
        default_sort="exhibit_no",
        filters=evidence_listing.FILTERS,
        extra_args={"deleted": "1"} if show_deleted else None,
    )
    filter_fields = [
        ("kind", _("Kind"), "select", [(k, label(EvidenceKind, k)) for k in EVIDENCE_KINDS]),
        ("classification", _("Classification"), "select", [(c, label(Classification, c)) for c in visible]),
        (
            "reliability",
            _("Reliability"),
            "select",
            [(g, f"{g} · {RELIABILITY_MEANINGS[g]}") for g in RELIABILITY_GRADES],
        ),
        (
            "credibility",
            _("Credibility"),
            "select",
            [(g, f"{g} · {CREDIBILITY_MEANINGS[g]}") for g in CREDIBILITY_GRADES],
        ),
        ("from", _("Collected from"), "date", []),
        ("to", _("Collected to"), "date", []),
    ]
    return render_template(
        "evidence/list.html",
        page=page,
        filter_fields=filter_fields,
        show_deleted=show_deleted,
        withheld=evidence_service.withheld_count(db.session(), visible, deleted=show_deleted),
        **(panel("evidence") if not show_deleted else {}),
    )


@bp.get("/evidence/lookup")
@role_required("viewer")
def lookup_evidence() -> Response:
    """The evidence picker's answers (static/picker.js): exhibits the viewer may see whose
    number starts with ``q`` or whose number, title or summary match it, best first."""
    text = request.args.get("q", "")[:200]
    exhibits = evidence_service.lookup(db.session(), text, _visible())
    return jsonify(items=[_picked(e) for e in exhibits])


def _picked(e: Evidence) -> dict[str, object]:
    """An exhibit as the picker lists it: its number (what goes into the field) and title,
    with its kind, date, grade and classification."""
    kind = label(EvidenceKind, e.kind)
    date = e.collected_on.isoformat() if e.collected_on else None
    classification = label(Classification, e.classification)
    return {
        "value": e.exhibit_no,
        "label": e.exhibit_no,
        "text": e.title,
        "details": [kind, date, e.grade, classification],
    }


@bp.get("/evidence/<int:evidence_id>")
@role_required("viewer")
def show_evidence(evidence_id: int) -> str:
    evidence = evidence_service.evidence_page(db.session(), evidence_id, _visible())
    if evidence is None:
        abort(404)
    return render_template(
        "evidence/detail.html",
        e=evidence,
        link=external_url(evidence.url),
        reliability_meanings=RELIABILITY_MEANINGS,
        credibility_meanings=CREDIBILITY_MEANINGS,
        human_size=evidence_service.human_size,
        four_eyes=confirmations.four_eyes_on(),
        needs_confirmation=confirmations.needs_confirmation,
        thread=thread_context("evidence", evidence.id),
        **evidence_files.evidence_sections(evidence),
    )


# --- adding, editing, deleting --------------------------------------------------------------


def _evidence_form(evidence: Evidence | None) -> EvidenceForm:
    form = EvidenceForm(obj=evidence) if request.method == "GET" and evidence else EvidenceForm()
    # Only what the user may set: a forged higher classification is "not a valid choice".
    form.classification.choices = [(c, label(Classification, c)) for c in settable_classifications(current_user)]
    return form


def _form_input(form: EvidenceForm) -> evidence_service.EvidenceInput:
    return evidence_service.EvidenceInput(
        title=form.title.data.strip(),
        kind=form.kind.data,
        summary=optional_text(form.summary.data),
        source=form.source.data.strip(),
        provenance=optional_text(form.provenance.data),
        url=optional_text(form.url.data),
        collected_by=optional_text(form.collected_by.data),
        collected_on=form.collected_on.data,
        collection_method=optional_text(form.collection_method.data),
        language=optional_text(form.language.data),
        classification=form.classification.data,
        reliability=form.reliability.data,
        credibility=form.credibility.data,
        originator=optional_text(form.originator.data),
        originator_consent_required=bool(form.originator_consent_required.data),
    )


def _form_page(form: EvidenceForm, evidence: Evidence | None, status: int, **extra: Any) -> tuple[str, int]:
    return render_template("evidence/form.html", form=form, evidence=evidence, **extra), status


@bp.route("/evidence/new", methods=["GET", "POST"])
@role_required("analyst")
def new_evidence() -> FormPage:
    form = _evidence_form(None)
    if form.validate_on_submit():
        evidence = evidence_service.create_evidence(db.session(), _form_input(form))
        flash(_("Exhibit %(number)s added.", number=evidence.exhibit_no), "success")
        return redirect(url_for("evidence.show_evidence", evidence_id=evidence.id))
    return _form_page(form, None, 400 if request.method == "POST" else 200)


@bp.route("/evidence/<int:evidence_id>/edit", methods=["GET", "POST"])
@role_required("analyst")
def edit_evidence(evidence_id: int) -> FormPage:
    evidence = _evidence_or_404(evidence_id)
    form = _evidence_form(evidence)
    if request.method == "GET":
        form.version.data = evidence.version
    elif form.validate_on_submit():
        try:
            records.check_version(evidence, form.version.data)
            evidence_service.apply_evidence(evidence, _form_input(form))
            records.flush_or_conflict(db.session())
        except records.EditConflict:
            db.session.rollback()
            form.form_errors.append(
                _(
                    "Someone else changed this exhibit while you were editing. "
                    "Nothing was saved: reload to see their version."
                )
            )
            return _form_page(form, evidence, 409, conflict=True)
        flash(_("Exhibit %(number)s saved.", number=evidence.exhibit_no), "success")
        return redirect(url_for("evidence.show_evidence", evidence_id=evidence.id))
    return _form_page(form, evidence, 400 if request.method == "POST" else 200)


@bp.route("/evidence/<int:evidence_id>/delete", methods=["GET", "POST"])
@role_required("analyst")
def delete_evidence(evidence_id: int) -> FormPage:
    evidence = _evidence_or_404(evidence_id)
    form = DeleteForm()
    if form.validate_on_submit():
        records.soft_delete(db.session(), evidence, form.reason.data or "")
        flash(_("Exhibit %(number)s deleted. An administrator can restore it.", number=evidence.exhibit_no), "success")
        return redirect(url_for("evidence.list_evidence"))
    status = 400 if request.method == "POST" else 200
    return render_template("evidence/delete.html", form=form, e=evidence), status


@bp.post("/evidence/<int:evidence_id>/restore")
@role_required("admin")
def restore_evidence(evidence_id: int) -> Response:
    evidence = _evidence_or_404(evidence_id, deleted_ok=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    records.restore(db.session(), evidence)
    flash(_("Exhibit %(number)s restored.", number=evidence.exhibit_no), "success")
    return redirect(url_for("evidence.show_evidence", evidence_id=evidence.id))


# --- supports -----------------------------------------------------------------------------


def _target_options() -> evidence_service.TargetOptions:
    return evidence_service.target_options(db.session(), partial_date, InvolvementRole.label_of)


def _support_form(options: evidence_service.TargetOptions) -> SupportForm:
    form = SupportForm()
    for target in SUPPORT_TARGETS:
        form[f"{target}_id"].choices = [("", "—"), *options.of(target)]
    return form


@bp.route("/evidence/<int:evidence_id>/supports/new", methods=["GET", "POST"])
@role_required("analyst")
def new_support(evidence_id: int) -> FormPage:
    evidence = _evidence_or_404(evidence_id)
    options = _target_options()
    form = _support_form(options)
    if request.form.get("prefill"):  # a passage or time range chosen in the viewer: fill the form in
        return _support_form_page(form, evidence, 200)
    if form.validate_on_submit():
        target_type = form.target_type.data
        target_field = form[f"{target_type}_id"]
        target_id = target_field.data
        twin = evidence_service.duplicate_support(db.session(), evidence.id, target_type, target_id)
        anchor = _checked_anchor(form, evidence)
        if twin is None and not form.anchor_file.errors:
            evidence_service.add_support(
                db.session(),
                evidence,
                target_type,
                target_id,
                stance=form.stance.data,
                pinpoint=optional_text(form.pinpoint.data),
                note=optional_text(form.note.data),
                anchor=anchor,
            )
            flash(_("Link added."), "success")
            return redirect(url_for("evidence.show_evidence", evidence_id=evidence.id))
        if twin is not None:
            target_field.errors = [*target_field.errors, _duplicate_message(evidence, twin)]
    return _support_form_page(form, evidence, 400 if request.method == "POST" else 200)


def _checked_anchor(form: SupportForm, evidence: Evidence) -> pinpoints.Anchor | None:
    """The form's anchor checked against the exhibit's file; a refusal goes on the form."""
    try:
        anchor = form.anchor()
        return pinpoints.checked(db.session(), store_for(current_app.config), evidence, anchor) if anchor else None
    except pinpoints.AnchorRefused as refusal:
        form.anchor_file.errors = [str(refusal)]
        return None


def _support_form_page(form: SupportForm, evidence: Evidence, status: int) -> tuple[str, int]:
    anchor_file = None
    if form.anchor_file.data and str(form.anchor_file.data).isdigit():
        anchor_file = next((f for f in evidence.files if str(f.id) == str(form.anchor_file.data)), None)
    page = render_template(
        "supports/form.html",
        form=form,
        e=evidence,
        support=None,
        target_labels=TARGET_LABELS,
        targets=SUPPORT_TARGETS,
        anchor_file=anchor_file,
        anchor_kind=viewer.kind_of(anchor_file) if anchor_file else None,
    )
    return page, status


def _duplicate_message(evidence: Evidence, twin: Support) -> str:
    return _(
        "Exhibit %(number)s is already linked to %(fact)s with the stance “%(stance)s”: an exhibit supports"
        " or contradicts a fact, never both. Edit that link to change its stance.",
        number=evidence.exhibit_no,
        fact=evidence_service.fact_label(twin, partial_date, InvolvementRole.label_of),
        stance=label(Stance, twin.stance),
    )


def _edit_support_page(form: SupportEditForm, support: Support, status: int, **extra: Any) -> tuple[str, int]:
    page = render_template("supports/edit.html", form=form, support=support, e=support.evidence, **extra)
    return page, status


@bp.route("/supports/<int:support_id>/edit", methods=["GET", "POST"])
@role_required("analyst")
def edit_support(support_id: int) -> FormPage:
    support = _support_or_404(support_id)
    form = SupportEditForm(obj=support) if request.method == "GET" else SupportEditForm()
    if request.method == "GET":
        form.version.data = support.version
        return _edit_support_page(form, support, 200)
    if form.validate_on_submit():
        try:
            records.check_version(support, form.version.data)
            support.stance = form.stance.data
            support.pinpoint, support.note = optional_text(form.pinpoint.data), optional_text(form.note.data)
            records.flush_or_conflict(db.session())
        except records.EditConflict:
            db.session.rollback()
            form.form_errors.append(
                _("Someone else changed this link while you were editing. Nothing was saved: reload to see it.")
            )
            return _edit_support_page(form, support, 409, conflict=True)
        flash(_("Link saved."), "success")
        return redirect(url_for("evidence.show_evidence", evidence_id=support.evidence_id))
    return _edit_support_page(form, support, 400)


@bp.post("/supports/<int:support_id>/delete")
@role_required("analyst")
def delete_support(support_id: int) -> Response:
    support = _support_or_404(support_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    evidence_id = support.evidence_id
    db.session.delete(support)
    db.session.flush()
    flash(_("Link removed."), "success")
    return redirect(url_for("evidence.show_evidence", evidence_id=evidence_id))


# --- four eyes on grades ----------------------------------------------------------------------


def _confirm_page(support: Support, form: ConfirmForm, status: int, error: str | None = None) -> tuple[str, int]:
    page = render_template(
        "supports/confirm.html",
        form=form,
        support=support,
        e=support.evidence,
        four_eyes=confirmations.four_eyes_on(),
        needed=confirmations.needs_confirmation(support),
        error=error,
    )
    return page, status


@bp.route("/supports/<int:support_id>/confirm", methods=["GET", "POST"])
@role_required(confirmations.CONFIRMING_ROLE)
def confirm_support(support_id: int) -> FormPage:
    """A second analyst confirms that the link's exhibit, graded A–C, proves its leadership or
    conduct fact (services/evidence/confirmations.py): the page shows the link, who graded and
    linked it, and the button; the refusal (one's own grade or link) is said on it."""
    support = _support_or_404(support_id)
    form = ConfirmForm()
    if request.method == "GET":
        return _confirm_page(support, form, 200)
    if not form.validate_on_submit():
        return _confirm_page(support, form, 400)
    try:
        confirmations.confirm_support(db.session(), support, current_user, rule=confirmations.four_eyes_on())
    except confirmations.ConfirmationRefused as refused:
        return _confirm_page(support, form, refused.status, refused.message)
    except StaleDataError:
        db.session.rollback()
        message = _("Someone else changed this link meanwhile: reload and look again.")
        return _confirm_page(_support_or_404(support_id), form, 409, message)
    flash(_("Link confirmed: exhibit %(number)s now proves the fact.", number=support.evidence.exhibit_no), "success")
    return redirect(url_for("evidence.show_evidence", evidence_id=support.evidence_id))
