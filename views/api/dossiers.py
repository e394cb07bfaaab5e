"""API: candidate-defendant dossiers, assessed for the caller, and the prosecutors' case record.

A dossier is computed on every request from the facts (services/dossiers/facts.py) by
services/assessment/elements.py, as the caller's clearance lets them see it: hidden evidence is never
described, only counted in ``withheld_count``. What prosecutors decide (status, lead, theory,
notes) lives in the ``Dossier`` record, changed through services/dossiers/workflow.py so the
transitions and the status log are the HTML page's. Beside the six elements, each dossier
carries its modes of liability (Rome Statute Art. 25(3), each with its own elements; the
leadership clause of Art. 25(3 bis) first) and the prosecutors' choice of the modes to charge,
recorded through POST .../modes with a reason.

Versions: an official whose dossier no prosecutor has opened yet has ``version: null``. The
first PATCH sends ``"version": null`` (what GET showed) and opens it; from then on the
record's version is sent back like any other record's. Either way a stale version is 409.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, get_args

import marshmallow as ma
from flask import current_app
from flask.views import MethodView
from flask_login import current_user
from marshmallow import fields, validate
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from extensions import db
from models import Dossier, ModeChoice, Official, State
from models.enums import DOSSIER_STATUSES, LIABILITY_MODES, LOCALES, SUPPORT_TARGETS, TROIKA_KINDS
from services.assessment.elements import assess_dossier
from services.assessment.law import mode_element_key, texts_in_languages
from services.assessment.modes import MODE_ELEMENTS
from services.assessment.types import (
    Assessment,
    DossierFacts,
    ElementAssessment,
    ExhibitRef,
    GapAction,
    ModeAssessment,
    ModeStatus,
    Status,
)
from services.common.access import visible_classifications
from services.dossiers.facts import load_many_facts
from services.dossiers.pages import ELEMENT_CODES, Exculpatory, exculpatory_items
from services.dossiers.workflow import (
    INITIAL_STATUS,
    CaseInput,
    WorkflowError,
    allowed_next,
    apply_case,
    choose_modes,
    open_dossier,
)
from views.api.common import (
    ID,
    MAX_VERSION,
    ApiBlueprint,
    Choice,
    Id,
    ListArgs,
    Pattern,
    Schema,
    Text,
    keyset_page,
    load,
    page_schema,
    refuse,
    save,
)
from views.api.problems import ApiProblem
from views.util import role_required

blp = ApiBlueprint(
    "dossiers",
    __name__,
    description="Each official's case against the six elements of the crime of aggression, as you may see it.",
)

# The assessment's own vocabularies (services/assessment/types.py), so the schema cannot lag behind them
ELEMENT_STATUSES: tuple[str, ...] = get_args(Status)
MODE_STATUSES: tuple[str, ...] = get_args(ModeStatus)
FACT_TYPES = SUPPORT_TARGETS
GAP_TARGET_TYPES = ("official", *FACT_TYPES, "support")
GAP_ACTIONS: tuple[str, ...] = get_args(GapAction)
CASE_TEXT = 20_000  # theory and notes, as on the HTML form
REASON_TEXT = 5_000
REASON_FOR_MODES = "Give the reason for this choice of the modes to charge."
UNKNOWN_MODE = "Unknown mode of liability: {input}. The modes are {choices}."


# --- response schemas ------------------------------------------------------------------------


class DossierFactSchema(Schema):
    type = Choice(FACT_TYPES, required=True)
    id = fields.Integer(required=True)
    label = fields.String(required=True)
    certainty = Choice(
        ("certain", "possible"),
        required=True,
        metadata={"description": "possible: only a coarse date lets the fact fall where it must."},
    )


class DossierExhibitSchema(Schema):
    """One visible exhibit linked to one fact (the link is the support)."""

    support_id = fields.Integer(required=True)
    evidence_id = fields.Integer(required=True)
    exhibit_no = fields.String(required=True)
    title = fields.String(required=True)
    grade = fields.String(required=True, metadata={"description": "Admiralty reliability and credibility, e.g. B2."})
    stance = Choice(("supports", "contradicts"), required=True)
    target_type = Choice(FACT_TYPES, required=True)
    target_id = fields.Integer(required=True)
    pinpoint = fields.String(required=True, allow_none=True)
    awaiting_confirmation = fields.Boolean(
        required=True,
        metadata={
            "description": "Four eyes on grades: graded A-C on a leadership or conduct fact, it proves the fact only"
            " once a second analyst confirms the link (POST /supports/{support_id}/confirm)."
        },
    )


class DossierExculpatorySchema(DossierExhibitSchema):
    fact = fields.String(required=True, metadata={"description": "The fact the exhibit contradicts."})


class LegalTextSchema(Schema):
    """What the law requires and what the system checks for it, in one language."""

    source = fields.String(required=True, metadata={"description": "Where the law says it, e.g. Elements of Crimes."})
    text = fields.String(required=True, metadata={"description": "What the law requires, paraphrased short."})
    checks = fields.String(required=True, metadata={"description": "What the assessment checks for it."})


LawSchema = ma.Schema.from_dict(
    {locale: fields.Nested(LegalTextSchema, required=True) for locale in LOCALES}, name="DossierLaw"
)
LAW_DESCRIPTION = "What the law requires and what the system checks for it, in every interface language."


class DossierElementSchema(Schema):
    name = fields.String(required=True)
    law = fields.Nested(LawSchema, required=True, metadata={"description": LAW_DESCRIPTION})
    status = Choice(ELEMENT_STATUSES, required=True)
    reason = fields.String(required=True, metadata={"description": "Why this status, in one sentence."})
    review = fields.Boolean(
        required=True,
        metadata={
            "description": "A contradicting exhibit is at least as reliable as the best supporting one: review_by."
        },
    )
    review_by = fields.List(
        fields.Nested(DossierExhibitSchema),
        required=True,
        metadata={"description": "The contradicting exhibits at least as reliable as the element's best support."},
    )
    facts = fields.List(fields.Nested(DossierFactSchema), required=True)
    exhibits = fields.List(
        fields.Nested(DossierExhibitSchema), required=True, metadata={"description": "Visible supporting exhibits."}
    )
    contradicting = fields.List(
        fields.Nested(DossierExhibitSchema), required=True, metadata={"description": "Visible contradicting exhibits."}
    )


ElementsSchema = ma.Schema.from_dict(
    {code: fields.Nested(DossierElementSchema, required=True) for code in ELEMENT_CODES}, name="DossierElements"
)


class DossierModeElementSchema(DossierElementSchema):
    code = Choice(
        MODE_ELEMENTS,
        required=True,
        metadata={
            "description": "leadership: Art. 25(3 bis), as E2; conduct: what the mode's roles show; plan: the"
            " common plan or group (the decision); control: over the deciding institution; act: the act"
            " committed; intent: inferred as E4 is."
        },
    )


class DossierModeSchema(Schema):
    """One mode of liability (Rome Statute Art. 25(3)) as the facts make it out."""

    code = Choice(LIABILITY_MODES, required=True)
    article = fields.String(required=True, metadata={"description": "e.g. Art. 25(3)(b)."})
    name = fields.String(required=True)
    law = fields.Nested(LawSchema, required=True, metadata={"description": LAW_DESCRIPTION})
    status = Choice(
        MODE_STATUSES, required=True, metadata={"description": "met when every element is met or inferred."}
    )
    reason = fields.String(required=True)
    suggested = fields.Boolean(required=True, metadata={"description": "Some role of the official suggests it."})
    charged = fields.Boolean(required=True, metadata={"description": "In the prosecutors' latest choice."})
    roles = fields.List(fields.String(), required=True, metadata={"description": "The roles that suggest it."})
    elements = fields.List(fields.Nested(DossierModeElementSchema), required=True)


class DossierModeChoiceSchema(Schema):
    modes = fields.List(Choice(LIABILITY_MODES), required=True, metadata={"description": "Empty: withdrawn."})
    reason = fields.String(required=True)
    chosen_by = fields.Integer(required=True, allow_none=True, metadata={"description": "User id."})
    chosen_at = fields.DateTime(required=True)


class DossierScoreSchema(Schema):
    name = fields.String(required=True)
    points = fields.Integer(required=True)
    max = fields.Integer(required=True, metadata={"description": "The most it can give; 0 for a deduction."})
    explanation = fields.String(required=True, metadata={"description": "How the points were computed, in words."})


class DossierGapSchema(Schema):
    target_type = Choice(GAP_TARGET_TYPES, required=True)
    target_id = fields.Integer(required=True)
    text = fields.String(required=True)
    elements = fields.List(Choice(ELEMENT_CODES), required=True)
    action = Choice(
        GAP_ACTIONS,
        required=True,
        metadata={
            "description": "What fills it: evidence, a more precise date, an involvement, a tenure, the act's own"
            " record (the State responsible for it), the act's character, gravity or scale recorded, or (confirm,"
            " on a support) a second analyst's confirmation of the link (four eyes on grades)."
        },
    )


class DossierTroikaSchema(Schema):
    kind = Choice(TROIKA_KINDS, required=True)
    tenure_id = fields.Integer(required=True)
    text = fields.String(required=True)


class DossierSchema(Schema):
    official_id = fields.Integer(required=True)
    status = Choice(DOSSIER_STATUSES, required=True)
    strength = fields.Integer(required=True, metadata={"description": "0-100, for ranking dossiers."})
    strength_explained = fields.List(
        fields.Nested(DossierScoreSchema),
        required=True,
        metadata={"description": "Every component of the strength, with its points and how they were computed."},
    )
    elements = fields.Nested(ElementsSchema, required=True)
    leadership_clause = fields.Nested(
        LawSchema,
        required=True,
        metadata={"description": "The leadership clause (Art. 8 bis(1), Art. 25(3 bis)). " + LAW_DESCRIPTION},
    )
    modes = fields.List(
        fields.Nested(DossierModeSchema),
        required=True,
        metadata={"description": "Every mode of liability of Art. 25(3), suggested or not, in its order."},
    )
    mode_choice = fields.Nested(
        DossierModeChoiceSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The modes chosen to charge (the latest choice); null until one is made."},
    )
    mode_choices = fields.List(
        fields.Nested(DossierModeChoiceSchema), required=True, metadata={"description": "Every choice, oldest first."}
    )
    gaps = fields.List(fields.Nested(DossierGapSchema), required=True)
    exculpatory = fields.List(
        fields.Nested(DossierExculpatorySchema),
        required=True,
        metadata={"description": "Every visible exhibit contradicting a fact of the case."},
    )
    withheld_count = fields.Integer(
        required=True, metadata={"description": "Links to evidence above your clearance, counted and never described."}
    )
    troika = fields.Nested(
        DossierTroikaSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Set when a troika post may still be held: indictable, trial in absentia deferred."},
    )
    lead = fields.Integer(required=True, allow_none=True, metadata={"description": "User id of the lead prosecutor."})
    theory = fields.String(required=True, allow_none=True, metadata={"description": "The theory of the case."})
    notes = fields.String(required=True, allow_none=True)
    version = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "The case record's version; null until a prosecutor first opens the dossier."},
    )


# --- request schemas --------------------------------------------------------------------------


class DossierListArgs(ListArgs):
    state = fields.String(
        validate=Pattern(r"^[A-Za-z]{2}$", error="A two-letter State code, e.g. RU."),
        metadata={"description": "State code of the official, e.g. RU."},
    )
    status = Choice(DOSSIER_STATUSES, metadata={"description": "Case status; candidate includes unopened dossiers."})


class CaseWriteSchema(Schema):
    """A write to the case record, made against the version last read."""

    version = fields.Integer(
        strict=True,
        required=True,
        allow_none=True,
        validate=validate.Range(1, MAX_VERSION),
        metadata={"description": "The version as last read: null for a dossier not yet opened. Stale: 409."},
    )


class DossierUpdateSchema(CaseWriteSchema):
    status = Choice(DOSSIER_STATUSES, metadata={"description": "Only the moves the case workflow allows."})
    reason = Text(REASON_TEXT, allow_none=True, metadata={"description": "Why the status changes (with status only)."})
    lead = Id(allow_none=True, metadata={"description": "User id of an active prosecutor or administrator, or null."})
    theory = Text(CASE_TEXT, allow_none=True)
    notes = Text(CASE_TEXT, allow_none=True)


class DossierModesChoiceSchema(CaseWriteSchema):
    modes = fields.List(
        fields.String(validate=validate.OneOf(LIABILITY_MODES, error=UNKNOWN_MODE)),
        required=True,
        validate=validate.Length(max=len(LIABILITY_MODES)),
        metadata={"description": "The modes to charge; an empty list withdraws the earlier choice."},
    )
    reason = Text(
        REASON_TEXT,
        blank_ok=False,
        blank_error=REASON_FOR_MODES,
        required=True,
        error_messages={"required": REASON_FOR_MODES},
        metadata={"description": "Why: recorded with the choice, who made it and when."},
    )


# --- computing dossiers -----------------------------------------------------------------------


def _exhibit(ref: ExhibitRef) -> dict[str, Any]:
    return {
        "support_id": ref.support_id,
        "evidence_id": ref.exhibit_id,
        "exhibit_no": ref.exhibit_no,
        "title": ref.title,
        "grade": ref.grade,
        "stance": ref.stance,
        "target_type": ref.target[0],
        "target_id": ref.target[1],
        "pinpoint": ref.pinpoint,
        "awaiting_confirmation": ref.awaiting_confirmation,
    }


def _element(element: ElementAssessment, law: dict[str, dict[str, dict[str, str]]], key: str = "") -> dict[str, Any]:
    """An element of the crime, or (``key``: its law's key) an element of a mode of liability."""
    return {
        "name": element.name,
        "law": law[key or element.code],
        "status": element.status,
        "reason": element.reason,
        "review": element.review,
        "review_by": [_exhibit(e) for e in element.review_by],
        "facts": [{"type": f.kind, "id": f.id, "label": f.label, "certainty": f.certainty} for f in element.facts],
        "exhibits": [_exhibit(e) for e in element.exhibits],
        "contradicting": [_exhibit(e) for e in element.contradicting],
    }


def _mode(mode: ModeAssessment, charged: tuple[str, ...], law: dict[str, dict[str, dict[str, str]]]) -> dict[str, Any]:
    elements = [{"code": e.code, **_element(e, law, mode_element_key(mode.code, e.code))} for e in mode.elements]
    return {
        "code": mode.code,
        "article": mode.article,
        "name": mode.name,
        "law": law[mode.code],
        "status": mode.status,
        "reason": mode.reason,
        "suggested": mode.suggested,
        "charged": mode.code in charged,
        "roles": list(mode.roles),
        "elements": elements,
    }


def _choice(choice: ModeChoice) -> dict[str, Any]:
    return {
        "modes": list(choice.modes),
        "reason": choice.reason,
        "chosen_by": choice.chosen_by_id,
        "chosen_at": choice.chosen_at,
    }


def _exculpatory(item: Exculpatory) -> dict[str, Any]:
    return {**_exhibit(item.exhibit), "fact": item.fact}


def _body(
    facts: DossierFacts,
    dossier: Dossier | None,
    assessment: Assessment,
    visible: tuple[str, ...],
    law: dict[str, dict[str, dict[str, str]]],
) -> dict:
    troika = assessment.troika
    return {
        "official_id": facts.official_id,
        "status": dossier.status if dossier else INITIAL_STATUS,
        "strength": assessment.score,
        "strength_explained": [
            {"name": c.name, "points": c.points, "max": c.max, "explanation": c.explanation}
            for c in assessment.score_components
        ],
        "elements": {e.code: _element(e, law) for e in assessment.elements},
        "leadership_clause": law["leadership"],
        "modes": [_mode(m, dossier.charged_modes if dossier else (), law) for m in assessment.modes],
        "mode_choice": _choice(dossier.mode_choice) if dossier and dossier.mode_choice else None,
        "mode_choices": [_choice(c) for c in dossier.mode_choices] if dossier else [],
        "gaps": [
            {
                "target_type": g.target[0],
                "target_id": g.target[1],
                "text": g.text,
                "elements": list(g.elements),
                "action": g.action,
            }
            for g in assessment.gaps
        ],
        "exculpatory": [_exculpatory(item) for item in exculpatory_items(facts, visible)],
        "withheld_count": assessment.withheld_count,
        "troika": {"kind": troika.kind, "tenure_id": troika.tenure.id, "text": troika.text} if troika else None,
        "lead": dossier.lead_prosecutor_id if dossier else None,
        "theory": dossier.theory if dossier else None,
        "notes": dossier.notes if dossier else None,
        "version": dossier.version if dossier else None,
    }


def dossiers_of(official_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The dossiers of ``official_ids`` (live ones, in that order) as the caller may see them,
    in a fixed number of queries however many officials, facts and exhibits there are."""
    if not official_ids:
        return []
    visible = visible_classifications(current_user)
    scope_start: dt.date = current_app.config["TEMPORAL_SCOPE_START"]
    today = dt.datetime.now(dt.UTC).date()
    four_eyes = bool(current_app.config.get("FOUR_EYES_GRADES", False))
    choices = selectinload(Dossier.mode_choices).selectinload(ModeChoice.charged)
    found = db.session.scalars(select(Dossier).where(Dossier.official_id.in_(official_ids)).options(choices))
    records = {d.official_id: d for d in found}
    all_facts = load_many_facts(db.session(), official_ids)
    law = texts_in_languages()
    bodies = []
    for official_id in official_ids:
        facts = all_facts.get(official_id)
        if facts is None:
            continue
        assessment = assess_dossier(facts, visible=visible, scope_start=scope_start, today=today, four_eyes=four_eyes)
        bodies.append(_body(facts, records.get(official_id), assessment, visible, law))
    return bodies


def dossier_or_404(official_id: int) -> dict[str, Any]:
    load(Official, official_id)
    found = dossiers_of([official_id])
    if not found:
        raise ApiProblem(404, "not-found", "There is no such record, or you are not cleared to see it.")
    return found[0]


def _filtered(args: dict[str, Any]) -> Any:
    query = select(Official).where(Official.deleted_at.is_(None))
    if "state" in args:
        query = query.join(State, Official.state_id == State.id).where(State.code == args["state"].upper())
    if "status" in args:
        query = query.outerjoin(Dossier, Dossier.official_id == Official.id)
        if args["status"] == INITIAL_STATUS:
            query = query.where((Dossier.status == INITIAL_STATUS) | Dossier.id.is_(None))
        else:
            query = query.where(Dossier.status == args["status"])
    return query


# --- the case record --------------------------------------------------------------------------


def _conflict(detail: str) -> ApiProblem:
    return ApiProblem(409, "edit-conflict", detail + " Nothing was saved: read the dossier again.")


def _check_version(dossier: Dossier | None, version: int | None) -> None:
    if dossier is None and version is not None:
        raise _conflict(f"This dossier has not been opened yet (version null); you sent version {version}.")
    if dossier is not None and version != dossier.version:
        sent = "null" if version is None else str(version)
        raise _conflict(f"This dossier is at version {dossier.version}; you sent version {sent}.")


def _opened(official: Official) -> Dossier:
    """The official's case record, opened as a candidate on the first PATCH; two first
    PATCHes at once: the second is refused as a conflict."""
    try:
        return open_dossier(db.session(), official)
    except IntegrityError as exc:
        raise _conflict("Someone opened this dossier meanwhile.") from exc


def _case_input(dossier: Dossier, data: dict[str, Any]) -> CaseInput:
    def given(key: str, current: Any) -> Any:
        return (data[key] or None) if key in data else current

    status = data.get("status") or dossier.status
    if status != dossier.status and status not in allowed_next(dossier.status):
        allowed = ", ".join(allowed_next(dossier.status)) or "none"
        raise refuse("status", f"A dossier cannot go from {dossier.status} to {status} (allowed: {allowed}).")
    return CaseInput(
        status=status,
        lead_prosecutor_id=given("lead", dossier.lead_prosecutor_id),
        theory=given("theory", dossier.theory),
        notes=given("notes", dossier.notes),
        reason=data.get("reason") or None,
    )


def _decide(official: Official, data: dict[str, Any]) -> None:
    existing = db.session.scalars(select(Dossier).where(Dossier.official_id == official.id)).first()
    _check_version(existing, data.pop("version"))
    dossier = existing or _opened(official)
    values = _case_input(dossier, data)
    try:
        apply_case(db.session(), dossier, values, current_user._get_current_object())
    except WorkflowError as exc:
        raise refuse(exc.field or "status", str(exc)) from exc
    except StaleDataError as exc:
        raise _conflict("Someone else saved this dossier meanwhile.") from exc
    save()


def _choose(official: Official, data: dict[str, Any]) -> None:
    existing = db.session.scalars(select(Dossier).where(Dossier.official_id == official.id)).first()
    _check_version(existing, data["version"])
    dossier = existing or _opened(official)
    try:
        choose_modes(db.session(), dossier, data["modes"], data["reason"], current_user._get_current_object())
    except WorkflowError as exc:  # unknown modes were refused by the schema: a blank or repeated choice is left
        raise refuse("modes" if data["reason"].strip() else "reason", str(exc)) from exc
    except StaleDataError as exc:
        raise _conflict("Someone else saved this dossier meanwhile.") from exc
    save()


# --- routes -----------------------------------------------------------------------------------


@blp.route("/dossiers")
class Dossiers(MethodView):
    @role_required("viewer")
    @blp.arguments(DossierListArgs, location="query")
    @blp.response(200, page_schema(DossierSchema, "DossierPage"))
    def get(self, args: dict[str, Any]) -> dict[str, Any]:
        """Dossiers in official id order, filtered by State or status; each assessed as you may see it."""
        page = keyset_page(_filtered(args), Official.id, args)
        return {"items": dossiers_of([o.id for o in page["items"]]), "next_cursor": page["next_cursor"]}


@blp.route(f"/dossiers/<{ID}:official_id>")
class DossierById(MethodView):
    @role_required("viewer")
    @blp.response(200, DossierSchema)
    def get(self, official_id: int) -> dict[str, Any]:
        """One official's dossier (404 for a missing or deleted official)."""
        return dossier_or_404(official_id)

    @role_required("prosecutor")
    @blp.arguments(DossierUpdateSchema)
    @blp.response(200, DossierSchema)
    def patch(self, data: dict[str, Any], official_id: int) -> dict[str, Any]:
        """Record the prosecutors' decisions: status (with a reason), lead, theory, notes.

        Only the fields sent change. `version` is required: null for a dossier not yet opened
        (the first PATCH opens it), else the version last read; a stale one is 409. A status
        the workflow does not allow from the current one is 422 naming `status`."""
        official = load(Official, official_id)
        _decide(official, data)
        return dossier_or_404(official_id)


@blp.route(f"/dossiers/<{ID}:official_id>/modes")
class DossierModes(MethodView):
    @role_required("prosecutor")
    @blp.arguments(DossierModesChoiceSchema)
    @blp.response(200, DossierSchema)
    def post(self, data: dict[str, Any], official_id: int) -> dict[str, Any]:
        """Choose the modes of liability to charge, with the reason (kept with who and when).

        The choice replaces the last one (an empty list withdraws it); every choice stays in
        `mode_choices`. `version` as for PATCH (null opens the dossier); stale: 409. An unknown
        mode, a missing or blank reason, or the same modes as now: 422 naming the field."""
        _choose(load(Official, official_id), data)
        return dossier_or_404(official_id)
