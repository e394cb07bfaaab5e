"""Imports in the interface: the review queue of likely matches and the import rules."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from extensions import db
from forms.imports import ImportRuleForm, ReviewForm
from models import Decision, ImportRule, Institution, MatchReview, Official, Position
from models.enums import ImportRuleKind, InvolvementRole, ReviewStatus
from services.common import records
from services.imports import review as review_service
from views.labels import label
from views.listing import paginate
from views.util import FormPage, optional_text, role_required

bp = Blueprint("imports", __name__)


# --- the review queue ---------------------------------------------------------------------

REVIEW_SORTS: dict[str, list[Any]] = {
    "score": [MatchReview.score, MatchReview.id],
    "created": [MatchReview.created_at, MatchReview.id],
}


def _percent(value: Any) -> str:
    return f"{float(value or 0):.0%}"


def _birth_words(birth: dict[str, Any]) -> str:
    incoming, existing = birth.get("incoming") or "—", birth.get("existing") or "—"
    verdicts = {
        "match": _("Born on the same day: %(incoming)s."),
        "compatible": _("Birth dates compatible: %(incoming)s here, %(existing)s on record."),
        "near": _("Birth years a year apart: %(incoming)s here, %(existing)s on record."),
        "typo": _("Birth dates differ by a slip of the pen: %(incoming)s here, %(existing)s on record."),
        "conflict": _("Birth dates conflict within the same year: %(incoming)s here, %(existing)s on record."),
        "veto": _("Birth dates rule it out: %(incoming)s here, %(existing)s on record."),
        "absent": _("No birth date to compare: %(incoming)s here, %(existing)s on record."),
    }
    text = verdicts.get(birth.get("verdict", "absent"), verdicts["absent"])
    return text % {"incoming": incoming, "existing": existing}


def explain(explanation: dict[str, Any]) -> dict[str, Any]:
    """The stored score explanation in words, for the review page."""
    names = [
        {
            "text": _(
                "“%(incoming)s” and “%(existing)s”: %(similarity)s alike.",
                incoming=n.get("incoming", ""),
                existing=n.get("existing", ""),
                similarity=_percent(n.get("similarity")),
            ),
            "parts": [
                _(
                    "%(incoming)s ~ %(existing)s (%(similarity)s, %(how)s)",
                    incoming=p[0] or "—",
                    existing=p[1] or "—",
                    similarity=_percent(p[2]),
                    how=p[3],
                )
                for p in n.get("parts", [])
            ],
        }
        for n in explanation.get("names", [])
    ]
    facts = [_birth_words(explanation.get("birth") or {})]
    for scheme, value in explanation.get("identifiers_shared", []):
        facts.append(_("Both carry the identifier %(scheme)s %(value)s.", scheme=scheme, value=value))
    for scheme, incoming, existing in explanation.get("identifiers_conflicting", []):
        facts.append(
            _(
                "Conflicting %(scheme)s identifiers: %(incoming)s here, %(existing)s on record.",
                scheme=scheme,
                incoming=incoming,
                existing=existing,
            )
        )
    states = {
        "same": _("Same State."),
        "different": _("Different States."),
        "unknown": _("State not known on one side."),
    }
    genders = {
        "same": _("Same gender."),
        "different": _("Different genders."),
        "unknown": _("Gender not known on one side."),
    }
    facts.append(states.get(explanation.get("state", "unknown"), states["unknown"]))
    facts.append(genders.get(explanation.get("gender", "unknown"), genders["unknown"]))
    if explanation.get("conflict"):
        facts.insert(0, _("Conflict: %(why)s. The row was not merged.", why=explanation["conflict"]))
    return {"names": names, "facts": facts}


@bp.get("/imports/review")
@role_required("analyst")
def review_queue() -> str:
    query = (
        select(MatchReview)
        .where(MatchReview.status == "pending")
        .options(
            joinedload(MatchReview.official).joinedload(Official.state),
            joinedload(MatchReview.official).selectinload(Official.names),
            joinedload(MatchReview.official).selectinload(Official.identifiers),
        )
    )
    page = paginate(db.session(), query, sorts=REVIEW_SORTS, default_sort="score", default_direction="desc")
    explained = {r.id: explain(r.explanation) for r in page.rows}
    certain = {r.id for r in page.rows if review_service.is_certain(r.explanation)}
    return render_template(
        "imports/review.html",
        page=page,
        explained=explained,
        certain=certain,
        certain_count=len(review_service.certain_reviews(db.session())),
        form=ReviewForm(),
    )


@bp.post("/imports/review/accept-certain")
@role_required("analyst")
def accept_certain() -> Response:
    if not ReviewForm().validate_on_submit():
        abort(400)
    accepted = review_service.accept_certain(db.session(), current_user)
    flash(
        _(
            "%(count)d certain match(es) accepted and merged, each recorded in your name; "
            "any of them can be undone from the judged matches.",
            count=len(accepted),
        ),
        "success",
    )
    return redirect(url_for("imports.review_queue"))


JUDGED_SORTS: dict[str, list[Any]] = {"decided": [MatchReview.decided_at, MatchReview.id]}


@bp.get("/imports/review/judged")
@role_required("analyst")
def judged_reviews() -> str:
    query = (
        select(MatchReview)
        .where(MatchReview.status.in_(("confirmed", "undone")))
        .options(
            joinedload(MatchReview.official).joinedload(Official.state),
            joinedload(MatchReview.decided_by),
            joinedload(MatchReview.undone_by),
        )
    )
    page = paginate(db.session(), query, sorts=JUDGED_SORTS, default_sort="decided", default_direction="desc")
    return render_template("imports/judged.html", page=page, form=ReviewForm())


@bp.post("/imports/review/<int:review_id>/undo")
@role_required("analyst")
def undo_review(review_id: int) -> Response | tuple[str, int]:
    review = db.session.get(MatchReview, review_id)
    if review is None:
        abort(404)
    if not ReviewForm().validate_on_submit():
        abort(400)
    try:
        own = review_service.undo(db.session(), review, current_user)
    except review_service.CannotUndo as exc:
        db.session.rollback()
        message = _("This match cannot be undone: %(why)s.", why=str(exc))
        return render_template("error.html", code=409, title=_("Cannot undo"), message=message), 409
    flash(
        _(
            "The merge of %(name)s into %(official)s was undone: %(name)s is an official of their own again.",
            name=review.person_name,
            official=review.official.name,
        ),
        "success",
    )
    return redirect(url_for("officials.show_official", official_id=own.id))


def _pending_review(review_id: int) -> MatchReview | tuple[str, int]:
    review = db.session.get(MatchReview, review_id)
    if review is None:
        abort(404)
    if not ReviewForm().validate_on_submit():
        abort(400)
    if review.status != "pending":
        return _judged_page(review)
    return review


def _judged_page(review: MatchReview) -> tuple[str, int]:
    message = _(
        "The match of %(name)s with official #%(official)d was already judged (%(status)s). "
        "A judgement is final and is not asked again.",
        name=review.person_name,
        official=review.official_id,
        status=label(ReviewStatus, review.status),
    )
    return render_template("error.html", code=409, title=_("Already judged"), message=message), 409


@bp.post("/imports/review/<int:review_id>/confirm")
@role_required("analyst")
def confirm_review(review_id: int) -> Response | tuple[str, int]:
    review = _pending_review(review_id)
    if not isinstance(review, MatchReview):
        return review
    try:
        review_service.confirm(db.session(), review, current_user)
    except review_service.OfficialGone:
        message = _("The official of this match was deleted meanwhile: nothing was merged.")
        return render_template("error.html", code=409, title=_("Already judged"), message=message), 409
    flash(
        _(
            "%(name)s confirmed as %(official)s: names, identifiers and the listing were merged.",
            name=review.person_name,
            official=review.official.name,
        ),
        "success",
    )
    return redirect(url_for("imports.review_queue"))


@bp.post("/imports/review/<int:review_id>/reject")
@role_required("analyst")
def reject_review(review_id: int) -> Response | tuple[str, int]:
    review = _pending_review(review_id)
    if not isinstance(review, MatchReview):
        return review
    outcome = review_service.reject(db.session(), review, current_user)
    if outcome.created and outcome.official is not None:
        message = _("%(name)s is a different person: added as a new official.", name=review.person_name)
    elif outcome.official is not None:
        message = _(
            "%(name)s is a different person: merged into %(official)s, which carries their identifier.",
            name=review.person_name,
            official=outcome.official.name,
        )
    elif outcome.no_state:
        message = _(
            "%(name)s is a different person. No official was created: the listing names no State "
            "within the tribunal's scope.",
            name=review.person_name,
        )
    else:
        message = _(
            "%(name)s is a different person. Other possible matches of this person are still waiting for review.",
            name=review.person_name,
        )
    flash(message, "success")
    return redirect(url_for("imports.review_queue"))


# --- import rules -------------------------------------------------------------------------

RULE_SORTS: dict[str, list[Any]] = {
    "kind": [ImportRule.kind, ImportRule.id],
    "pattern": [ImportRule.pattern, ImportRule.id],
    "active": [ImportRule.active, ImportRule.id],
}


@bp.get("/imports/rules")
@role_required("viewer")
def list_rules() -> str:
    query = select(ImportRule).options(
        joinedload(ImportRule.decision),
        joinedload(ImportRule.position).joinedload(Position.institution),
    )
    page = paginate(db.session(), query, sorts=RULE_SORTS, default_sort="kind")
    return render_template("imports/rules.html", page=page)


def _rule_form(rule: ImportRule | None) -> ImportRuleForm:
    form = ImportRuleForm(obj=rule) if request.method == "GET" and rule else ImportRuleForm()
    form.kind.choices = ImportRuleKind.choices()
    form.role.choices = [("", "—"), *InvolvementRole.choices()]
    decisions = db.session.scalars(
        select(Decision).where(Decision.deleted_at.is_(None)).order_by(Decision.date, Decision.id)
    )
    form.decision_id.choices = [("", "—"), *((d.id, f"{d.when} · {d.title}") for d in decisions)]
    positions = db.session.scalars(
        select(Position)
        .join(Institution, Position.institution_id == Institution.id)
        .options(joinedload(Position.institution))
        .order_by(Institution.name, Position.title)
    )
    form.position_id.choices = [("", "—"), *((p.id, f"{p.title} · {p.institution.name}") for p in positions)]
    if request.method == "GET" and rule is not None:
        form.role.data = rule.role or ""
    return form


def _save_rule(form: ImportRuleForm, rule: ImportRule | None) -> ImportRule | None:
    """Validate and save; None (with the errors on the form) when refused."""
    if not form.validate_on_submit():
        return None
    if rule is None:
        rule = ImportRule()
    else:
        records.check_version(rule, form.version.data)
    involvement = form.kind.data == "involvement"
    rule.kind = form.kind.data
    rule.pattern = form.pattern.data.strip()
    rule.decision_id = form.decision_id.data if involvement else None
    rule.role = form.role.data if involvement else None
    rule.position_id = None if involvement else form.position_id.data
    rule.active = bool(form.active.data)
    rule.note = optional_text(form.note.data)
    db.session.add(rule)
    records.flush_or_conflict(db.session())
    return rule


@bp.route("/imports/rules/new", methods=["GET", "POST"])
@role_required("analyst")
def new_rule() -> FormPage:
    form = _rule_form(None)
    saved = _save_rule(form, None)
    if saved is not None:
        flash(_("Import rule “%(pattern)s” added.", pattern=saved.pattern), "success")
        return redirect(url_for("imports.list_rules"))
    status = 400 if request.method == "POST" else 200
    return render_template("imports/rule_form.html", form=form, rule=None), status


@bp.route("/imports/rules/<int:rule_id>/edit", methods=["GET", "POST"])
@role_required("analyst")
def edit_rule(rule_id: int) -> FormPage:
    rule = db.session.get(ImportRule, rule_id)
    if rule is None:
        abort(404)
    form = _rule_form(rule)
    try:
        saved = _save_rule(form, rule)
    except records.EditConflict:
        db.session.rollback()
        form.form_errors.append(
            _("Someone else changed this rule while you were editing. Nothing was saved: reload to see their version.")
        )
        return render_template("imports/rule_form.html", form=form, rule=rule, conflict=True), 409
    if saved is not None:
        flash(_("Import rule “%(pattern)s” saved.", pattern=saved.pattern), "success")
        return redirect(url_for("imports.list_rules"))
    if request.method == "GET":
        form.version.data = rule.version
    status = 400 if request.method == "POST" else 200
    return render_template("imports/rule_form.html", form=form, rule=rule), status
