"""Institutions and the positions within them: browse, add and edit.

Institutions and positions are edited, never deleted: tenures and decisions refer to them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, case, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from extensions import db
from forms.institutions import InstitutionForm, PositionForm
from models import Decision, Institution, Position, State, Tenure
from models.enums import INSTITUTION_KINDS, POSITION_TIERS, TROIKA_KINDS, InstitutionKind, PositionTier, TroikaKind
from services.common import records
from services.common.access import visible_classifications
from services.facts import institutions as institution_service
from services.facts.errors import FactRefused
from services.facts.holders import holders_of_position
from services.facts.institutions import InstitutionInput, inside, save_institution
from services.facts.positions import PositionInput, save_position
from views.labels import label
from views.listing import paginate
from views.util import (
    FormPage,
    institution_choices,
    institution_filter,
    institution_shown,
    int_or_404,
    optional_text,
    refusal_on_form,
    role_required,
    state_choices,
    state_filter_choices,
)

bp = Blueprint("institutions", __name__)


def _by_tier(position: Position) -> tuple[int, str]:
    return (POSITION_TIERS.index(position.tier), position.title)


def _all_institutions() -> list[Institution]:
    return list(
        db.session.scalars(select(Institution).options(joinedload(Institution.state)).order_by(Institution.name))
    )


# --- institutions --------------------------------------------------------------------------

INSTITUTION_SORTS = {
    "name": [Institution.name, Institution.id],
    "state": [State.code, Institution.name, Institution.id],
    "kind": [Institution.kind, Institution.name, Institution.id],
}

INSTITUTION_FILTERS = {
    "state": lambda q, v: q.where(State.code == v.upper()),
    "kind": lambda q, v: q.where(Institution.kind == v) if v in INSTITUTION_KINDS else q,
    "parent": lambda q, v: q.where(Institution.parent_id == int_or_404(v)),
}


@bp.get("/institutions/lookup")
@role_required("viewer")
def lookup_institutions() -> Response:
    """The institution picker's answers (static/picker.js): institutions whose name or native
    name the search finds for ``q``, in any script, best first; the value is the label the
    lists' institution filter reads back."""
    found = institution_service.lookup(db.session(), request.args.get("q", "")[:200])
    return jsonify(
        items=[
            {
                "value": institution_service.labelled(i),
                "label": i.name,
                "text": i.native_name or "",
                "details": [i.state.code, label(InstitutionKind, i.kind)],
            }
            for i in found
        ]
    )


@bp.get("/institutions")
@role_required("viewer")
def list_institutions() -> str:
    query: Select[Any] = (
        select(Institution)
        .join(State, Institution.state_id == State.id)
        .options(
            joinedload(Institution.state),
            joinedload(Institution.parent),
            selectinload(Institution.positions),
        )
    )
    page = paginate(db.session(), query, sorts=INSTITUTION_SORTS, default_sort="name", filters=INSTITUTION_FILTERS)
    institutions = _all_institutions()
    parents = {i.parent_id for i in institutions if i.parent_id is not None}
    filter_fields = [
        ("state", _("State"), "select", state_filter_choices()),
        ("kind", _("Kind"), "select", [(k, label(InstitutionKind, k)) for k in INSTITUTION_KINDS]),
        ("parent", _("Part of"), "select", [(i.id, i.name) for i in institutions if i.id in parents]),
    ]
    return render_template("institutions/list.html", page=page, filter_fields=filter_fields)


def _institution_or_404(institution_id: int) -> Institution:
    institution = db.session.get(Institution, institution_id)
    if institution is None:
        abort(404)
    return institution


@bp.get("/institutions/<int:institution_id>")
@role_required("viewer")
def show_institution(institution_id: int) -> str:
    institution = db.session.scalars(
        select(Institution)
        .where(Institution.id == institution_id)
        .options(
            joinedload(Institution.state),
            joinedload(Institution.parent),
            selectinload(Institution.children),
            selectinload(Institution.positions).selectinload(Position.tenures).joinedload(Tenure.official),
        )
    ).first()
    if institution is None:
        abort(404)
    positions = [(p, _visible_tenures(p)) for p in sorted(institution.positions, key=_by_tier)]
    decisions = db.session.scalars(
        select(Decision)
        .where(Decision.institution_id == institution.id, Decision.deleted_at.is_(None))
        .order_by(Decision.date, Decision.id)
    ).all()
    return render_template(
        "institutions/detail.html",
        institution=institution,
        children=sorted(institution.children, key=lambda i: i.name),
        positions=positions,
        decisions=decisions,
    )


def _visible_tenures(position: Position) -> list[Tenure]:
    """The position's tenures, oldest first, leaving out deleted officials (their pages are gone)."""
    tenures = [t for t in position.tenures if not t.official.is_deleted]
    return sorted(tenures, key=lambda t: (t.start_date, t.id))


def _parent_choices(institution: Institution | None) -> list[tuple[Any, str]]:
    """Every institution but this one and those under it: a body cannot sit inside itself."""
    institutions = _all_institutions()
    excluded = set() if institution is None else inside(institution.id, {i.id: i.parent_id for i in institutions})
    return [("", "—"), *((i.id, f"{i.name} ({i.state.code})") for i in institutions if i.id not in excluded)]


def _institution_form(institution: Institution | None) -> InstitutionForm:
    form = InstitutionForm(obj=institution) if request.method == "GET" and institution else InstitutionForm()
    form.state_id.choices = state_choices()
    form.parent_id.choices = _parent_choices(institution)
    return form


def _save_institution(form: InstitutionForm, institution: Institution | None) -> Institution | None:
    """Validate and save; None (with the errors on the form) when refused."""
    if not form.validate_on_submit():
        return None
    if institution is not None:
        records.check_version(institution, form.version.data)
    data = InstitutionInput(
        state_id=form.state_id.data,
        name=form.name.data.strip(),
        native_name=optional_text(form.native_name.data),
        kind=form.kind.data,
        parent_id=form.parent_id.data,
    )
    try:
        return save_institution(institution, data)
    except FactRefused as refusal:
        refusal_on_form(form, refusal)
        return None


def _conflict_page(template: str, form: Any, message: str, **context: Any) -> tuple[str, int]:
    db.session.rollback()
    form.form_errors.append(message)
    return render_template(template, form=form, conflict=True, **context), 409


@bp.route("/institutions/new", methods=["GET", "POST"])
@role_required("analyst")
def new_institution() -> FormPage:
    form = _institution_form(None)
    saved = _save_institution(form, None)
    if saved is not None:
        flash(_("Institution %(name)s added.", name=saved.name), "success")
        return redirect(url_for("institutions.show_institution", institution_id=saved.id))
    status = 400 if request.method == "POST" else 200
    return render_template("institutions/form.html", form=form, institution=None), status


@bp.route("/institutions/<int:institution_id>/edit", methods=["GET", "POST"])
@role_required("analyst")
def edit_institution(institution_id: int) -> FormPage:
    institution = _institution_or_404(institution_id)
    form = _institution_form(institution)
    try:
        saved = _save_institution(form, institution)
    except records.EditConflict:
        message = _(
            "Someone else changed this institution while you were editing. "
            "Nothing was saved: reload to see their version."
        )
        return _conflict_page("institutions/form.html", form, message, institution=institution)
    if saved is not None:
        flash(_("Institution %(name)s saved.", name=saved.name), "success")
        return redirect(url_for("institutions.show_institution", institution_id=saved.id))
    if request.method == "GET":
        form.version.data = institution.version
    status = 400 if request.method == "POST" else 200
    return render_template("institutions/form.html", form=form, institution=institution), status


# --- positions -----------------------------------------------------------------------------

TIER_ORDER = case({tier: rank for rank, tier in enumerate(POSITION_TIERS)}, value=Position.tier)

POSITION_SORTS: dict[str, list[Any]] = {
    "title": [Position.title, Position.id],
    "institution": [Institution.name, Position.title, Position.id],
    "tier": [TIER_ORDER, Position.title, Position.id],
}


def _troika_filter(query: Select[Any], value: str) -> Select[Any]:
    if value == "yes":
        return query.where(Position.troika.is_not(None))
    if value == "no":
        return query.where(Position.troika.is_(None))
    if value in TROIKA_KINDS:
        return query.where(Position.troika == value)
    return query


POSITION_FILTERS = {
    "state": lambda q, v: q.where(State.code == v.upper()),
    "institution": lambda q, v: q.where(Position.institution_id.in_(institution_filter(v))),
    "tier": lambda q, v: q.where(Position.tier == v) if v in POSITION_TIERS else q,
    "troika": _troika_filter,
}


@bp.get("/positions")
@role_required("viewer")
def list_positions() -> str:
    query: Select[Any] = (
        select(Position)
        .join(Institution, Position.institution_id == Institution.id)
        .join(State, Institution.state_id == State.id)
        .options(
            joinedload(Position.institution).joinedload(Institution.state),
            selectinload(Position.tenures).joinedload(Tenure.official),
        )
    )
    page = paginate(db.session(), query, sorts=POSITION_SORTS, default_sort="title", filters=POSITION_FILTERS)
    today = dt.date.today()
    holders = {
        p.id: [t for t in _visible_tenures(p) if t.is_current(today)]  # in office now
        for p in page.rows
    }
    filter_fields = [
        ("state", _("State"), "select", state_filter_choices()),
        ("institution", _("Institution"), "institution", institution_shown(request.args.get("institution", ""))),
        ("tier", _("Tier"), "select", [(t, label(PositionTier, t)) for t in POSITION_TIERS]),
        (
            "troika",
            _("Troika"),
            "select",
            [
                ("yes", _("any troika post")),
                ("no", _("not a troika post")),
                *((k, label(TroikaKind, k)) for k in TROIKA_KINDS),
            ],
        ),
    ]
    return render_template("positions/list.html", page=page, holders=holders, filter_fields=filter_fields)


@bp.get("/positions/<int:position_id>")
@role_required("viewer")
def show_position(position_id: int) -> str:
    position = db.session.scalars(
        select(Position)
        .where(Position.id == position_id)
        .options(joinedload(Position.institution).joinedload(Institution.state))
    ).first()
    if position is None:
        abort(404)
    holders = holders_of_position(db.session(), position, visible=visible_classifications(current_user))
    return render_template("positions/detail.html", position=position, holders=holders)


def _position_form(position: Position | None) -> PositionForm:
    form = PositionForm(obj=position) if request.method == "GET" and position else PositionForm()
    form.institution_id.choices = institution_choices()
    return form


def _save_position(form: PositionForm, position: Position | None) -> Position | None:
    if not form.validate_on_submit():
        return None
    if position is not None:
        records.check_version(position, form.version.data)
    data = PositionInput(
        institution_id=form.institution_id.data,
        title=form.title.data.strip(),
        tier=form.tier.data,
        troika=form.troika.data or None,
    )
    try:
        return save_position(position, data)
    except FactRefused as refusal:
        refusal_on_form(form, refusal)
        return None


@bp.route("/positions/new", methods=["GET", "POST"])
@role_required("analyst")
def new_position() -> FormPage:
    form = _position_form(None)
    saved = _save_position(form, None)
    if saved is not None:
        flash(_("Position %(title)s added.", title=saved.title), "success")
        return redirect(url_for("institutions.show_position", position_id=saved.id))
    if request.method == "GET":
        preselected = request.args.get("institution_id", type=int)
        if preselected in {value for value, _text in form.institution_id.choices or []}:
            form.institution_id.data = preselected
    status = 400 if request.method == "POST" else 200
    return render_template("positions/form.html", form=form, position=None), status


@bp.route("/positions/<int:position_id>/edit", methods=["GET", "POST"])
@role_required("analyst")
def edit_position(position_id: int) -> FormPage:
    position = db.session.get(Position, position_id)
    if position is None:
        abort(404)
    form = _position_form(position)
    try:
        saved = _save_position(form, position)
    except records.EditConflict:
        message = _(
            "Someone else changed this position while you were editing. Nothing was saved: reload to see their version."
        )
        return _conflict_page("positions/form.html", form, message, position=position)
    if saved is not None:
        flash(_("Position %(title)s saved.", title=saved.title), "success")
        return redirect(url_for("institutions.show_position", position_id=saved.id))
    if request.method == "GET":
        form.version.data = position.version
        form.troika.data = position.troika or ""
    status = 400 if request.method == "POST" else 200
    return render_template("positions/form.html", form=form, position=position), status
