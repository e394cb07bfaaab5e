"""Decisions and the involvements of officials in them: browse, add and edit."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from extensions import db
from forms.decisions import DecisionForm, InvolvementForm, NewInvolvementForm
from forms.officials import ConfirmForm, DeleteForm
from models import AggressionAct, Decision, Institution, Involvement, Official, State
from models.enums import (
    CONDUCT_STAGES,
    DECISION_KINDS,
    ConductStage,
    DecisionKind,
    InvolvementRole,
    InvolvementStatus,
    Labelled,
)
from services.common import records
from services.common.access import role_at_least, visible_classifications
from services.facts import decisions as decision_service
from services.facts.holders import candidates_for_decision
from views.comments import thread_context
from views.labels import label
from views.listing import date_range_filter, paginate
from views.util import (
    FormPage,
    institution_choices,
    institution_filter,
    institution_shown,
    optional_text,
    role_required,
    state_filter_choices,
)

bp = Blueprint("decisions", __name__)


SORTS = {
    "date": [Decision.date, Decision.id],
    "title": [Decision.title, Decision.id],
    "institution": [Institution.name, Decision.date, Decision.id],
    "kind": [Decision.kind, Decision.date, Decision.id],
}


def _enum_filter(column: Any, allowed: tuple[str, ...]) -> Any:
    """Narrow to one allowed value; an unknown value narrows nothing, like an unknown sort."""
    return lambda q, v: q.where(column == v) if v in allowed else q


FILTERS = {
    "kind": _enum_filter(Decision.kind, DECISION_KINDS),
    "stage": _enum_filter(Decision.stage, CONDUCT_STAGES),
    "state": lambda q, v: q.where(State.code == v.upper()),
    "institution": lambda q, v: q.where(Decision.institution_id.in_(institution_filter(v))),
    "from": date_range_filter(Decision.date, "from", Decision.date_precision),
    "to": date_range_filter(Decision.date, "to"),
}


def _enum_choices(enumeration: type[Labelled], blank: bool = False) -> list[tuple[str, str]]:
    choices = [(m.value, m.label) for m in enumeration]
    return [("", "—"), *choices] if blank else choices


def _live_decision(decision_id: int, *, deleted_ok: bool = False) -> Decision:
    decision = db.session.get(Decision, decision_id)
    if decision is None or (decision.is_deleted and not deleted_ok):
        abort(404)
    return decision


# --- browsing -----------------------------------------------------------------------------


@bp.get("/decisions")
@role_required("viewer")
def list_decisions() -> str:
    show_deleted = request.args.get("deleted") == "1" and role_at_least(current_user, "admin")
    query: Select[Any] = (
        select(Decision)
        .join(Institution, Decision.institution_id == Institution.id)
        .join(State, Institution.state_id == State.id)
        .where(Decision.deleted_at.is_not(None) if show_deleted else Decision.deleted_at.is_(None))
        .options(
            joinedload(Decision.institution).joinedload(Institution.state),
            selectinload(Decision.acts),
        )
    )
    page = paginate(
        db.session(),
        query,
        sorts=SORTS,
        default_sort="date",
        filters=FILTERS,
        extra_args={"deleted": "1"} if show_deleted else None,
    )
    filter_fields = [
        ("kind", _("Kind"), "select", _enum_choices(DecisionKind)),
        ("stage", _("Conduct stage"), "select", _enum_choices(ConductStage)),
        ("state", _("State"), "select", state_filter_choices()),
        ("institution", _("Institution"), "institution", institution_shown(request.args.get("institution", ""))),
        ("from", _("From"), "date", []),
        ("to", _("To"), "date", []),
    ]
    return render_template("decisions/list.html", page=page, show_deleted=show_deleted, filter_fields=filter_fields)


@bp.get("/decisions/<int:decision_id>")
@role_required("viewer")
def show_decision(decision_id: int) -> str:
    page = decision_service.decision_page(decision_id, visible=visible_classifications(current_user))
    if page is None:
        abort(404)
    candidates = candidates_for_decision(db.session(), page.decision)
    return render_template(
        "decisions/detail.html", page=page, candidates=candidates, thread=thread_context("decision", decision_id)
    )


# --- adding, editing, deleting and restoring decisions ------------------------------------


def _decision_form(decision: Decision | None) -> DecisionForm:
    form = DecisionForm(obj=decision) if request.method == "GET" and decision else DecisionForm()
    form.kind.choices = _enum_choices(DecisionKind)
    form.stage.choices = _enum_choices(ConductStage, blank=True)
    form.institution_id.choices = institution_choices()
    form.act_ids.choices = [
        (a.id, a.title) for a in db.session.scalars(select(AggressionAct).order_by(AggressionAct.start_date))
    ]
    return form


def _form_input(form: DecisionForm) -> decision_service.DecisionInput:
    return decision_service.DecisionInput(
        title=form.title.data.strip(),
        kind=form.kind.data,
        when=form.date.data,  # type: ignore[arg-type]  # required: validated
        institution_id=form.institution_id.data,
        instrument=optional_text(form.instrument.data),
        summary=optional_text(form.summary.data),
        stage=form.stage.data or None,
        act_ids=list(form.act_ids.data or []),
    )


def _save(form: DecisionForm, decision: Decision | None) -> Decision | None:
    """Validate and save; None (with the errors on the form) when refused."""
    if not form.validate_on_submit():
        return None
    data = _form_input(form)
    twin = decision_service.duplicate_decision(data, decision)
    if twin is not None:
        message = _(
            "The decision %(title)s of this institution on %(date)s is already recorded (#%(id)d).",
            title=twin.title,
            date=str(twin.when),
            id=twin.id,
        )
        form.title.errors = [*form.title.errors, message]
        return None
    if decision is None:
        decision = Decision()
    else:
        records.check_version(decision, form.version.data)
    decision_service.apply_decision(decision, data)
    db.session.add(decision)
    records.flush_or_conflict(db.session())
    return decision


@bp.route("/decisions/new", methods=["GET", "POST"])
@role_required("analyst")
def new_decision() -> FormPage:
    form = _decision_form(None)
    saved = _save(form, None)
    if saved is not None:
        flash(_("Decision %(title)s added.", title=saved.title), "success")
        return redirect(url_for("decisions.show_decision", decision_id=saved.id))
    preset: int | None = request.args.get("institution_id", default=None, type=int)  # None when not a number
    if request.method == "GET" and preset:
        form.institution_id.data = preset
    status = 400 if request.method == "POST" else 200
    return render_template("decisions/form.html", form=form, decision=None), status


@bp.route("/decisions/<int:decision_id>/edit", methods=["GET", "POST"])
@role_required("analyst")
def edit_decision(decision_id: int) -> FormPage:
    decision = _live_decision(decision_id)
    form = _decision_form(decision)
    try:
        saved = _save(form, decision)
    except records.EditConflict:
        db.session.rollback()
        form.form_errors.append(
            _(
                "Someone else changed this decision while you were editing. "
                "Nothing was saved: reload to see their version."
            )
        )
        return render_template("decisions/form.html", form=form, decision=decision, conflict=True), 409
    if saved is not None:
        flash(_("Decision %(title)s saved.", title=saved.title), "success")
        return redirect(url_for("decisions.show_decision", decision_id=saved.id))
    if request.method == "GET":
        form.date.data, form.version.data = decision.when, decision.version
        form.stage.data = decision.stage or ""
        form.act_ids.data = [a.id for a in decision.acts]
    status = 400 if request.method == "POST" else 200
    return render_template("decisions/form.html", form=form, decision=decision), status


@bp.route("/decisions/<int:decision_id>/delete", methods=["GET", "POST"])
@role_required("analyst")
def delete_decision(decision_id: int) -> FormPage:
    decision = _live_decision(decision_id)
    form = DeleteForm()
    if form.validate_on_submit():
        records.soft_delete(db.session(), decision, form.reason.data or "")
        flash(_("Decision %(title)s deleted. An administrator can restore it.", title=decision.title), "success")
        return redirect(url_for("decisions.list_decisions"))
    status = 400 if request.method == "POST" else 200
    return render_template("decisions/delete.html", form=form, decision=decision), status


@bp.post("/decisions/<int:decision_id>/restore")
@role_required("admin")
def restore_decision(decision_id: int) -> Response:
    decision = _live_decision(decision_id, deleted_ok=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    records.restore(db.session(), decision)
    flash(_("Decision %(title)s restored.", title=decision.title), "success")
    return redirect(url_for("decisions.show_decision", decision_id=decision.id))


# --- involvements -------------------------------------------------------------------------


def _involvement_choices(form: InvolvementForm) -> None:
    form.role.choices = _enum_choices(InvolvementRole)
    form.status.choices = _enum_choices(InvolvementStatus)


def _duplicate_message(official: Official, role: str) -> str:
    return _(
        "%(official)s already has the role '%(role)s' in this decision.",
        official=official.name,
        role=label(InvolvementRole, role),
    )


def _involvement_page(
    form: InvolvementForm, decision: Decision, involvement: Involvement | None, status: int, **extra: Any
) -> tuple[str, int]:
    page = render_template("involvements/form.html", form=form, decision=decision, involvement=involvement, **extra)
    return page, status


@bp.route("/decisions/<int:decision_id>/involvements/new", methods=["GET", "POST"])
@role_required("analyst")
def new_involvement(decision_id: int) -> FormPage:
    decision = _live_decision(decision_id)
    form = NewInvolvementForm()
    _involvement_choices(form)
    officials = decision_service.live_officials()
    form.official_id.choices = [(o.id, o.name) for o in officials]
    if form.validate_on_submit():
        official = next(o for o in officials if o.id == form.official_id.data)
        duplicate = _duplicate_message(official, form.role.data)
        if decision_service.duplicate_involvement(official.id, decision.id, form.role.data) is not None:
            form.role.errors = [*form.role.errors, duplicate]
        else:
            involvement = Involvement(
                official_id=official.id,
                decision_id=decision.id,
                role=form.role.data,
                status=form.status.data,
                note=optional_text(form.note.data),
            )
            try:
                decision_service.save_involvement(involvement)
            except decision_service.InvolvementTaken:
                form.role.errors = [*form.role.errors, duplicate]
                return _involvement_page(form, decision, None, 400)
            flash(_("%(official)s's involvement added.", official=official.name), "success")
            return redirect(url_for("decisions.show_decision", decision_id=decision.id))
    elif request.method == "GET":
        form.official_id.data = request.args.get("official_id", type=int)
    return _involvement_page(form, decision, None, 400 if request.method == "POST" else 200)


def _involvement_of(involvement_id: int) -> Involvement:
    involvement = db.session.get(Involvement, involvement_id)
    if involvement is None or involvement.decision.is_deleted or involvement.official.is_deleted:
        abort(404)
    return involvement


@bp.route("/involvements/<int:involvement_id>/edit", methods=["GET", "POST"])
@role_required("analyst")
def edit_involvement(involvement_id: int) -> FormPage:
    involvement = _involvement_of(involvement_id)
    decision = involvement.decision
    form = InvolvementForm(obj=involvement) if request.method == "GET" else InvolvementForm()
    _involvement_choices(form)
    if request.method == "GET":
        form.version.data = involvement.version
    elif form.validate_on_submit():
        role = form.role.data
        duplicate = _duplicate_message(involvement.official, role)
        if decision_service.duplicate_involvement(involvement.official_id, decision.id, role, involvement):
            form.role.errors = [*form.role.errors, duplicate]
        else:
            try:
                records.check_version(involvement, form.version.data)
                involvement.role, involvement.status = role, form.status.data
                involvement.note = optional_text(form.note.data)
                decision_service.save_involvement(involvement)
            except decision_service.InvolvementTaken:
                db.session.rollback()
                form.role.errors = [*form.role.errors, duplicate]
                return _involvement_page(form, decision, involvement, 400)
            except records.EditConflict:
                db.session.rollback()
                form.form_errors.append(
                    _(
                        "Someone else changed this involvement while you were editing. "
                        "Nothing was saved: reload to see their version."
                    )
                )
                return _involvement_page(form, decision, involvement, 409, conflict=True)
            flash(_("Involvement saved."), "success")
            return redirect(url_for("decisions.show_decision", decision_id=decision.id))
    return _involvement_page(form, decision, involvement, 400 if request.method == "POST" else 200)


@bp.post("/involvements/<int:involvement_id>/delete")
@role_required("analyst")
def delete_involvement(involvement_id: int) -> Response:
    involvement = _involvement_of(involvement_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    decision_id = involvement.decision_id
    if decision_service.has_supports(involvement):
        flash(_("This involvement has evidence linked to it: remove its supports first."), "error")
        return redirect(url_for("decisions.edit_involvement", involvement_id=involvement.id))
    db.session.delete(involvement)
    db.session.flush()
    flash(_("Involvement removed."), "success")
    return redirect(url_for("decisions.show_decision", decision_id=decision_id))
