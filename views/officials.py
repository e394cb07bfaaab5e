"""Officials: list, page, add, edit, delete and restore."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, exists, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from extensions import db
from forms.officials import BLANK_ROWS, ConfirmForm, DeleteForm, OfficialForm, TenureForm
from models import Institution, Official, Position, State, Tenure
from models.enums import POSITION_TIERS, PositionTier
from services.common import records
from services.common.access import role_at_least, visible_classifications
from services.facts import officials as official_service
from services.facts import tenures as tenure_service
from services.facts.errors import FactRefused
from views.comments import thread_context
from views.imports import explain
from views.labels import label
from views.listing import paginate
from views.util import (
    int_or_404,
    optional_text,
    refusal_on_form,
    role_required,
    state_choices,
    state_filter_choices,
)
from views.watches import watch_context

bp = Blueprint("officials", __name__)

SORTS: dict[str, Sequence[Any]] = {
    "name": [Official.name, Official.id],
    "native_name": [Official.native_name, Official.id],
    "state": [State.code, Official.name],
    "birth_date": [Official.birth_date, Official.id],
}


def _held(condition: Any) -> Any:
    return exists().where(Tenure.official_id == Official.id, Tenure.position_id == Position.id, condition)


FILTERS = {
    "state": lambda q, v: q.where(State.code == v.upper()),
    "institution": lambda q, v: q.where(_held(Position.institution_id == int_or_404(v))),
    "tier": lambda q, v: q.where(_held(Position.tier == v)) if v in POSITION_TIERS else q,
}


def _live_official(official_id: int, *, deleted_ok: bool = False) -> Official:
    official = db.session.get(Official, official_id)
    if official is None or (official.is_deleted and not deleted_ok):
        abort(404)
    return official


@bp.get("/")
@role_required("viewer")
def index() -> Response:
    return redirect(url_for("officials.list_officials"))


@bp.get("/officials")
@role_required("viewer")
def list_officials() -> str:
    show_deleted = request.args.get("deleted") == "1" and role_at_least(current_user, "admin")
    query: Select[Any] = (
        select(Official)
        .join(State, Official.state_id == State.id)
        .where(Official.deleted_at.is_not(None) if show_deleted else Official.deleted_at.is_(None))
        .options(
            joinedload(Official.state),
            selectinload(Official.tenures).joinedload(Tenure.position).joinedload(Position.institution),
        )
    )
    page = paginate(
        db.session(),
        query,
        sorts=SORTS,
        default_sort="name",
        filters=FILTERS,
        extra_args={"deleted": "1"} if show_deleted else None,
    )
    today = dt.date.today()
    current = {o.id: official_service.main_tenure(o.tenures, today) for o in page.rows}
    institutions = db.session.scalars(select(Institution).order_by(Institution.name))
    filter_fields = [
        ("state", _("State"), "select", state_filter_choices()),
        ("institution", _("Institution"), "select", [(str(i.id), i.name) for i in institutions]),
        ("tier", _("Position tier"), "select", [(t, label(PositionTier, t)) for t in POSITION_TIERS]),
    ]
    return render_template(
        "officials/list.html", page=page, current=current, show_deleted=show_deleted, filter_fields=filter_fields
    )


@bp.get("/officials/<int:official_id>")
@role_required("viewer")
def show_official(official_id: int) -> str:
    page = official_service.official_page(
        official_id, visible=visible_classifications(current_user), today=dt.date.today()
    )
    if page is None:
        abort(404)
    return render_template(
        "officials/detail.html",
        page=page,
        thread=thread_context("official", official_id),
        watch=watch_context("official", official_id),
    )


def _form_input(form: OfficialForm) -> official_service.OfficialInput:
    return official_service.OfficialInput(
        name=form.name.data.strip(),
        native_name=optional_text(form.native_name.data),
        native_script=form.native_script.data or None,
        state_id=form.state_id.data,
        birth=form.birth_date.data,
        gender=form.gender.data or None,
        notes=optional_text(form.notes.data),
        names=[
            official_service.NameRow(
                e.form.name.data.strip(), e.form.script.data, optional_text(e.form.lang.data), e.form.kind.data
            )
            for e in form.names
            if (e.form.name.data or "").strip()
        ],
        identifiers=[
            (e.form.scheme.data, e.form.value.data.strip())
            for e in form.identifiers
            if (e.form.value.data or "").strip()
        ],
    )


def _add_blank_rows(form: OfficialForm) -> None:
    for _i in range(BLANK_ROWS):
        form.names.append_entry()
        form.identifiers.append_entry()


def _save(
    form: OfficialForm, official: Official | None, likely: list[official_service.LikelyDuplicate] | None = None
) -> Official | None:
    """Validate and save; None (with the errors on the form) when refused. A new official is
    saved only once no live official may be the same person (those that may be are added to
    ``likely``), or when the form says it is a different person."""
    if not form.validate_on_submit():
        return None
    data = _form_input(form)
    problems = official_service.duplicate_problems(data, official)
    for field_name, message in problems.items():
        form[field_name].errors = [*form[field_name].errors, message]
    if problems:
        return None
    if official is None and likely is not None and not form.different_person.data:
        likely.extend(official_service.likely_duplicates(data))
        if likely:  # shown with the form: the analyst looks, then saves all the same or not
            return None
    if official is None:
        official = Official(name=data.name, state_id=data.state_id)
        db.session.add(official)
    else:
        records.check_version(official, form.version.data)
    official_service.apply_official(official, data)
    records.flush_or_conflict(db.session())
    return official


@bp.route("/officials/new", methods=["GET", "POST"])
@role_required("analyst")
def new_official() -> Response | str | tuple[str, int]:
    form = OfficialForm()
    form.state_id.choices = state_choices()
    duplicates: list[official_service.LikelyDuplicate] = []
    saved = _save(form, None, duplicates)
    if saved is not None:
        flash(_("Official %(name)s added.", name=saved.name), "success")
        return redirect(url_for("officials.show_official", official_id=saved.id))
    if request.method == "GET":
        _add_blank_rows(form)
    status = (409 if duplicates else 400) if request.method == "POST" else 200
    likely = [(d, explain(d.explanation)) for d in duplicates]
    return render_template("officials/form.html", form=form, official=None, likely=likely), status


@bp.route("/officials/<int:official_id>/edit", methods=["GET", "POST"])
@role_required("analyst")
def edit_official(official_id: int) -> Response | str | tuple[str, int]:
    official = _live_official(official_id)
    form = OfficialForm(obj=official) if request.method == "GET" else OfficialForm()
    form.state_id.choices = state_choices()
    try:
        saved = _save(form, official)
    except records.EditConflict:
        db.session.rollback()
        form.form_errors.append(
            _(
                "Someone else changed this official while you were editing. "
                "Nothing was saved: reload to see their version."
            )
        )
        return render_template("officials/form.html", form=form, official=official, conflict=True), 409
    if saved is not None:
        flash(_("Official %(name)s saved.", name=saved.name), "success")
        return redirect(url_for("officials.show_official", official_id=saved.id))
    if request.method == "GET":
        form.version.data = official.version
        form.birth_date.data = official.birth
        _add_blank_rows(form)
    status = 400 if request.method == "POST" else 200
    return render_template("officials/form.html", form=form, official=official), status


@bp.route("/officials/<int:official_id>/delete", methods=["GET", "POST"])
@role_required("analyst")
def delete_official(official_id: int) -> Response | str | tuple[str, int]:
    official = _live_official(official_id)
    form = DeleteForm()
    if form.validate_on_submit():
        records.soft_delete(db.session(), official, form.reason.data or "")
        flash(_("Official %(name)s deleted. An administrator can restore it.", name=official.name), "success")
        return redirect(url_for("officials.list_officials"))
    status = 400 if request.method == "POST" else 200
    return render_template("officials/delete.html", form=form, official=official), status


@bp.post("/officials/<int:official_id>/restore")
@role_required("admin")
def restore_official(official_id: int) -> Response:
    official = _live_official(official_id, deleted_ok=True)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    records.restore(db.session(), official)
    flash(_("Official %(name)s restored.", name=official.name), "success")
    return redirect(url_for("officials.show_official", official_id=official.id))


# --- tenures ------------------------------------------------------------------------------


def _position_choices() -> list[tuple[int, str]]:
    positions = db.session.scalars(
        select(Position)
        .join(Institution)
        .options(joinedload(Position.institution))
        .order_by(Institution.name, Position.title)
    )
    return [(p.id, p.full_title) for p in positions]


# The tenure service's field names -> the form's; a duplicate is shown beside the position
TENURE_FIELDS = {"start_date": "position_id", "end_date": "end", "official_id": "position_id"}


def _save_tenure(form: TenureForm, official: Official, tenure: Tenure | None) -> Tenure | None:
    """Save through the service; None (with the refusal on the form) when refused."""
    data = tenure_service.TenureInput(
        official_id=official.id,
        position_id=form.position_id.data,
        start=form.start.data,  # type: ignore[arg-type]  # required by the form
        end=form.end.data,
        note=form.note.data or None,
    )
    try:
        return tenure_service.save_tenure(tenure, data)
    except FactRefused as refusal:
        refusal_on_form(form, refusal, TENURE_FIELDS.get(refusal.field))
        return None


def _tenure_form_page(form: TenureForm, official: Official, tenure: Tenure | None, status: int) -> tuple[str, int]:
    return render_template("officials/tenure_form.html", form=form, official=official, tenure=tenure), status


@bp.route("/officials/<int:official_id>/tenures/new", methods=["GET", "POST"])
@role_required("analyst")
def new_tenure(official_id: int) -> Response | tuple[str, int]:
    official = _live_official(official_id)
    form = TenureForm()
    form.position_id.choices = _position_choices()
    if form.validate_on_submit() and _save_tenure(form, official, None) is not None:
        flash(_("Tenure added."), "success")
        return redirect(url_for("officials.show_official", official_id=official.id))
    return _tenure_form_page(form, official, None, 400 if request.method == "POST" else 200)


def _tenure_of(tenure_id: int) -> Tenure:
    tenure = db.session.get(Tenure, tenure_id)
    if tenure is None or tenure.official.is_deleted:
        abort(404)
    return tenure


@bp.route("/tenures/<int:tenure_id>/edit", methods=["GET", "POST"])
@role_required("analyst")
def edit_tenure(tenure_id: int) -> Response | tuple[str, int]:
    tenure = _tenure_of(tenure_id)
    official = tenure.official
    form = TenureForm(obj=tenure) if request.method == "GET" else TenureForm()
    form.position_id.choices = _position_choices()
    if request.method == "GET":
        form.start.data, form.end.data, form.version.data = tenure.start, tenure.end, tenure.version
    elif form.validate_on_submit():
        try:
            records.check_version(tenure, form.version.data)
            saved = _save_tenure(form, official, tenure)
        except records.EditConflict:
            db.session.rollback()
            form.form_errors.append(
                _("Someone else changed this tenure while you were editing. Nothing was saved: reload to see it.")
            )
            return _tenure_form_page(form, official, tenure, 409)
        if saved is not None:
            flash(_("Tenure saved."), "success")
            return redirect(url_for("officials.show_official", official_id=official.id))
    return _tenure_form_page(form, official, tenure, 400 if request.method == "POST" else 200)


@bp.post("/tenures/<int:tenure_id>/delete")
@role_required("analyst")
def delete_tenure(tenure_id: int) -> Response:
    tenure = _tenure_of(tenure_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    official_id = tenure.official_id
    try:
        tenure_service.delete_tenure(tenure)
    except tenure_service.InUse as refusal:
        flash(refusal.message, "error")
        return redirect(url_for("officials.edit_tenure", tenure_id=tenure.id))
    flash(_("Tenure removed."), "success")
    return redirect(url_for("officials.show_official", official_id=official_id))
