"""Acts of aggression: browse, add and edit.

Acts are edited, never deleted: decisions and evidence refer to them.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import selectinload

from extensions import db
from forms.acts import ASPECT_QUESTIONS, CATEGORY_MEANINGS, CATEGORY_NAMES, ActAssessmentForm, ActForm
from models import ActAssessment, ActCategory, AggressionAct, Decision, PartialDate, PartialDateError, State, Support
from models.enums import ACT_CATEGORIES, MANIFEST_ASPECTS
from services.common import records
from services.common.access import visible_classifications
from services.facts.acts import ActInput, save_act, save_assessment
from services.facts.errors import Duplicate, FactRefused
from services.facts.officials import sort_supports
from views.listing import date_range_filter, paginate
from views.util import FormPage, optional_text, refusal_on_form, role_required, state_filter_choices

bp = Blueprint("acts", __name__)


def _bound(value: str) -> PartialDate:
    try:
        return PartialDate.parse(value)
    except PartialDateError:
        abort(400, description=_("%(value)s is not a date: use YYYY, YYYY-MM or YYYY-MM-DD.", value=value))


def _running_on_or_after(query: Select[Any], value: str) -> Select[Any]:
    """Acts whose period may reach the bound: still going, or ending (as far as known) on or after it.

    A partial end stands for its whole month or year, so it is compared at its own precision.
    """
    day = _bound(value).start
    end = AggressionAct.end_date
    precision = AggressionAct.end_date_precision
    return query.where(
        or_(
            end.is_(None),
            end >= day,
            and_(precision == "month", end >= day.replace(day=1)),
            and_(precision == "year", end >= day.replace(month=1, day=1)),
        )
    )


def _in_category(query: Select[Any], value: str) -> Select[Any]:
    letter = value.lower()
    if letter not in ACT_CATEGORIES:
        return query  # an unknown letter narrows nothing, like any unknown filter value
    return query.where(AggressionAct.category_rows.any(ActCategory.category == letter))


SORTS = {
    "title": [AggressionAct.title, AggressionAct.id],
    "start": [AggressionAct.start_date, AggressionAct.id],
}

FILTERS = {
    "state": lambda q, v: q.where(AggressionAct.states.any(State.code == v.upper())),
    "category": _in_category,
    # The period overlaps [from, to]: it starts no later than "to" and ends no earlier than "from".
    "from": _running_on_or_after,
    "to": date_range_filter(AggressionAct.start_date, "to"),
}


@bp.get("/acts")
@role_required("viewer")
def list_acts() -> str:
    query: Select[Any] = select(AggressionAct).options(
        selectinload(AggressionAct.category_rows),
        selectinload(AggressionAct.states),
    )
    page = paginate(db.session(), query, sorts=SORTS, default_sort="start", filters=FILTERS)
    filter_fields = [
        ("state", _("State"), "select", state_filter_choices()),
        ("category", _("Art. 3 category"), "select", [(c, f"({c}) {CATEGORY_NAMES[c]}") for c in ACT_CATEGORIES]),
        ("from", _("From"), "date", []),
        ("to", _("To"), "date", []),
    ]
    return render_template("acts/list.html", page=page, filter_fields=filter_fields, names=CATEGORY_NAMES)


@bp.get("/acts/<int:act_id>")
@role_required("viewer")
def show_act(act_id: int) -> str:
    act = db.session.scalars(
        select(AggressionAct)
        .where(AggressionAct.id == act_id)
        .options(
            selectinload(AggressionAct.category_rows),
            selectinload(AggressionAct.states),
            selectinload(AggressionAct.decisions).joinedload(Decision.institution),
            selectinload(AggressionAct.supports).joinedload(Support.evidence),
            selectinload(AggressionAct.assessments).selectinload(ActAssessment.supports).joinedload(Support.evidence),
        )
    ).first()
    if act is None:
        abort(404)
    decisions = sorted((d for d in act.decisions if not d.is_deleted), key=lambda d: (d.date, d.id))
    visible = visible_classifications(current_user)
    aspects = [
        (aspect, found, sort_supports(found.supports, visible) if found else None)
        for aspect in MANIFEST_ASPECTS
        for found in [act.assessment(aspect)]
    ]
    return render_template(
        "acts/detail.html",
        act=act,
        decisions=decisions,
        exhibits=sort_supports(act.supports, visible),
        aspects=aspects,
        questions=ASPECT_QUESTIONS,
        meanings=CATEGORY_MEANINGS,
    )


def _act_form(act: AggressionAct | None) -> ActForm:
    form = ActForm(obj=act) if request.method == "GET" and act else ActForm()
    form.state_ids.choices = [
        (s.id, f"{s.name} ({s.code})") for s in db.session.scalars(select(State).order_by(State.name))
    ]
    return form


def _save(form: ActForm, act: AggressionAct | None) -> AggressionAct | None:
    """Validate and save; None (with the errors on the form) when refused."""
    if not form.validate_on_submit():
        return None
    if act is not None:
        records.check_version(act, form.version.data)
    data = ActInput(
        title=form.title.data.strip(),
        categories=form.categories.data,
        state_ids=form.state_ids.data,
        start=form.start.data,  # type: ignore[arg-type]  # required by the form
        end=form.end.data,
        description=optional_text(form.description.data),
    )
    try:
        return save_act(act, data)
    except FactRefused as refusal:
        refusal_on_form(form, refusal, FORM_FIELDS.get(refusal.field))
        return None


FORM_FIELDS = {"start_date": "start", "end_date": "end"}  # the service's names -> the form's


@bp.route("/acts/new", methods=["GET", "POST"])
@role_required("analyst")
def new_act() -> FormPage:
    form = _act_form(None)
    saved = _save(form, None)
    if saved is not None:
        flash(_("Act %(title)s added.", title=saved.title), "success")
        return redirect(url_for("acts.show_act", act_id=saved.id))
    status = 400 if request.method == "POST" else 200
    return render_template("acts/form.html", form=form, act=None, names=CATEGORY_NAMES), status


@bp.route("/acts/<int:act_id>/edit", methods=["GET", "POST"])
@role_required("analyst")
def edit_act(act_id: int) -> FormPage:
    act = db.session.get(AggressionAct, act_id)
    if act is None:
        abort(404)
    form = _act_form(act)
    try:
        saved = _save(form, act)
    except records.EditConflict:
        db.session.rollback()
        form.form_errors.append(
            _("Someone else changed this act while you were editing. Nothing was saved: reload to see their version.")
        )
        page = render_template("acts/form.html", form=form, act=act, names=CATEGORY_NAMES, conflict=True)
        return page, 409
    if saved is not None:
        flash(_("Act %(title)s saved.", title=saved.title), "success")
        return redirect(url_for("acts.show_act", act_id=saved.id))
    if request.method == "GET":
        form.state_ids.data = [s.id for s in act.states]
        form.start.data, form.end.data, form.version.data = act.start, act.end, act.version
    status = 400 if request.method == "POST" else 200
    return render_template("acts/form.html", form=form, act=act, names=CATEGORY_NAMES), status


@bp.route("/acts/<int:act_id>/assessments/<aspect>", methods=["GET", "POST"])
@role_required("analyst")
def edit_assessment(act_id: int, aspect: str) -> FormPage:
    """Record or change the act's character, gravity or scale (element E5)."""
    act = db.session.get(AggressionAct, act_id)
    if act is None or aspect not in MANIFEST_ASPECTS:
        abort(404)
    found = act.assessment(aspect)
    form = ActAssessmentForm(obj=found) if request.method == "GET" and found else ActAssessmentForm()
    if request.method == "GET" and found:
        form.version.data = found.version
    if form.validate_on_submit():
        try:
            if found is not None:
                records.check_version(found, form.version.data)
            found = save_assessment(act, aspect, form.finding.data, found)
        except records.EditConflict:
            db.session.rollback()
            form.form_errors.append(
                _("Someone else changed this assessment while you were editing. Nothing was saved: reload to see it.")
            )
            page = render_template(
                "acts/assessment_form.html", form=form, act=act, aspect=aspect, questions=ASPECT_QUESTIONS
            )
            return page, 409
        except Duplicate as refusal:  # found None, and another request recorded it meanwhile
            db.session.rollback()
            form.form_errors.append(refusal.message)
            page = render_template(
                "acts/assessment_form.html", form=form, act=act, aspect=aspect, questions=ASPECT_QUESTIONS
            )
            return page, 409
        flash(_("Assessment saved."), "success")
        return redirect(url_for("acts.show_act", act_id=act.id) + "#manifest")
    status = 400 if request.method == "POST" else 200
    return render_template(
        "acts/assessment_form.html", form=form, act=act, aspect=aspect, questions=ASPECT_QUESTIONS
    ), status
